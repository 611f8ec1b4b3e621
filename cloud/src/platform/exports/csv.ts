/**
 * A report as CSV for Excel and WPS: UTF-8 with a byte order mark (without it Excel on Windows reads the file as the
 * system code page and Chinese turns to mojibake), CRLF line ends, headers in the export's language, money as yuan
 * with two decimals and no separators (so a spreadsheet reads a number), dates `YYYY-MM-DD`, times with their
 * offset, percentages as `12.34%`. Streamed: one row at a time through csv-stringify, waiting for the output.
 *
 * A text cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading apostrophe, so a customer
 * named `=HYPERLINK(…)` is shown as text and never run by the spreadsheet (CSV injection).
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { cellText } from './cells.js';
import {
  checkColumns,
  type ExportOptions,
  type ReportColumn,
  type ReportRow,
  type ReportTable,
} from './report.js';
import { TotalsAccumulator } from './totals.js';

const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(column: ReportColumn, row: ReportRow, timeZone: string): string {
  const text = cellText(column, row[column.key], timeZone);
  return column.kind === 'text' && FORMULA_START.test(text) ? `'${text}` : text;
}

/** Writes `table` to `out` as CSV and ends it; on an error `out` is destroyed with it and the promise rejects. */
export async function writeCsv(
  table: ReportTable,
  { language }: ExportOptions,
  out: Writable,
): Promise<void> {
  checkColumns(table.columns);
  const { columns, timeZone } = table;
  const totals = new TotalsAccumulator(columns);
  async function* records(): AsyncGenerator<string[]> {
    yield columns.map((column) => column.header[language]);
    for await (const row of table.rows) {
      totals.add(row);
      yield columns.map((column) => csvCell(column, row, timeZone));
    }
    const last = await totals.totalsRow(table, language);
    if (last) yield totals.totalsColumns.map((column) => csvCell(column, last, timeZone));
  }
  await pipeline(Readable.from(records()), stringify({ bom: true, record_delimiter: 'windows' }), out);
}
