import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../../db/testing.js';
import type { Shift, ShiftReport } from '../shifts/schemas.js';
import { createShiftTestEnv, HOUR_MS, type ShiftTestEnv, shanghaiMidnight } from '../shifts/testing.js';
import type { DayReport } from './schemas.js';

/** The workbook's rows as arrays of cell values (ExcelJS counts from 1; the first row is the header). */
async function sheetOf(response: LightMyRequestResponse): Promise<unknown[][]> {
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toContain('spreadsheetml');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/**
 * The settlement and shift report exports through the routes: a day of one cashier's sales and a refund, its shift
 * closed, exported as XLSX and read back: the totals row is the day's total, the tender rows the shift's takings.
 */
describe.each(databaseBackends())('settlement and shift report exports on $name', (backend) => {
  let env: ShiftTestEnv;
  let cashier: { id: string; token: string };
  let shift: Shift;
  const date = '2031-05-12';

  beforeAll(async () => {
    env = await createShiftTestEnv(backend);
    cashier = await env.addCashier('exporter');
    env.clock = shanghaiMidnight(date) + 9 * HOUR_MS;
    shift = await env.ok<Shift>(
      cashier,
      'POST',
      '/api/v1/shifts',
      { siteId: 'park', windowId: 'W01', floatFen: 50_000 },
      201,
    );
    const sale = await env.sell(cashier, { quantity: 3 });
    await env.sell(cashier, { payments: [{ method: 'wechat', amountFen: 10_000 }] });
    await env.refund(cashier, sale.id, [sale.tickets[0]!.ticketId], 'W01');
    await env.ok(cashier, 'POST', `/api/v1/shifts/${shift.id}/close`, { countedCashFen: 50_000 + 20_000 });
  });
  afterAll(() => env?.dispose());

  it('the day settlement as XLSX: sections by dimension, the totals row the day’s total', async () => {
    const day = await env.ok<DayReport>('finance', 'GET', `/api/v1/settlements/days/park/${date}`);
    expect(day.total).toMatchObject({ amountFen: 30_000, tickets: 3 });
    const rows = await sheetOf(
      await env.call('finance', 'GET', `/api/v1/settlements/days/park/${date}/export?format=xlsx&lang=zh-CN`),
    );
    expect(rows[0]).toEqual(['分类', '项目', '笔数', '张数', '人数', '金额（元）']);
    const totals = rows.at(-1)!;
    expect(totals[0]).toBe('本日合计（不含调整）');
    expect(totals.slice(3)).toEqual([3, 3, 300]);
    const tender = rows.filter((r) => r[0] === '按支付方式');
    expect(tender).toEqual(
      [
        ['按支付方式', '现金', 2, null, null, 200],
        ['按支付方式', '微信支付', 1, null, null, 100],
      ].map((r) => r.map((c) => c ?? undefined)),
    );
    expect(rows.filter((r) => r[0] === '按窗口').map((r) => r[1])).toEqual(['一号窗口']);
  });

  it('in English, and as CSV and PDF with the download named after the report', async () => {
    const en = await sheetOf(
      await env.call('finance', 'GET', `/api/v1/settlements/days/park/${date}/export?format=xlsx&lang=en`),
    );
    expect(en[0]![0]).toBe('Section');
    expect(en.at(-1)![0]).toBe('Day total (adjustments apart)');
    const csv = await env.call(
      'finance',
      'GET',
      `/api/v1/settlements/days/park/${date}/export?format=csv&lang=en`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toContain('Day settlement park 2031-05-12.csv');
    expect(csv.body).toContain('Cash');
    const pdf = await env.call('finance', 'GET', `/api/v1/settlements/days/park/${date}/export?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const bad = await env.call('finance', 'GET', `/api/v1/settlements/days/park/${date}/export?format=doc`);
    expect(bad.statusCode).toBe(400);
  });

  it('the month settlement: a row per day, summed', async () => {
    const rows = await sheetOf(
      await env.call('finance', 'GET', '/api/v1/settlements/months/park/2031-05/export?format=xlsx&lang=en'),
    );
    expect(rows[0]).toEqual([
      'Date',
      'Day state',
      'Tickets',
      'Persons',
      'Takings (¥)',
      'Carried in (¥)',
      'Adjustments (¥)',
    ]);
    expect(rows).toHaveLength(1 + 31 + 1);
    expect(rows.at(-1)!.slice(2)).toEqual([3, 3, 300, 0, 0]);
  });

  it('the shift report: the cash reckoning equals the report’s, for the cashier and the supervisor', async () => {
    const report = await env.ok<ShiftReport>(cashier, 'GET', `/api/v1/shifts/${shift.id}/report`);
    const rows = await sheetOf(
      await env.call(cashier, 'GET', `/api/v1/shifts/${shift.id}/report/export?format=xlsx&lang=en`),
    );
    const amount = (item: string) => rows.find((r) => r[0] === 'Cash' && r[1] === item)?.[5];
    expect(amount('Float')).toBe(500);
    expect(amount('Expected cash')).toBe(report.cash!.expectedFen / 100);
    expect(amount('Counted cash')).toBe(700);
    expect(amount('Variance (over positive)')).toBe(report.cash!.varianceFen! / 100);
    expect(rows.find((r) => r[1] === 'WeChat Pay · expected')?.[5]).toBe(100);
    const other = await env.addCashier('other-exporter');
    const refused = await env.call(other, 'GET', `/api/v1/shifts/${shift.id}/report/export?format=csv`);
    expect(refused.statusCode).toBe(404);
    const supervisor = await env.call(
      'finance',
      'GET',
      `/api/v1/shifts/${shift.id}/report/export?format=pdf`,
    );
    expect(supervisor.statusCode).toBe(200);
  });
});
