/**
 * The decision analysis as files on each database: /analysis/{compare,type-mix,heatmap}/export answer CSV, XLSX and
 * PDF with a file name in the export's language; the XLSX read back holds the figures the JSON route answered (¥ as
 * yuan numbers, changes as fractions, an empty cell where the base is 0), on the holiday basis the calendar gives;
 * a bad format is 400, and the reports.read permission guards it like the JSON routes.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { issueTicket } from '../gate-validation/testing.js';
import { addTicketHours } from '../passages/hourly.js';
import type { TakingEntry } from '../takings/contract.js';
import { TYPES } from '../tickets/testing.js';
import { dayOf } from './period.js';
import { type ReportsFixture, recordTakings, seedReportsVenue } from './testing.js';

/** [date, fen, type]: Spring Festival 2026 days 1–3 and 2025's days 1–3 (28–30 January), and a day with no base. */
const SALES: [string, number, number][] = [
  ['2026-02-15', 30_000, TYPES.adult],
  ['2026-02-16', 45_000, TYPES.adult],
  ['2026-02-17', 60_000, TYPES.group],
  ['2025-01-28', 20_000, TYPES.adult],
  ['2025-01-29', 30_000, TYPES.adult],
  ['2025-01-30', 40_000, TYPES.adult],
];

function sale(
  fixture: ReportsFixture,
  [date, fen, typeId]: [string, number, number],
  n: number,
): TakingEntry {
  const day = dayOf(date);
  return {
    source: 'sale',
    sourceId: `x-${n}`,
    siteId: 'park',
    at: day * 86_400_000,
    day,
    channel: 'window',
    windowId: 'W01',
    cashierId: fixture.cashiers[0]!,
    agencyId: null,
    payments: [{ method: 'cash', amountFen: fen }],
    items: [{ typeId, tickets: 1, persons: 1, amountFen: fen }],
  };
}

async function xlsxRows(payload: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(payload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

describe.each(databaseBackends())('the analysis exports on $name', (backend) => {
  let env: AuthTestApp;
  const get = (url: string, role: 'finance' | 'cashier' = 'finance', language = 'zh-CN') =>
    env.app.inject({ method: 'GET', url, headers: { ...env.as(role), 'accept-language': language } });

  beforeAll(async () => {
    env = await createAuthTestApp(backend, {
      CREDENTIAL_SECRET: 'analysis-secret-analysis-secret-analysis!',
    });
    const db = env.test.database.db;
    const fixture = await seedReportsVenue(db);
    await recordTakings(
      db,
      SALES.map((s, n) => sale(fixture, s, n)),
    );
    // 2026-02-16 (a Monday) at 10:00 local: 12 persons through the gates.
    const ticketId = await issueTicket(db, { typeId: TYPES.adult });
    await addTicketHours(db, [
      { site_id: 'park', day: dayOf('2026-02-16'), hour: 10, ticket_id: ticketId, entries: 3, persons: 12 },
    ]);
  });

  afterAll(() => env?.dispose());

  const compare = 'from=2026-02-15&to=2026-02-17&metric=sales&basis=same_holiday_day';

  it('compare as XLSX: the figures the JSON answered, on last year’s same holiday days', async () => {
    const json = (await get(`/api/v1/reports/analysis/compare?${compare}`)).json();
    expect(json.points.map((p: { base: { from: string } }) => p.base.from)).toEqual([
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
    ]);
    const response = await get(`/api/v1/reports/analysis/compare/export?${compare}&format=xlsx`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('销售数据同期对比')}.xlsx`,
    );
    const rows = await xlsxRows(response.rawPayload);
    expect(rows[0]).toEqual(['期间', '对比期间', '本期', '对比期', '增减', '增减率']);
    expect(rows.slice(1, 4)).toEqual([
      ['2026-02-15', '2025-01-28', 300, 200, 100, 0.5],
      ['2026-02-16', '2025-01-29', 450, 300, 150, 0.5],
      ['2026-02-17', '2025-01-30', 600, 400, 200, 0.5],
    ]);
    for (const [i, point] of json.points.entries()) expect(rows[i + 1]![2]).toBe(point.value / 100);
  });

  it('compare in English as CSV; a base of 0 leaves the change empty, never Infinity', async () => {
    const response = await get(
      `/api/v1/reports/analysis/compare/export?from=2026-02-18&to=2026-02-18&metric=sales&basis=same_date&format=csv&lang=en`,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toContain('filename="Sales compared.csv"');
    const records: string[][] = parse(response.rawPayload, { bom: true, relax_column_count: true });
    expect(records[0]).toEqual(['Period', 'Base period', 'This period', 'Base', 'Change', 'Change %']);
    expect(records[1]).toEqual(['2026-02-18', '2025-02-18', '0.00', '0.00', '0.00', '']);
    expect(response.body).not.toMatch(/Infinity|NaN/);
  });

  it('type mix and heatmap as XLSX, and the PDF starts as a PDF', async () => {
    const mix = await get(
      `/api/v1/reports/analysis/type-mix/export?from=2026-02-15&to=2026-02-17&measure=amount&basis=same_holiday_day&format=xlsx&lang=en`,
    );
    expect(mix.statusCode, mix.body).toBe(200);
    const mixRows = await xlsxRows(mix.rawPayload);
    expect(mixRows[0]).toEqual([
      'Ticket type',
      'This period',
      'Share',
      'Base',
      'Base share',
      'Change %',
      'Share change',
    ]);
    const adult = mixRows.find((r) => r[1] === 750)!;
    expect(adult.slice(1, 5)).toEqual([750, 0.5556, 900, 1]);
    const map = await get(
      '/api/v1/reports/analysis/heatmap/export?from=2026-02-16&to=2026-02-22&format=xlsx',
    );
    expect(map.statusCode, map.body).toBe(200);
    const mapRows = await xlsxRows(map.rawPayload);
    expect(mapRows[0]).toEqual(['星期', '时段', '通行次数', '入园人数', '日均人数']);
    expect(mapRows.find((r) => r[0] === '周一' && r[1] === '10:00')).toEqual(['周一', '10:00', 3, 12, 12]);
    const pdf = await get(`/api/v1/reports/analysis/compare/export?${compare}&format=pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a bad format is 400; a cashier without reports.read is refused', async () => {
    const bad = await get(`/api/v1/reports/analysis/compare/export?${compare}&format=doc`);
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const cashier = await get(
      '/api/v1/reports/analysis/heatmap/export?from=2026-02-16&to=2026-02-22&format=csv',
      'cashier',
    );
    expect([cashier.statusCode, cashier.json().error.code]).toEqual([403, 'FORBIDDEN']);
  });
});
