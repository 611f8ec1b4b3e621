/**
 * Taking the money: an amount per method (F6 cash, F7 bank card, F8 WeChat, F9 Alipay, and F10 the attached
 * customer's points, shown with how many points the amount takes of the balance), what is still due, the change
 * from cash, and the API's refusal with its code. While an earlier attempt's outcome is unknown the amounts
 * are locked: the retry sends exactly what was sent before.
 */
import { Alert, Button, Card, Form, Input, Space, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { type PointsOffer, pointsForFen } from './points';
import { type FieldKey, payField } from './refusals';
import {
  METHOD_KEYS,
  METHODS,
  payInputId,
  type Settlement,
  shownText,
  type Tender,
  type Tenders,
} from './tenders';

/** The points tender of the attached customer; `note` says why there is none (the site takes no points). */
export interface PointsTender {
  readonly offer: PointsOffer | null;
  readonly note?: string;
}

export function PaymentPanel({
  totalFen,
  tenders,
  settlement,
  phase,
  error,
  fieldErrors,
  points,
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
  /** Null without a customer. */
  points: PointsTender | null;
  onType: (method: Tender, text: string) => void;
  onConfirm: () => void;
  onBack: () => void;
}) {
  const { t } = useTranslation('window');
  const sending = phase === 'sending';
  const unknown = phase === 'unknown';
  const locked = sending || unknown;
  const problem = settlement.problem;
  const offer = points?.offer ?? null;
  const tenders_: readonly Tender[] = offer ? [...METHODS, 'points'] : METHODS;
  const pointsHelp = () => {
    if (!offer) return undefined;
    const used = pointsForFen(settlement.amounts.points ?? 0, offer.rate);
    return (
      <span data-testid="pay-points-use">
        {t('pay.pointsUse', {
          points: used === null ? '—' : used.toLocaleString(),
          balance: offer.balance.toLocaleString(),
          rate: offer.rate,
        })}
      </span>
    );
  };
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
        {tenders_.map((method) => {
          const wrong = settlement.wrong.includes(method);
          const serverError = fieldErrors[payField(method)];
          const pointsWrong =
            method === 'points' && (problem === 'points_step' || problem === 'points_balance');
          return (
            <Form.Item
              key={method}
              label={
                <span>
                  {t(`methods.${method}`)} <Typography.Text keyboard>{METHOD_KEYS[method]}</Typography.Text>
                </span>
              }
              htmlFor={payInputId(method)}
              validateStatus={wrong || serverError || pointsWrong ? 'error' : undefined}
              help={
                method === 'points' ? (
                  // The API's refusal (points spent meanwhile) and the balance read again, together.
                  <>
                    {serverError ? <div>{serverError}</div> : null}
                    {wrong ? <div>{t('pay.badAmount')}</div> : null}
                    {pointsHelp()}
                  </>
                ) : (
                  (serverError ?? (wrong ? t('pay.badAmount') : undefined))
                )
              }
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
      {points?.note ? (
        <Typography.Paragraph type="secondary" style={{ margin: '0 0 8px' }}>
          {points.note}
        </Typography.Paragraph>
      ) : null}
      {problem &&
      problem !== 'invalid_amount' &&
      problem !== 'too_large' &&
      !unknown &&
      // The API's refusal on the points amount says it already.
      !(problem.startsWith('points_') && fieldErrors[payField('points')]) ? (
        <Alert
          type="warning"
          showIcon
          title={t(`pay.problem.${problem}`, { rate: offer?.rate, balance: offer?.balance.toLocaleString() })}
          style={{ marginBottom: 12 }}
          data-testid="pay-problem"
        />
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
