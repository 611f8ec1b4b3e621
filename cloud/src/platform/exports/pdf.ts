/**
 * A report as a printable PDF: A4 landscape, Noto Sans SC (the font the tickets use, so Chinese prints everywhere),
 * the title and subtitle, then the table with its header row repeated on every page, one line per row (a text too
 * long for its column ends in an ellipsis), page numbers at the foot, and the totals row in bold after the last row.
 *
 * Streamed: each page is handed to the output as soon as it is full (pdfkit writes a page's objects when the next
 * one starts) and the writer waits for the output to drain between pages, so a long report never sits in memory
 * whole. The total page count is therefore not known while writing: the foot says 第 n 页 / Page n.
 */
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { notoSansSc } from '../fonts/noto-sans-sc.js';
import type { Language } from '../language.js';
import { cellText } from './cells.js';
import { assertOpen, drained } from './flow.js';
import {
  checkColumns,
  type ExportOptions,
  type ReportColumn,
  type ReportRow,
  type ReportTable,
} from './report.js';
import { TotalsAccumulator } from './totals.js';
import { columnWidth } from './widths.js';

const REGULAR = 'NotoSansSC';
const BOLD = 'NotoSansSC-Bold';
/** A4 landscape in points. */
const PAGE: [number, number] = [841.89, 595.28];
const MARGIN = 36;
const ROW_HEIGHT = 15;
const CELL_PAD = 3;
const FONT_SIZE = 8;
const FOOT_SPACE = 34;

const PAGE_LABEL: Readonly<Record<Language, (n: number) => string>> = {
  'zh-CN': (n) => `第 ${n} 页`,
  en: (n) => `Page ${n}`,
};

const RIGHT_ALIGNED = new Set<ReportColumn['kind']>(['integer', 'money_fen', 'percent']);

interface Layout {
  readonly x: number[];
  readonly widths: number[];
}

/** Column widths as shares of the printable width, in proportion to their character widths. */
function layoutOf(columns: readonly ReportColumn[], language: Language): Layout {
  const chars = columns.map((column) => columnWidth(column, column.header[language]));
  const total = chars.reduce((a, b) => a + b, 0);
  const printable = PAGE[0] - 2 * MARGIN;
  const widths = chars.map((c) => (c / total) * printable);
  const x: number[] = [];
  let at = MARGIN;
  for (const width of widths) {
    x.push(at);
    at += width;
  }
  return { x, widths };
}

/** Writes `table` to `out` as PDF and ends it; on an error `out` is destroyed with it and the promise rejects. */
export async function writePdf(
  table: ReportTable,
  { language }: ExportOptions,
  out: Writable,
): Promise<void> {
  checkColumns(table.columns);
  const { columns, timeZone } = table;
  const doc = new PDFDocument({
    size: PAGE,
    margin: 0,
    autoFirstPage: false,
    info: { Title: table.title[language], Creator: 'Scenic Gate' },
  });
  doc.registerFont(REGULAR, notoSansSc('regular'));
  doc.registerFont(BOLD, notoSansSc('bold'));
  const ended = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    out.once('close', () => reject(out.errored ?? new Error('export output closed early')));
    doc.once('error', reject);
  });
  ended.catch(() => {});
  doc.on('data', (chunk: Buffer) => {
    if (!out.destroyed) out.write(chunk);
  });
  doc.once('end', () => out.end());

  const layout = layoutOf(columns, language);
  let page = 0;
  let y = 0;
  const bottom = PAGE[1] - FOOT_SPACE;

  const cell = (text: string, i: number, font: string, top: number) => {
    const column = columns[i]!;
    doc
      .font(font)
      .fontSize(FONT_SIZE)
      .fillColor('black')
      .text(text, layout.x[i]! + CELL_PAD, top + 3.5, {
        width: layout.widths[i]! - 2 * CELL_PAD,
        height: ROW_HEIGHT - 3,
        ellipsis: true,
        align: RIGHT_ALIGNED.has(column.kind) ? 'right' : 'left',
        lineGap: 0,
      });
  };

  const startPage = () => {
    doc.addPage();
    page += 1;
    y = MARGIN;
    doc
      .font(BOLD)
      .fontSize(13)
      .fillColor('black')
      .text(table.title[language], MARGIN, y, {
        width: PAGE[0] - 2 * MARGIN,
        height: 18,
        ellipsis: true,
      });
    y += 19;
    if (table.subtitle) {
      doc
        .font(REGULAR)
        .fontSize(9)
        .fillColor('#444')
        .text(table.subtitle[language], MARGIN, y, {
          width: PAGE[0] - 2 * MARGIN,
          height: 13,
          ellipsis: true,
        });
      y += 14;
    }
    y += 4;
    doc.rect(MARGIN, y, PAGE[0] - 2 * MARGIN, ROW_HEIGHT).fill('#e8e8e8');
    columns.forEach((column, i) => {
      cell(column.header[language], i, BOLD, y);
    });
    y += ROW_HEIGHT;
    doc
      .moveTo(MARGIN, y)
      .lineTo(PAGE[0] - MARGIN, y)
      .lineWidth(0.6)
      .strokeColor('#666')
      .stroke();
    doc
      .font(REGULAR)
      .fontSize(8)
      .fillColor('#444')
      .text(PAGE_LABEL[language](page), MARGIN, PAGE[1] - 24, {
        width: PAGE[0] - 2 * MARGIN,
        align: 'center',
        height: 12,
      });
  };

  const writeRow = async (
    row: ReportRow,
    isTotals: boolean,
    index: number,
    rowColumns: readonly ReportColumn[] = columns,
  ) => {
    if (page === 0 || y + ROW_HEIGHT > bottom) {
      if (page > 0) await drained(out, out);
      startPage();
    }
    if (isTotals) {
      doc
        .moveTo(MARGIN, y)
        .lineTo(PAGE[0] - MARGIN, y)
        .lineWidth(0.8)
        .strokeColor('#000')
        .stroke();
    } else if (index % 2 === 1) {
      doc.rect(MARGIN, y, PAGE[0] - 2 * MARGIN, ROW_HEIGHT).fill('#f6f6f6');
    }
    rowColumns.forEach((column, i) => {
      cell(cellText(column, row[column.key], timeZone, true), i, isTotals ? BOLD : REGULAR, y);
    });
    y += ROW_HEIGHT;
  };

  try {
    const totals = new TotalsAccumulator(columns);
    let index = 0;
    for await (const row of table.rows) {
      assertOpen(out);
      totals.add(row);
      await writeRow(row, false, index++);
    }
    const last = await totals.totalsRow(table, language);
    if (last) await writeRow(last, true, index, totals.totalsColumns);
    // A table with neither rows nor totals still prints its heading.
    if (page === 0) startPage();
    doc.end();
    await ended;
  } catch (error) {
    out.destroy(error as Error);
    throw error;
  }
}
