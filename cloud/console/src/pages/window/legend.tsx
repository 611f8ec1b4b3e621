/** The keyboard shortcuts of the stage the till is in, as a small legend beside the work. */
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Where the till is: building the cart, taking the money, showing the receipt. */
export type Stage = 'cart' | 'pay' | 'done';

type Does =
  | 'rows'
  | 'digits'
  | 'step'
  | 'clear'
  | 'date'
  | 'slot'
  | 'pay'
  | 'methods'
  | 'customer'
  | 'points'
  | 'confirm'
  | 'back'
  | 'printTickets'
  | 'printReceipt'
  | 'next';

const SHORTCUTS: Readonly<Record<Stage, readonly { keys: readonly string[]; does: Does }[]>> = {
  cart: [
    { keys: ['↑', '↓'], does: 'rows' },
    { keys: ['0–9', '⌫'], does: 'digits' },
    { keys: ['+', '−'], does: 'step' },
    { keys: ['Del'], does: 'clear' },
    { keys: ['PgUp', 'PgDn', 'Home'], does: 'date' },
    { keys: ['F4', '⇧F4'], does: 'slot' },
    { keys: ['F3'], does: 'customer' },
    { keys: ['Enter', 'F2'], does: 'pay' },
  ],
  pay: [
    { keys: ['F6', 'F7', 'F8', 'F9'], does: 'methods' },
    { keys: ['F10'], does: 'points' },
    { keys: ['Enter', 'F2'], does: 'confirm' },
    { keys: ['Esc'], does: 'back' },
  ],
  done: [
    { keys: ['P'], does: 'printTickets' },
    { keys: ['R'], does: 'printReceipt' },
    { keys: ['N'], does: 'next' },
  ],
};

export function ShortcutLegend({ stage }: { stage: Stage }) {
  const { t } = useTranslation('window');
  return (
    <Card size="small" title={t('keys.title')} data-testid="shortcut-legend">
      <dl style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 12px', margin: 0 }}>
        {SHORTCUTS[stage].map(({ keys, does }) => (
          <div key={does} style={{ display: 'contents' }}>
            <dt style={{ whiteSpace: 'nowrap' }}>
              {keys.map((key) => (
                <Typography.Text keyboard key={key}>
                  {key}
                </Typography.Text>
              ))}
            </dt>
            <dd style={{ margin: 0 }}>{t(`keys.${does}`)}</dd>
          </div>
        ))}
        <div style={{ display: 'contents' }}>
          <dt>
            <Typography.Text keyboard>{t('keys.scanner')}</Typography.Text>
          </dt>
          <dd style={{ margin: 0 }}>{t(stage === 'pay' ? 'keys.scanOther' : 'keys.scanCart')}</dd>
        </div>
      </dl>
    </Card>
  );
}
