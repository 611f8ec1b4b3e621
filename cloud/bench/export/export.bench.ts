/**
 * Memory and time of a large report export: `npm run bench:export` streams a 1,000,000-row XLSX (ten columns:
 * dates, text, counts, money, a time and a percentage, generated row by row as a report reading pages of the
 * database would yield them) to a file, sampling the process's resident memory every 50 ms. The goal is a flat
 * line: peak RSS ≤ 300 MB whatever the row count, since the writer commits each row and waits for the zip stream.
 *
 *   npm run bench:export                  # 1,000,000 rows
 *   npm run bench:export -- --rows 200000 # fewer, for a quick look
 *   npm run bench:export -- --verify      # also read the file back (streaming reader) and check rows and totals
 *
 * Prints the figures and a final `RESULT rows=… seconds=… peak_rss_mb=… file_mb=…` line.
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { ReportColumn, ReportRow, ReportTable } from '../../src/platform/exports/report.js';
import { writeXlsx } from '../../src/platform/exports/xlsx.js';

const args = process.argv.slice(2);
const rowsArg = args.indexOf('--rows');
const ROWS = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 1_000_000;
const VERIFY = args.includes('--verify');
if (!Number.isSafeInteger(ROWS) || ROWS < 1) throw new Error('--rows takes a positive whole number');

const FIRST_DAY = 20_454; // 2026-01-01
const START = Date.UTC(2026, 0, 1, 1, 0, 0);
const TYPES = ['成人票', '学生票', '老人票', '儿童票', '团体票', '年卡', '次卡'];

const columns: ReportColumn[] = [
  { key: 'day', header: { 'zh-CN': '营业日', en: 'Business day' }, kind: 'date' },
  { key: 'site', header: { 'zh-CN': '景区', en: 'Site' }, kind: 'text' },
  { key: 'cashier', header: { 'zh-CN': '售票员', en: 'Cashier' }, kind: 'text' },
  { key: 'type', header: { 'zh-CN': '票种', en: 'Ticket type' }, kind: 'text' },
  { key: 'tickets', header: { 'zh-CN': '张数', en: 'Tickets' }, kind: 'integer' },
  { key: 'takings', header: { 'zh-CN': '营业额（元）', en: 'Takings (¥)' }, kind: 'money_fen' },
  { key: 'refunds', header: { 'zh-CN': '退款（元）', en: 'Refunds (¥)' }, kind: 'money_fen' },
  { key: 'net', header: { 'zh-CN': '净额（元）', en: 'Net (¥)' }, kind: 'money_fen' },
  { key: 'soldAt', header: { 'zh-CN': '售出时间', en: 'Sold at' }, kind: 'datetime' },
  { key: 'share', header: { 'zh-CN': '占比', en: 'Share' }, kind: 'percent' },
];

let expectedNet = 0n;
async function* rows(): AsyncGenerator<ReportRow> {
  for (let i = 0; i < ROWS; i++) {
    const tickets = 1 + (i % 5);
    const takings = tickets * (4_000 + (i % 17) * 500) + (i % 100);
    const refunds = i % 23 === 0 ? 4_000 : 0;
    expectedNet += BigInt(takings - refunds);
    // A database page arrives asynchronously: let the loop turn now and then as a real report would.
    if (i % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    yield {
      day: FIRST_DAY + Math.floor(i / 3_000),
      site: i % 2 ? '主景区' : '北门分园',
      cashier: `售票员${i % 40}`,
      type: TYPES[i % TYPES.length]!,
      tickets,
      takings,
      refunds,
      net: takings - refunds,
      soldAt: START + i * 2_000,
      share: i % 10_000,
    };
  }
}

const table: ReportTable = {
  title: { 'zh-CN': '售票明细', en: 'Sales detail' },
  columns,
  rows: rows(),
  totals: { values: { share: null } },
  timeZone: 'Asia/Shanghai',
};

const mb = (bytes: number) => bytes / 1024 / 1024;
const dir = mkdtempSync(join(tmpdir(), 'bench-export-'));
const file = join(dir, 'report.xlsx');
try {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const out = createWriteStream(file);
  const closed = once(out, 'close');
  await writeXlsx(table, { language: 'zh-CN' }, out);
  await closed;
  const seconds = (performance.now() - started) / 1_000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const fileMb = mb(statSync(file).size);
  console.log(`rows: ${ROWS.toLocaleString('en')} (10 columns), time zone Asia/Shanghai`);
  console.log(`time: ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds).toLocaleString('en')} rows/s)`);
  console.log(`RSS: before ${mb(baseline).toFixed(0)} MB, peak while exporting ${mb(peak).toFixed(0)} MB`);
  console.log(`process max RSS (getrusage): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(`file: ${fileMb.toFixed(1)} MB`);
  if (VERIFY) {
    let count = 0;
    let lastNet: unknown;
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit' });
    for await (const sheet of reader)
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        count += 1;
        lastNet = row.getCell(8).value;
      }
    const expected = Number(expectedNet) / 100;
    console.log(`verify: ${count} rows read back (header + ${ROWS} + totals), net total ${lastNet}`);
    if (count !== ROWS + 2 || lastNet !== expected)
      throw new Error(`read back ${count} rows and net ${lastNet}, expected ${ROWS + 2} and ${expected}`);
  }
  const ok = mb(peak) <= 300 ? 'ok' : 'over';
  console.log(
    `RESULT rows=${ROWS} seconds=${seconds.toFixed(1)} peak_rss_mb=${mb(peak).toFixed(0)} file_mb=${fileMb.toFixed(1)} goal_300mb=${ok}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
