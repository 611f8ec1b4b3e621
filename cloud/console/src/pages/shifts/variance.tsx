/** A variance in words and colour: 长款 (over, positive), 短款 (short, negative) or none; and a shift's state tag. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TillShift } from '../../api/types';
import { formatFen } from '../../format/money';

export function Variance({ fen, testId }: { fen: number | null; testId?: string }) {
  const { t } = useTranslation('shifts');
  if (fen === null) return <span data-testid={testId}>—</span>;
  const text =
    fen === 0
      ? t('figures.even')
      : fen > 0
        ? t('figures.over', { amount: formatFen(fen) })
        : t('figures.short', { amount: formatFen(-fen) });
  return (
    <Tag color={fen === 0 ? 'default' : fen > 0 ? 'blue' : 'red'} data-testid={testId}>
      {text}
    </Tag>
  );
}

const STATE_COLORS = { open: 'green', pending_approval: 'orange', closed: 'default' } as const;

export function ShiftStateTag({ state }: { state: TillShift['state'] }) {
  const { t } = useTranslation('shifts');
  return (
    <Tag color={STATE_COLORS[state]} data-testid="shift-state">
      {t(`states.${state}`)}
    </Tag>
  );
}
