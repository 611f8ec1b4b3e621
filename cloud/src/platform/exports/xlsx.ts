/**
 * A report as an Excel workbook, written by exceljs's streaming WorkbookWriter: each row is committed (turned into
 * XML and handed to the zip stream) as soon as it is added, so memory stays flat however many rows there are.
 *
 * Cells are real values, not text: money is a number of yuan with the format `#,##0.00` (made exactly from the
 * integer fen, cells.ts), percentages a fraction with `0.00%`, dates real date cells, times real date-time cells of
 * the venue's wall clock with the offset in the format (`yyyy-mm-dd hh:mm:ss "+08:00"`), since a spreadsheet date
 * has no zone. The header row is bold and frozen, the totals row bold.
 *
 * Backpressure: exceljs hands each worksheet's XML to archiver through a PassThrough that it writes without looking
 * at the answer; the writer waits for that stage to drain (and so for compression and the output behind it) every
 * few rows. That stage is reached through exceljs's internals (`stream.pipes`), checked at run time: when a later
 * exceljs changes it, the writer falls back to yielding to the event loop, and the memory bench shows the cost.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  dayOf,
  fractionOfBasisPoints,
  instantOf,
  integerOf,
  localInstant,
  offsetText,
  yuanNumber,
} from './cells.js';
import { drained, yieldToLoop } from './flow.js';
import {
  checkColumns,
  type ExportOptions,
  type ReportColumn,
  type ReportRow,
  type ReportTable,
} from './report.js';
import { TotalsAccumulator } from './totals.js';
import { columnWidth } from './widths.js';

const DAY_MS = 86_400_000;
/** Rows between two checks of the zip stage. */
const CHECK_EVERY = 64;

const NUMBER_FORMATS: Readonly<Record<ReportColumn['kind'], string | undefined>> = {
  text: undefined,
  integer: '#,##0',
  money_fen: '#,##0.00',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
  percent: '0.00%',
};

/** A sheet name Excel accepts: none of `[]:*?/\`, at most 31 characters. */
export function sheetName(title: string): string {
  const name = title
    .replace(/[[\]:*?/\\]/g, ' ')
    .trim()
    .slice(0, 31);
  return name || 'Report';
}

/** The value exceljs writes for one cell, and a number format when the cell needs its own (a time's offset). */
function xlsxCell(
  column: ReportColumn,
  value: ReportRow[string],
  timeZone: string,
): { value: string | number | Date | null; numFmt?: string } {
  switch (column.kind) {
    case 'text':
      return { value: value === undefined || value === null ? null : String(value) };
    case 'integer': {
      const n = integerOf(column, value);
      return { value: n === null ? null : Number(n) };
    }
    case 'money_fen': {
      const fen = integerOf(column, value);
      return { value: fen === null ? null : yuanNumber(fen) };
    }
    case 'percent': {
      const bp = integerOf(column, value);
      return { value: bp === null ? null : fractionOfBasisPoints(bp) };
    }
    case 'date': {
      const day = dayOf(column, value);
      return { value: day === null ? null : new Date(day * DAY_MS) };
    }
    case 'datetime': {
      const ms = instantOf(column, value);
      if (ms === null) return { value: null };
      const { wallMs, offsetMs } = localInstant(ms, timeZone);
      return { value: new Date(wallMs), numFmt: `${NUMBER_FORMATS.datetime} "${offsetText(offsetMs)}"` };
    }
  }
}

interface StreamingRow {
  readonly font?: unknown;
  getCell(index: number): { value: unknown; numFmt: string; font: unknown };
  commit(): void;
}
interface StreamingSheet {
  columns: unknown;
  addRow(values: unknown[]): StreamingRow;
  commit(): void;
  /** exceljs internal: the sheet's XML stream; its first pipe is archiver's PassThrough. */
  readonly stream?: { readonly pipes?: readonly unknown[] };
}

/** The stage to wait on, if exceljs still exposes it (see the file's comment). */
function zipStage(sheet: StreamingSheet): Writable | undefined {
  const stage = sheet.stream?.pipes?.[0] as Partial<Writable> | undefined;
  return stage && typeof stage.writableNeedDrain === 'boolean' && typeof stage.on === 'function'
    ? (stage as Writable)
    : undefined;
}

/** Writes `table` to `out` as XLSX and ends it; on an error `out` is destroyed with it and the promise rejects. */
export async function writeXlsx(
  table: ReportTable,
  { language }: ExportOptions,
  out: Writable,
): Promise<void> {
  checkColumns(table.columns);
  const { columns, timeZone } = table;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Scenic Gate';
  workbook.title = table.title[language];
  if (table.subtitle) workbook.subject = table.subtitle[language];
  const sheet = workbook.addWorksheet(sheetName(table.title[language]), {
    views: [{ state: 'frozen', ySplit: 1 }],
  }) as unknown as StreamingSheet;
  sheet.columns = columns.map((column) => ({
    key: column.key,
    width: columnWidth(column, column.header[language]),
    style: NUMBER_FORMATS[column.kind] ? { numFmt: NUMBER_FORMATS[column.kind] } : {},
  }));

  const bold = { bold: true };
  const addRow = (row: ReportRow, isTotals: boolean, rowColumns: readonly ReportColumn[] = columns) => {
    const cells = rowColumns.map((column) => xlsxCell(column, row[column.key], timeZone));
    const added = sheet.addRow(cells.map((cell) => cell.value));
    cells.forEach((cell, i) => {
      if (cell.numFmt || isTotals) {
        const target = added.getCell(i + 1);
        if (cell.numFmt) target.numFmt = cell.numFmt;
        if (isTotals) target.font = bold;
      }
    });
    added.commit();
  };

  try {
    const header = sheet.addRow(columns.map((column) => column.header[language]));
    columns.forEach((_, i) => {
      header.getCell(i + 1).font = bold;
    });
    header.commit();

    const totals = new TotalsAccumulator(columns);
    let count = 0;
    for await (const row of table.rows) {
      totals.add(row);
      addRow(row, false);
      if (++count % CHECK_EVERY === 0) {
        const stage = zipStage(sheet);
        if (stage) await drained(stage, out);
        else await yieldToLoop();
      }
    }
    const last = await totals.totalsRow(table, language);
    if (last) addRow(last, true, totals.totalsColumns);
    sheet.commit();
    await workbook.commit();
  } catch (error) {
    out.destroy(error as Error);
    throw error;
  }
}
