import { describe, expect, it } from 'vitest';
import {
  cellText,
  dateTimeText,
  fractionOfBasisPoints,
  hundredthsText,
  isoDateOfDay,
  offsetText,
  yuanNumber,
} from './cells.js';
import type { ReportColumn } from './report.js';
import { TotalsAccumulator } from './totals.js';

const column = (kind: ReportColumn['kind'], extra: Partial<ReportColumn> = {}): ReportColumn => ({
  key: 'v',
  header: { 'zh-CN': '值', en: 'Value' },
  kind,
  ...extra,
});

describe('cells', () => {
  it('formats fen as yuan by integer division, signs and all', () => {
    expect(hundredthsText(123_456n)).toBe('1234.56');
    expect(hundredthsText(5n)).toBe('0.05');
    expect(hundredthsText(-5n)).toBe('-0.05');
    expect(hundredthsText(-12_000n)).toBe('-120.00');
    expect(hundredthsText(0n)).toBe('0.00');
    expect(hundredthsText(123_456_789n, true)).toBe('1,234,567.89');
    expect(hundredthsText(-100_000n, true)).toBe('-1,000.00');
    // Far beyond a double's exact integers, still exact.
    expect(hundredthsText(123_456_789_012_345_678_901n)).toBe('1234567890123456789.01');
  });

  it('makes the number a typed decimal would give, never float arithmetic on fen', () => {
    expect(yuanNumber(10n) + yuanNumber(20n)).not.toBe(0.3); // what a float sum would do
    expect(yuanNumber(30n)).toBe(0.3);
    expect(yuanNumber(123_456n)).toBe(1234.56);
    expect(yuanNumber(-5n)).toBe(-0.05);
    expect(fractionOfBasisPoints(1_234n)).toBe(0.1234);
    expect(fractionOfBasisPoints(-5n)).toBe(-0.0005);
    expect(fractionOfBasisPoints(25_000n)).toBe(2.5);
  });

  it('shows dates as YYYY-MM-DD and times in the venue zone with the offset', () => {
    expect(isoDateOfDay(20_794)).toBe('2026-12-07');
    expect(isoDateOfDay(0)).toBe('1970-01-01');
    expect(offsetText(8 * 3_600_000)).toBe('+08:00');
    expect(offsetText(-(3 * 3_600_000 + 30 * 60_000))).toBe('-03:30');
    // 23:59:59 UTC is the next morning in Shanghai.
    expect(dateTimeText(Date.UTC(2026, 11, 6, 23, 59, 59), 'Asia/Shanghai')).toBe(
      '2026-12-07 07:59:59 +08:00',
    );
    // A zone with daylight saving time shows the offset in force at that instant.
    expect(dateTimeText(Date.UTC(2026, 6, 1, 12), 'Europe/Berlin')).toBe('2026-07-01 14:00:00 +02:00');
    expect(dateTimeText(Date.UTC(2026, 0, 1, 12), 'Europe/Berlin')).toBe('2026-01-01 13:00:00 +01:00');
  });

  it('formats each kind as text, empty when null, and refuses a value of the wrong shape', () => {
    expect(cellText(column('integer'), 1_234_567, 'UTC', true)).toBe('1,234,567');
    expect(cellText(column('integer'), -1_234, 'UTC', true)).toBe('-1,234');
    expect(cellText(column('integer'), 1_234_567n, 'UTC')).toBe('1234567');
    expect(cellText(column('percent'), 1_234, 'UTC')).toBe('12.34%');
    expect(cellText(column('percent'), -50, 'UTC')).toBe('-0.50%');
    expect(cellText(column('percent'), null, 'UTC')).toBe('');
    expect(cellText(column('date'), '2024-02-29', 'UTC')).toBe('2024-02-29');
    expect(cellText(column('money_fen'), undefined, 'UTC')).toBe('');
    expect(() => cellText(column('money_fen'), 12.5, 'UTC')).toThrow(/"v" \(money_fen\): 12.5/);
    expect(() => cellText(column('money_fen'), '12.50', 'UTC')).toThrow(/safe integer/);
    expect(() => cellText(column('date'), '2025-02-29', 'UTC')).toThrow(/YYYY-MM-DD/);
    expect(() => cellText(column('text'), 3, 'UTC')).toThrow(/a string/);
    expect(() => cellText(column('datetime'), Number.NaN, 'UTC')).toThrow(/epoch/);
  });
});

describe('totals', () => {
  const columns: ReportColumn[] = [
    column('text', { key: 'name' }),
    column('integer', { key: 'n' }),
    column('money_fen', { key: 'fen' }),
    column('money_fen', { key: 'unit', sum: false }),
    column('percent', { key: 'share' }),
  ];
  const table = (totals: object) => ({
    title: { 'zh-CN': 't', en: 't' },
    columns,
    rows: (async function* () {})(),
    timeZone: 'UTC',
    totals,
  });

  it('sums integer and money columns exactly, leaves the rest to the report, and labels the first text column', async () => {
    const totals = new TotalsAccumulator(columns);
    for (let i = 0; i < 1_000; i++) totals.add({ name: 'x', n: 1, fen: 10, unit: 99, share: 5 });
    totals.add({ name: 'y', n: null, fen: 20 });
    const row = await totals.totalsRow(table({ values: () => ({ share: 10_000 }) }), 'zh-CN');
    expect(row).toEqual({ name: '合计', n: 1_000, fen: 10_020, share: 10_000 });
    expect(
      await totals.totalsRow(table({ label: { 'zh-CN': '总计', en: 'Grand total' } }), 'en'),
    ).toMatchObject({
      name: 'Grand total',
    });
    // A total the report gives wins over the sum.
    expect(await totals.totalsRow(table({ values: { fen: 1 } }), 'en')).toMatchObject({ fen: 1 });
  });

  it('labels the first empty cell of a table without text columns, and writes that cell as text', async () => {
    const byDate: ReportColumn[] = [column('date', { key: 'day' }), column('money_fen', { key: 'fen' })];
    const totals = new TotalsAccumulator(byDate);
    totals.add({ day: '2026-12-01', fen: 5 });
    const row = await totals.totalsRow({ ...table({}), columns: byDate }, 'zh-CN');
    expect(row).toEqual({ day: '合计', fen: 5 });
    expect(totals.totalsColumns.map((c) => c.kind)).toEqual(['text', 'money_fen']);
    expect(byDate[0]!.kind).toBe('date');
  });

  it('keeps a sum past the safe integers as a bigint', async () => {
    const totals = new TotalsAccumulator(columns);
    totals.add({ fen: Number.MAX_SAFE_INTEGER });
    totals.add({ fen: 2 });
    expect((await totals.totalsRow(table({}), 'en'))?.fen).toBe(BigInt(Number.MAX_SAFE_INTEGER) + 2n);
  });

  it('a table without totals has no totals row', async () => {
    expect(await new TotalsAccumulator(columns).totalsRow(table(undefined as never), 'en')).toBeUndefined();
  });
});
