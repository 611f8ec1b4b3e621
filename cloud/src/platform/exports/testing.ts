/**
 * A report for the writers' tests: every column kind, Chinese text, the characters CSV must quote, a formula-like
 * name, a refund (negative money), empty cells, and money that a float would get wrong (¥0.10 + ¥0.20).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type ReportColumn, type ReportRow, type ReportTable, rowsOf } from './report.js';

export const TZ = 'Asia/Shanghai';
/** 2026-12-07 as a venue day number. */
export const DAY_2026_12_07 = 20_794;
/** 2026-12-07 14:30:05 +08:00. */
export const AT = Date.UTC(2026, 11, 7, 6, 30, 5);

export const COLUMNS: readonly ReportColumn[] = [
  { key: 'day', header: { 'zh-CN': '营业日', en: 'Business day' }, kind: 'date' },
  { key: 'type', header: { 'zh-CN': '票种', en: 'Ticket type' }, kind: 'text' },
  { key: 'tickets', header: { 'zh-CN': '张数', en: 'Tickets' }, kind: 'integer' },
  { key: 'takings', header: { 'zh-CN': '营业额（元）', en: 'Takings (¥)' }, kind: 'money_fen' },
  { key: 'price', header: { 'zh-CN': '均价（元）', en: 'Average price (¥)' }, kind: 'money_fen', sum: false },
  { key: 'soldAt', header: { 'zh-CN': '最后售出', en: 'Last sold' }, kind: 'datetime' },
  { key: 'change', header: { 'zh-CN': '同比', en: 'Year on year' }, kind: 'percent' },
];

export const ROWS: readonly ReportRow[] = [
  {
    day: DAY_2026_12_07,
    type: '成人票',
    tickets: 3,
    takings: 36_000,
    price: 12_000,
    soldAt: AT,
    change: 1_234,
  },
  {
    day: '2026-12-07',
    type: '学生票, "优惠"\n第二行',
    tickets: 1,
    takings: 10,
    price: 10,
    soldAt: AT,
    change: -500,
  },
  {
    day: DAY_2026_12_07 + 1,
    type: '=HYPERLINK("x")',
    tickets: 2,
    takings: 20,
    price: 10,
    soldAt: null,
    change: null,
  },
  {
    day: DAY_2026_12_07 + 1,
    type: '退票',
    tickets: -1,
    takings: -12_000,
    price: 12_000,
    soldAt: AT + 3_600_000,
  },
];
/** 36000 + 10 + 20 − 12000 fen. */
export const TOTAL_FEN = 24_030;
export const TOTAL_TICKETS = 5;

export { rowsOf };

export function sampleTable(rows: readonly ReportRow[] = ROWS): ReportTable {
  return {
    title: { 'zh-CN': '售票日报', en: 'Daily sales' },
    subtitle: { 'zh-CN': '2026-12-07 至 2026-12-08 · 主景区', en: '2026-12-07 to 2026-12-08 · Main park' },
    columns: COLUMNS,
    rows: rowsOf(rows),
    totals: { values: { change: 900 } },
    timeZone: TZ,
  };
}

/** `count` generated rows, made one at a time as they are read. */
export async function* manyRows(count: number): AsyncGenerator<ReportRow> {
  for (let i = 0; i < count; i++)
    yield {
      day: DAY_2026_12_07 + (i % 30),
      type: `票种 ${i % 7}`,
      tickets: 1,
      takings: 100 + (i % 100),
      price: 100 + (i % 100),
      soldAt: AT + i * 1_000,
      change: i % 300,
    };
}

/** A Writable that keeps what it was given. */
export function collector(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

export const havePdftotext = spawnSync('pdftotext', ['-v']).status === 0;

/** The text of a PDF as poppler's pdftotext reads it (Debian package poppler-utils). */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'export-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
