import { Button, Card, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../format/money';
import { type CartLine, ticketCount } from './cart';
import { nameIn } from './names';

export function Summary({
  lines,
  prices,
  totalFen,
  listFen,
  pricing,
  onPay,
}: {
  lines: readonly CartLine[];
  prices: readonly { amountFen: number; discountFen: number; pending: boolean }[];
  totalFen: number;
  listFen: number;
  pricing: boolean;
  onPay: () => void;
}) {
  const { t } = useTranslation('window');
  const count = ticketCount(lines);
  return (
    <Card size="small" title={t('cart.title')} data-testid="summary">
      {lines.length === 0 ? (
        <Typography.Text type="secondary">{t('cart.hint')}</Typography.Text>
      ) : (
        <table style={{ width: '100%', borderCollapse: 'collapse' }}>
          <tbody>
            {lines.map((line, index) => (
              <tr key={line.key}>
                <td>
                  {nameIn(line.type.name)}
                  {line.kind === 'stubs' ? <Tag style={{ marginLeft: 4 }}>{t('stubs.tag')}</Tag> : null}
                  {line.persons !== undefined
                    ? ` · ${t('types.personsEach', { persons: line.persons })}`
                    : ''}
                </td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>× {line.quantity}</td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {prices[index]!.discountFen > 0 ? (
                    <Typography.Text type="success" style={{ marginRight: 6 }}>
                      −{formatFen(prices[index]!.discountFen)}
                    </Typography.Text>
                  ) : null}
                  {formatFen(prices[index]!.amountFen)}
                  {prices[index]!.pending ? '*' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'baseline',
          borderTop: '1px solid #f0f0f0',
          marginTop: 8,
          paddingTop: 8,
        }}
      >
        <Typography.Text type="secondary">
          {t('cart.count', { count })}
          {listFen !== totalFen ? ` · ${t('cart.list', { amount: formatFen(listFen) })}` : ''}
        </Typography.Text>
        <span
          style={{ fontSize: 28, fontWeight: 700, fontVariantNumeric: 'tabular-nums' }}
          data-testid="cart-total"
        >
          {formatFen(totalFen)}
        </span>
      </div>
      {pricing ? <Typography.Text type="secondary">{t('cart.pending')}</Typography.Text> : null}
      <Button
        type="primary"
        size="large"
        block
        style={{ marginTop: 8 }}
        onClick={onPay}
        disabled={lines.length === 0}
        data-testid="go-pay"
      >
        {t('cart.pay')}{' '}
        <Typography.Text keyboard style={{ color: 'inherit' }}>
          Enter
        </Typography.Text>
      </Button>
    </Card>
  );
}
