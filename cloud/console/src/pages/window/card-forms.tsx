/**
 * Selling onto IC cards (窗口发卡): one card per ticket of a count card or pass, read by a desktop reader that types
 * the UID and Enter (the fields are left to the reader, not taken as scans) or typed; each UID is checked as it
 * comes (card-uid.ts), Enter goes on to the next ticket's card, and a card the API finds already in use is named on
 * its own field.
 */
import { CheckCircleFilled } from '@ant-design/icons';
import { Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { checkCardUid } from './card-uid';
import { type Cart, type CartLine, cardsOf, type LineCards } from './cart';
import { nameIn } from './names';
import { cardField, type FieldKey } from './refusals';

export function cardInputId(lineKey: string, index: number): string {
  return `card-${lineKey}-${index}`;
}

/** Every card field of the sale in order, for Enter to go on to the next empty one. */
export function cardSlots(cart: Cart, lines: readonly CartLine[]) {
  return lines
    .filter((line) => line.takesCards)
    .flatMap((line) => cardsOf(cart, line).map((text, index) => ({ line, index, text })));
}

export function CardForms({
  cart,
  lines,
  states,
  locked,
  fieldErrors,
  onChange,
  onEnter,
}: {
  cart: Cart;
  lines: readonly CartLine[];
  /** cardsOfLines(cart, lines), in the order of `lines`. */
  states: readonly LineCards[];
  locked: boolean;
  fieldErrors: Readonly<Partial<Record<FieldKey, string>>>;
  onChange: (lineKey: string, index: number, text: string) => void;
  onEnter: (lineKey: string, index: number) => void;
}) {
  const { t } = useTranslation('window');
  const cardLines = lines
    .map((line, i) => ({ line, state: states[i] }))
    .filter(({ line }) => line.takesCards);
  if (cardLines.length === 0) return null;
  return (
    <Card size="small" title={t('cards.title')} data-testid="cards">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('cards.hint')}
      </Typography.Paragraph>
      {/* Card readers type here: not scans for the till. */}
      <div data-scanner="off">
        <Form layout="horizontal" labelCol={{ flex: '120px' }} component={false}>
          {cardSlots(cart, lines).map(({ line, index, text }) => {
            const state = cardLines.find((entry) => entry.line.key === line.key)?.state;
            const ticket = t('cards.ticket', { type: nameIn(line.type.name), n: index + 1 });
            const check = checkCardUid(text);
            const serverError = fieldErrors[cardField(line.key, index)];
            const twice = state?.state === 'invalid' && state.index === index && state.reason === 'twice';
            const help =
              serverError ??
              (check.state === 'invalid'
                ? t(`cards.problem.${check.problem}`)
                : twice
                  ? t('cards.twice')
                  : undefined);
            return (
              <Form.Item
                key={cardInputId(line.key, index)}
                label={ticket}
                htmlFor={cardInputId(line.key, index)}
                validateStatus={help ? 'error' : check.state === 'valid' ? 'success' : undefined}
                help={help ? <span data-testid={`card-error-${line.key}-${index}`}>{help}</span> : undefined}
                // The UID as it will be sold, when the reader's text differs (separators, small letters).
                extra={
                  check.state === 'valid' && !help && check.uid !== text.trim() ? (
                    <span data-testid={`card-uid-${line.key}-${index}`}>{check.uid}</span>
                  ) : undefined
                }
                style={{ marginBottom: 8 }}
              >
                <Input
                  id={cardInputId(line.key, index)}
                  aria-label={t('cards.uidOf', { ticket })}
                  placeholder={t('cards.placeholder')}
                  autoComplete="off"
                  value={text}
                  disabled={locked}
                  onChange={(event) => onChange(line.key, index, event.target.value)}
                  onPressEnter={() => onEnter(line.key, index)}
                  // Always a suffix: antd wraps the input anew when one appears, which would take the focus away
                  // from a reader typing the UID.
                  suffix={
                    check.state === 'valid' ? <CheckCircleFilled style={{ color: '#0f766e' }} /> : <span />
                  }
                  data-testid={`card-${line.key}-${index}`}
                  style={{ fontFamily: 'monospace' }}
                />
              </Form.Item>
            );
          })}
        </Form>
      </div>
    </Card>
  );
}
