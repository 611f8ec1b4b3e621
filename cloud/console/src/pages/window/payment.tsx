/**
 * Taking the money: an amount per method (F6 cash, F7 bank card, F8 WeChat, F9 Alipay), what is still due, the
 * change from cash, and the API's refusal with its code. While an earlier attempt's outcome is unknown the amounts
 * are locked: the retry sends exactly what was sent before.
 */
import { Alert, Button, Card, Form, Input, Space, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PaymentMethod } from '../../api/types';
import { ErrorAlert } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { type FieldKey, payField } from './refusals';
import { METHOD_KEYS, METHODS, payInputId, type Settlement, shownText, type Tenders } from './tenders';

export function PaymentPanel({
  totalFen,
  tenders,
  settlement,
  phase,
  error,
  fieldErrors,
  onType,
  onConfirm,
  onBack,
}: {
  totalFen: number;
  tenders: Tenders;
  settlement: Settlement;
  phase: 'open' | 'sending' | 'unknown' | 'idle' | 'done';
  error: unknown;
  fieldErrors: Readonly<Partial<Record<FieldKey, string>>>;
  onType: (method: PaymentMethod, text: string) => void;
  onConfirm: () => void;
  onBack: () => void;
}) {
  const { t } = useTranslation('window');
  const sending = phase === 'sending';
  const unknown = phase === 'unknown';
  const locked = sending || unknown;
  const problem = settlement.problem;
  return (
    <Card
      title={t('pay.title')}
      data-testid="payment"
      extra={
        <Typography.Text strong style={{ fontSize: 20 }} data-testid="pay-total">
          {t('pay.total')} {formatFen(totalFen)}
        </Typography.Text>
      }
    >
      <Form layout="horizontal" labelCol={{ flex: '120px' }} component={false}>
        {METHODS.map((method) => {
          const wrong = settlement.wrong.includes(method);
          const serverError = fieldErrors[payField(method)];
          return (
            <Form.Item
              key={method}
              label={
                <span>
                  {t(`methods.${method}`)} <Typography.Text keyboard>{METHOD_KEYS[method]}</Typography.Text>
                </span>
              }
              htmlFor={payInputId(method)}
              validateStatus={wrong || serverError ? 'error' : undefined}
              help={serverError ?? (wrong ? t('pay.badAmount') : undefined)}
              style={{ marginBottom: 10 }}
            >
              <Input
                id={payInputId(method)}
                prefix="¥"
                size="large"
                inputMode="decimal"
                autoComplete="off"
                value={shownText(tenders, method, totalFen)}
                placeholder="0.00"
                disabled={locked}
                onChange={(event) => onType(method, event.target.value)}
                onPressEnter={onConfirm}
                data-testid={`pay-${method}`}
                style={{ fontVariantNumeric: 'tabular-nums' }}
              />
            </Form.Item>
          );
        })}
      </Form>
      <Space size="large" style={{ margin: '8px 0 12px' }} wrap>
        <Statistic title={t('pay.paid')} value={formatFen(settlement.paidFen)} />
        <Statistic
          title={t('pay.due')}
          value={formatFen(settlement.dueFen)}
          styles={{ content: { color: settlement.dueFen > 0 ? '#cf1322' : undefined } }}
        />
        <Statistic
          title={t('pay.change')}
          value={formatFen(settlement.changeFen)}
          styles={{ content: { color: '#0f766e', fontWeight: 600 } }}
          data-testid="pay-change"
        />
      </Space>
      {problem && problem !== 'invalid_amount' && problem !== 'too_large' && !unknown ? (
        <Alert type="warning" showIcon title={t(`pay.problem.${problem}`)} style={{ marginBottom: 12 }} />
      ) : null}
      {unknown ? (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={t('pay.unknownTitle')}
          description={t('pay.unknown')}
          style={{ marginBottom: 12 }}
          data-testid="sale-unknown"
        />
      ) : null}
      {error && !unknown ? (
        <div style={{ marginBottom: 12 }} data-testid="sale-error">
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <Space>
        <Button
          type="primary"
          size="large"
          onClick={onConfirm}
          loading={sending}
          disabled={!unknown && problem !== null}
          data-testid="confirm-sale"
        >
          {unknown ? t('pay.retry') : t('pay.confirm')} <Typography.Text keyboard>Enter</Typography.Text>
        </Button>
        <Button size="large" onClick={onBack} disabled={sending}>
          {t('pay.back')} <Typography.Text keyboard>Esc</Typography.Text>
        </Button>
      </Space>
    </Card>
  );
}
