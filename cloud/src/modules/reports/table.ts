/**
 * A report as the exports see it (the same shape as platform/exports/report.ts, which lands separately; once it
 * has, this file re-exports that one): a bilingual title, typed columns, the rows as an async iterable read once in
 * order (a large range is read page by page and never held whole), and a totals row. What a cell holds, by kind:
 *   text       a string (null: empty)
 *   integer    a safe integer (tickets, persons, entries)
 *   money_fen  integer fen
 *   date       a venue day number or `YYYY-MM-DD`
 *   datetime   epoch milliseconds, shown in the table's time zone
 *   percent    basis points (1234 = 12.34 %), null when there is no figure (a change against a base of 0)
 */
import type { Localized } from '../../platform/language.js';

export const COLUMN_KINDS = ['text', 'integer', 'money_fen', 'date', 'datetime', 'percent'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

export type CellValue = string | number | bigint | null | undefined;
export type ReportRow = Readonly<Record<string, CellValue>>;

export interface ReportColumn {
  readonly key: string;
  readonly header: Localized;
  readonly kind: ColumnKind;
  /** Whether the totals row sums this column; default: integer and money_fen columns are summed. */
  readonly sum?: boolean;
  readonly width?: number;
}

export interface ReportTotals {
  readonly label?: Localized;
  /** Totals the report knows itself; a function is called once the rows are all read. */
  readonly values?: ReportRow | (() => ReportRow | Promise<ReportRow>);
}

export interface ReportTable {
  readonly title: Localized;
  readonly subtitle?: Localized;
  readonly columns: readonly ReportColumn[];
  readonly rows: AsyncIterable<ReportRow>;
  readonly totals?: ReportTotals;
  /** IANA zone that `datetime` cells are shown in. */
  readonly timeZone: string;
  readonly fileName?: Localized;
}

/** Rows already in memory (a summary's few hundred) as the table's iterable. */
export async function* rowsOf(rows: readonly ReportRow[]): AsyncIterable<ReportRow> {
  for (const row of rows) yield row;
}

/** Every row of a table, for tests and small reports. */
export async function readRows(table: ReportTable): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}
