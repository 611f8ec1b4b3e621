/** Column widths in characters, shared by the workbook (Excel's unit) and the PDF (shares of the page width). */
import type { ReportColumn } from './report.js';

const DEFAULT_WIDTHS: Readonly<Record<ReportColumn['kind'], number>> = {
  text: 16,
  integer: 10,
  money_fen: 14,
  date: 12,
  datetime: 27,
  percent: 10,
};

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Display width in characters: a CJK (full-width) character takes two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

/** The column's own width, else its kind's, widened to fit its header. */
export function columnWidth(column: ReportColumn, header: string): number {
  return column.width ?? Math.max(DEFAULT_WIDTHS[column.kind], displayWidth(header) + 2);
}
