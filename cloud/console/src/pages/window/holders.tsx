/**
 * Real-name visitors: one per ticket of a real-name type. The ID number is checked as it is typed (GB 11643, with
 * the birth date and age derived) and, once valid, priced by the API's quote route so the age discount shows: list
 * price, discount with its rule's name, price to pay.
 */
import { Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TicketQuote } from '../../api/types';
import { describeError } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { currentLanguage } from '../../i18n';
import { type Cart, type CartLine, type Holder, holdersOf } from './cart';
import { ageOn, type IdCheck } from './id-number';
import { nameIn } from './names';
import { type FieldKey, holderField } from './refusals';

export interface HolderQuote {
  readonly quote: TicketQuote | undefined;
  readonly error: unknown;
  readonly loading: boolean;
}

export interface HolderView {
  readonly line: CartLine;
  readonly index: number;
  readonly holder: Holder;
  readonly check: IdCheck;
  readonly quote: HolderQuote;
}

/** Every holder the cart's real-name lines need, with the ID check and the quote. */
export function holderViews(
  cart: Cart,
  lines: readonly CartLine[],
  check: (idNumber: string) => IdCheck,
  quoteOf: (line: CartLine, index: number, check: IdCheck) => HolderQuote,
): HolderView[] {
  return lines
    .filter((line) => line.needsHolders)
    .flatMap((line) =>
      holdersOf(cart, line).map((holder, index) => {
        const idCheck = check(holder.idNumber);
        return { line, index, holder, check: idCheck, quote: quoteOf(line, index, idCheck) };
      }),
    );
}

/** A holder the sale can be sent with: a name, a valid ID number and its price known. */
export function holderReady(view: HolderView): boolean {
  return view.holder.name.trim() !== '' && view.check.state === 'valid' && view.quote.quote !== undefined;
}

export function holderInputId(lineKey: string, index: number, field: 'name' | 'idNumber'): string {
  return `holder-${lineKey}-${index}-${field}`;
}

function IdStatus({ view, visitDate }: { view: HolderView; visitDate: string }) {
  const { t } = useTranslation('window');
  const { check, quote } = view;
  if (check.state !== 'valid') return null;
  const age = ageOn(check.birthDate, visitDate);
  return (
    <Space size={8} wrap data-testid={`holder-status-${view.line.key}-${view.index}`}>
      <Typography.Text type="secondary">
        {t('holders.born', { date: check.birthDate, age })} · {t(`holders.${check.gender}`)}
      </Typography.Text>
      {quote.loading ? <Typography.Text type="secondary">{t('holders.pricing')}</Typography.Text> : null}
      {quote.quote ? (
        quote.quote.ageRule ? (
          <>
            <Typography.Text delete type="secondary">
              {formatFen(quote.quote.basePriceFen)}
            </Typography.Text>
            <Tag color="green">
              {currentLanguage() === 'en' ? quote.quote.ageRule.label.en : quote.quote.ageRule.label.zh} −
              {formatFen(quote.quote.basePriceFen - quote.quote.priceFen)}
            </Tag>
            <Typography.Text strong>{formatFen(quote.quote.priceFen)}</Typography.Text>
          </>
        ) : (
          <Typography.Text strong>
            {formatFen(quote.quote.priceFen)} · {t('holders.noDiscount')}
          </Typography.Text>
        )
      ) : null}
    </Space>
  );
}

export function HolderForms({
  views,
  visitDate,
  locked,
  fieldErrors,
  onChange,
  onEnter,
}: {
  views: readonly HolderView[];
  visitDate: string;
  locked: boolean;
  fieldErrors: Readonly<Partial<Record<FieldKey, string>>>;
  onChange: (lineKey: string, index: number, patch: Partial<Holder>) => void;
  /** Enter in a field: the next field, or payment after the last. */
  onEnter: (view: HolderView, field: 'name' | 'idNumber') => void;
}) {
  const { t } = useTranslation('window');
  if (views.length === 0) return null;
  return (
    <Card size="small" title={t('holders.title')} data-testid="holders">
      <Form component={false}>
        <Space orientation="vertical" style={{ width: '100%' }} size={4}>
          {views.map((view) => {
            const { line, index, holder, check, quote } = view;
            const typeName = nameIn(line.type.name);
            const nameError = fieldErrors[holderField(line.key, index, 'name')];
            const idError =
              fieldErrors[holderField(line.key, index, 'idNumber')] ??
              (check.state === 'invalid' ? t(`holders.problem.${check.problem}`) : undefined) ??
              (quote.error ? describeError(quote.error) : undefined);
            const label =
              line.kind === 'stubs'
                ? t('holders.ticketStub', { type: typeName, n: index + 1, code: line.barcodes[index] })
                : t('holders.ticket', { type: typeName, n: index + 1 });
            return (
              <div key={`${line.key}-${index}`} data-testid={`holder-${line.key}-${index}`}>
                <Typography.Text strong>{label}</Typography.Text>
                <div style={{ display: 'flex', gap: 8, marginTop: 4 }}>
                  <Form.Item
                    style={{ marginBottom: 4, width: 130 }}
                    validateStatus={nameError ? 'error' : undefined}
                    help={nameError}
                  >
                    <Input
                      id={holderInputId(line.key, index, 'name')}
                      aria-label={t('holders.nameOf', { ticket: label })}
                      placeholder={t('holders.name')}
                      value={holder.name}
                      maxLength={32}
                      disabled={locked}
                      onChange={(event) => onChange(line.key, index, { name: event.target.value })}
                      onPressEnter={() => onEnter(view, 'name')}
                    />
                  </Form.Item>
                  <Form.Item
                    style={{ marginBottom: 4, flex: 1 }}
                    validateStatus={idError ? 'error' : check.state === 'valid' ? 'success' : undefined}
                    help={idError}
                    hasFeedback
                  >
                    {/* An ID card reader that types the number may be used here: the scanner leaves this field alone. */}
                    <span data-scanner="off">
                      <Input
                        id={holderInputId(line.key, index, 'idNumber')}
                        aria-label={t('holders.idOf', { ticket: label })}
                        placeholder={t('holders.idNumber')}
                        value={holder.idNumber}
                        maxLength={18}
                        disabled={locked}
                        inputMode="text"
                        autoComplete="off"
                        style={{ fontVariantNumeric: 'tabular-nums' }}
                        onChange={(event) => onChange(line.key, index, { idNumber: event.target.value })}
                        onPressEnter={() => onEnter(view, 'idNumber')}
                      />
                    </span>
                  </Form.Item>
                </div>
                <IdStatus view={view} visitDate={visitDate} />
              </div>
            );
          })}
        </Space>
      </Form>
    </Card>
  );
}
