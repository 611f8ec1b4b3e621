/**
 * The API's fixed vocabularies as the console lists them (in the API's order). Each list is checked against the API's
 * own type, so a value the API renames or drops is a compile error here rather than a silent gap in a form.
 */
import type { SalesChannel, StockBatchCode, TicketKind } from '../../api/types';

type Exhaustive<T, L extends readonly T[]> = [T] extends [L[number]] ? L : never;

function exhaustive<T>() {
  return <const L extends readonly T[]>(list: Exhaustive<T, L>): L => list;
}

export const CHANNELS = exhaustive<SalesChannel>()([
  'window',
  'online',
  'ota',
  'agency',
  'self_service',
] as const);

export const KINDS = exhaustive<TicketKind>()([
  'single',
  'count',
  'day_pass',
  'month_pass',
  'quarter_pass',
  'year_pass',
  'period_pass',
  'group',
] as const);

export type StockState = StockBatchCode['state'];
export const STOCK_STATES = exhaustive<StockState>()(['in_warehouse', 'issued', 'sold', 'voided'] as const);

/** The largest amount the API takes for a price or fee: ¥1,000,000.00. */
export const MAX_FEN = 100_000_000;
