/**
 * A report as the export writers see it, described once and written as CSV, XLSX or PDF (csv.ts, xlsx.ts, pdf.ts):
 * a bilingual title, typed columns, the rows as an async iterable (a large range is read page by page and never
 * held whole), and a totals row — given by the report or summed from its numeric columns as the rows go by.
 *
 * What a cell holds, by its column's kind (the writers format it; nothing is pre-formatted by the report):
 *   text       a string (null: empty)
 *   integer    a safe integer (a count of tickets, persons, passages)
 *   money_fen  integer fen, never a float (written as yuan with two decimals, computed by integer division)
 *   date       a venue day number (days since 1970-01-01, as the modules store them) or `YYYY-MM-DD`
 *   datetime   epoch milliseconds, shown in the table's time zone with its offset (`2026-12-07 14:30:05 +08:00`)
 *   percent    basis points (1234 = 12.34 %), null when there is no figure (e.g. a change against a base of 0)
 */
import type { Language, Localized } from '../language.js';

export const COLUMN_KINDS = ['text', 'integer', 'money_fen', 'date', 'datetime', 'percent'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

export type CellValue = string | number | bigint | null | undefined;
export type ReportRow = Readonly<Record<string, CellValue>>;

export interface ReportColumn {
  /** The row property this column reads. */
  readonly key: string;
  readonly header: Localized;
  readonly kind: ColumnKind;
  /**
   * Whether the totals row sums this column. Default: integer and money_fen columns are summed, others are not (a
   * unit price or a ratio does not add up: give its total in `totals.values` instead).
   */
  readonly sum?: boolean;
  /** Width in characters (a Chinese character counts two); default from the kind and the header. */
  readonly width?: number;
}

export interface ReportTotals {
  /** Written in the first text column when the totals give it nothing; default 合计 / Total. */
  readonly label?: Localized;
  /**
   * Totals the report knows itself (a ratio of sums, a distinct count), over any summed column. A function is called
   * once the rows are all written, so a report may work its totals out while its rows go by.
   */
  readonly values?: ReportRow | (() => ReportRow | Promise<ReportRow>);
}

export interface ReportTable {
  readonly title: Localized;
  /** One line under the title (the period, the site): in the PDF's heading and the workbook's subject. */
  readonly subtitle?: Localized;
  readonly columns: readonly ReportColumn[];
  /** Read once, in order; an error thrown here ends the export (see http.ts for what the client then sees). */
  readonly rows: AsyncIterable<ReportRow>;
  /** Omit for no totals row. */
  readonly totals?: ReportTotals;
  /** IANA zone that `datetime` cells are shown in (the venue's, e.g. Asia/Shanghai). */
  readonly timeZone: string;
  /** The download's name without extension; default the title in the export's language. */
  readonly fileName?: Localized;
}

export interface ExportOptions {
  readonly language: Language;
}

export const TOTAL_LABEL: Localized = { 'zh-CN': '合计', en: 'Total' };

/** Whether the totals row sums this column. */
export function summed(column: ReportColumn): boolean {
  return column.sum ?? (column.kind === 'integer' || column.kind === 'money_fen');
}

/** A table's columns must have distinct keys and a kind each; a mistake here is the report's bug, found at once. */
export function checkColumns(columns: readonly ReportColumn[]): void {
  if (columns.length === 0) throw new Error('a report needs at least one column');
  const keys = new Set<string>();
  for (const column of columns) {
    if (keys.has(column.key)) throw new Error(`report column "${column.key}" appears twice`);
    keys.add(column.key);
    if (!COLUMN_KINDS.includes(column.kind)) throw new Error(`report column "${column.key}": unknown kind`);
    if (column.sum && !(column.kind === 'integer' || column.kind === 'money_fen'))
      throw new Error(`report column "${column.key}": only integer and money_fen columns can be summed`);
  }
}

/** Rows already in memory (a summary's few hundred) as a table's iterable. */
export async function* rowsOf(rows: readonly ReportRow[]): AsyncGenerator<ReportRow> {
  for (const row of rows) yield row;
}

/** Every row of a table, for tests and small reports (an export streams them instead). */
export async function readRows(table: ReportTable): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}
