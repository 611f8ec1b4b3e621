/** Figures in report tables: ¥ with thousands separators and fen, negatives in red; counts with separators. */
import { Typography } from 'antd';
import { formatFen } from '../../format/money';

const NUMERIC = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export function Amount({ fen, strong, testId }: { fen: number; strong?: boolean; testId?: string }) {
  return (
    <Typography.Text
      strong={strong}
      // A refund in red; a zero greyed, so the figures that matter stand out in a wide table.
      type={fen < 0 ? 'danger' : fen === 0 && !strong ? 'secondary' : undefined}
      style={NUMERIC}
      data-testid={testId}
      data-fen={fen}
    >
      {formatFen(fen)}
    </Typography.Text>
  );
}

export function Count({ value, testId }: { value: number | null; testId?: string }) {
  return (
    <Typography.Text
      type={value === 0 || value === null ? 'secondary' : undefined}
      style={NUMERIC}
      data-testid={testId}
      data-value={value ?? ''}
    >
      {value === null ? '—' : value.toLocaleString('en-US')}
    </Typography.Text>
  );
}
