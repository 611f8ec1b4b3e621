/**
 * The reports' exports over HTTP on each database, read back as a finance clerk's spreadsheet would read them: the
 * CSV parsed and the XLSX opened with exceljs, the rows added up to the file's own totals row, and that row equal
 * to the JSON route's totals for the same filter. The history's file holds the whole filter (more rows than one
 * page of the export's reads), not the page the console shows. Also the agency statement, whose amounts add up to
 * the closing balance, and a bad format answered as any bad input (400 VALIDATION_FAILED).
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { TYPES } from '../tickets/testing.js';
import { recordTakings, seedReportsVenue, takingsArbitrary } from './testing.js';

const DAY_MS = 86_400_000;
const dayIn = (days: number) => Math.floor((Date.now() + 8 * 3_600_000) / DAY_MS) + days;
const dateIn = (days: number) => new Date(dayIn(days) * DAY_MS).toISOString().slice(0, 10);
const TODAY = dateIn(0);
/** The history's export reads 500 rows at a time; these make more than that (an entry without money is not kept). */
const EXPORT_PAGE = 500;
const OLD_TAKINGS = 800;

/** Yuan text or number as fen, exactly (no float sums). */
const fenOf = (value: unknown): number => {
  if (typeof value === 'number') return Math.round(value * 100);
  const text = String(value);
  const negative = text.startsWith('-');
  const [whole, cents = '0'] = text.replace('-', '').split('.');
  const fen = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
  return negative ? -fen : fen;
};

interface Sheet {
  headers: string[];
  rows: unknown[][];
  totals: unknown[];
}

describe.each(databaseBackends())('report exports on $name', (backend) => {
  let env: AuthTestApp;
  let db: Kysely<Database>;

  const get = (url: string, role: 'finance' | 'cashier' | 'admin' = 'finance') =>
    env.app.inject({ method: 'GET', url, headers: env.as(role) });

  async function post(url: string, payload: object, key: string, role: 'cashier' | 'finance' = 'cashier') {
    const response = await env.app.inject({
      method: 'POST',
      url,
      headers: { ...env.as(role), 'idempotency-key': key },
      payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  async function csv(url: string): Promise<Sheet> {
    const response = await get(url);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [headers, ...rest]: string[][] = parse(response.rawPayload, { bom: true });
    return { headers: headers!, rows: rest.slice(0, -1), totals: rest[rest.length - 1]! };
  }

  async function xlsx(url: string): Promise<Sheet> {
    const response = await get(url);
    expect(response.statusCode, response.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const values: unknown[][] = [];
    sheet.eachRow((row) => {
      values.push((row.values as unknown[]).slice(1));
    });
    const [headers, ...rest] = values;
    return { headers: headers as string[], rows: rest.slice(0, -1), totals: rest[rest.length - 1]! };
  }

  /** The column's cells summed (fen for money), and the totals row's figure. */
  function column(sheet: Sheet, header: string, money: boolean) {
    const index = sheet.headers.indexOf(header);
    expect(index, `${header} in ${sheet.headers.join(', ')}`).toBeGreaterThanOrEqual(0);
    const of = (value: unknown) =>
      value === null || value === undefined || value === '' ? 0 : money ? fenOf(value) : Number(value);
    return {
      sum: sheet.rows.reduce<number>((n, row) => n + of(row[index]), 0),
      total: of(sheet.totals[index]),
    };
  }

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'exports-secret-exports-secret-exports!' });
    db = env.test.database.db;
    const fixture = await seedReportsVenue(db);
    const sale = await post(
      '/api/v1/sales',
      {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.adult, quantity: 3, visitDate: dateIn(1) }],
        payments: [{ method: 'cash', amountFen: 30_000 }],
      },
      'exp-sale-1',
    );
    await post(
      '/api/v1/sales',
      {
        siteId: 'park',
        windowId: 'W02',
        lines: [{ typeId: TYPES.group, quantity: 1, visitDate: dateIn(1) }],
        payments: [{ method: 'wechat', amountFen: 50_000 }],
      },
      'exp-sale-2',
    );
    await post('/api/v1/refunds', { saleId: sale.id, ticketIds: [sale.tickets[0].ticketId] }, 'exp-refund');
    // Three days ago: more takings than one page of the export's reads.
    const [old] = fc.sample(
      takingsArbitrary(fixture, dayIn(-3), 1, { minLength: OLD_TAKINGS, maxLength: OLD_TAKINGS }),
      { numRuns: 1, seed: 14 },
    );
    await recordTakings(
      db,
      old!.map((entry, i) => ({ ...entry, sourceId: `old-${i}` })),
    );
    const now = Date.now();
    for (const [i, [gate, size, result]] of (
      [
        ['N1', 40, 'ok'],
        ['N1', 55, 'rejected'],
        ['S1', 60, 'ok'],
      ] as const
    ).entries())
      await db
        .insertInto('comm_log')
        .values({
          at: now - 30_000 - i,
          direction: 'in',
          site_id: 'park',
          gate_id: gate,
          topic: `scenic/v1/park/${gate}/event/passage`,
          channel: 'event/passage',
          message_type: 'passage',
          size,
          result,
          reason: result === 'ok' ? null : 'BAD_MESSAGE',
          latency_ms: 10 + i,
        })
        .execute();
  }, 240_000);
  afterAll(() => env?.dispose());

  it('exports the whole sales history under the filter, rows summing to the totals row and the JSON totals', async () => {
    const query = `from=${dateIn(-3)}&to=${TODAY}`;
    const json = (await get(`/api/v1/reports/sales-history?${query}&limit=10`)).json();
    expect(json.items).toHaveLength(10);
    for (const sheet of [
      await csv(`/api/v1/reports/sales-history/export?${query}&format=csv&lang=en`),
      await xlsx(`/api/v1/reports/sales-history/export?${query}&format=xlsx&lang=en`),
    ]) {
      expect(sheet.rows).toHaveLength(json.totals.takings);
      expect(sheet.rows.length).toBeGreaterThan(EXPORT_PAGE);
      expect(sheet.totals).toContain('Total');
      const amount = column(sheet, 'Amount', true);
      expect(amount.sum).toBe(amount.total);
      expect(amount.total).toBe(json.totals.netFen);
      const tickets = column(sheet, 'Tickets', false);
      expect([tickets.sum, tickets.total]).toEqual([json.totals.tickets, json.totals.tickets]);
      const persons = column(sheet, 'Persons', false);
      expect([persons.sum, persons.total]).toEqual([json.totals.persons, json.totals.persons]);
    }
    // Today's filter, in Chinese: the refund is in the file with its negative amount.
    const today = await csv(
      `/api/v1/reports/sales-history/export?from=${TODAY}&to=${TODAY}&format=csv&lang=zh-CN`,
    );
    const todayJson = (await get(`/api/v1/reports/sales-history?from=${TODAY}&to=${TODAY}`)).json();
    expect(today.headers).toContain('金额');
    expect(today.rows.map((row) => row[today.headers.indexOf('业务')])).toEqual(['退票', '售票', '售票']);
    expect(column(today, '金额', true).total).toBe(todayJson.totals.salesFen - todayJson.totals.refundsFen);
    expect(today.totals).toContain('合计');
  });

  it('exports the sales summary by one or two dimensions, rows summing to the JSON totals', async () => {
    const query = `from=${dateIn(-3)}&to=${TODAY}&by=type&thenBy=source`;
    const json = (await get(`/api/v1/reports/sales-summary?${query}`)).json();
    for (const sheet of [
      await csv(`/api/v1/reports/sales-summary/export?${query}&format=csv&lang=zh-CN`),
      await xlsx(`/api/v1/reports/sales-summary/export?${query}&format=xlsx&lang=zh-CN`),
    ]) {
      expect(sheet.headers.slice(0, 2)).toEqual(['票种', '业务']);
      expect(sheet.rows).toHaveLength(json.rows.length);
      for (const [header, key] of [
        ['售票金额', 'sales'],
        ['退票金额', 'refunds'],
        ['净额金额', 'net'],
      ] as const) {
        const figure = column(sheet, header, true);
        expect([figure.sum, figure.total], header).toEqual([
          json.totals[key].amountFen,
          json.totals[key].amountFen,
        ]);
      }
      const net = column(sheet, '净额张数', false);
      expect([net.sum, net.total]).toEqual([json.totals.net.tickets, json.totals.net.tickets]);
    }
    const byMethod = await xlsx(
      `/api/v1/reports/sales-summary/export?from=${TODAY}&to=${TODAY}&by=method&format=xlsx&lang=en`,
    );
    expect(byMethod.headers).not.toContain('Net tickets');
    expect(byMethod.rows.map((row) => row[0])).toEqual(['Cash', 'WeChat Pay']);
  });

  it('exports the communication summary and every detail entry, with totals', async () => {
    const summaryJson = (await get(`/api/v1/reports/comm-log/summary?from=${TODAY}&to=${TODAY}`)).json();
    const summary = await xlsx(
      `/api/v1/reports/comm-log/summary/export?from=${TODAY}&to=${TODAY}&format=xlsx`,
    );
    expect(summary.rows).toHaveLength(summaryJson.rows.length);
    for (const [header, key] of [
      ['上行消息', 'messagesIn'],
      ['拒收', 'rejected'],
      ['上行字节', 'bytesIn'],
    ] as const) {
      const figure = column(summary, header, false);
      expect([figure.sum, figure.total], header).toEqual([summaryJson.totals[key], summaryJson.totals[key]]);
    }
    expect(column(summary, '最大延迟(ms)', false).total).toBe(summaryJson.totals.maxLatencyMs);

    const detailJson = (await get(`/api/v1/reports/comm-log/detail?siteId=park&limit=500`)).json();
    const detail = await csv(`/api/v1/reports/comm-log/detail/export?siteId=park&format=csv&lang=en`);
    expect(detail.rows).toHaveLength(detailJson.totals.entries);
    const bytes = column(detail, 'Bytes', false);
    expect([bytes.sum, bytes.total]).toEqual([detailJson.totals.pageBytes, detailJson.totals.pageBytes]);
    expect(column(detail, 'Messages', false).total).toBe(detailJson.totals.pageMessages);
    expect(detail.rows.map((row) => row[detail.headers.indexOf('Result')])).toEqual(['OK', 'Rejected', 'OK']);
    const rejected = await csv(
      `/api/v1/reports/comm-log/detail/export?siteId=park&result=rejected&format=csv&lang=en`,
    );
    expect(rejected.rows).toHaveLength(1);
  });

  it('exports an agency statement whose amounts add up to the closing balance', async () => {
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/agencies',
      headers: env.as('admin'),
      payload: { name: '青年旅行社', licenceNo: 'L-EXP-1', paymentMode: 'prepaid' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const agencyId = created.json().id;
    await post(`/api/v1/agencies/${agencyId}/top-ups`, { amountFen: 100_000 }, 'exp-top-up', 'finance');
    await post(
      `/api/v1/agencies/${agencyId}/adjustments`,
      { amountFen: -2_550, reason: '手续费冲正' },
      'exp-adjust',
      'finance',
    );
    const query = `from=${TODAY}&to=${TODAY}`;
    const json = (await get(`/api/v1/agencies/${agencyId}/statement?${query}`)).json();
    for (const sheet of [
      await csv(`/api/v1/agencies/${agencyId}/statement/export?${query}&format=csv&lang=zh-CN`),
      await xlsx(`/api/v1/agencies/${agencyId}/statement/export?${query}&format=xlsx&lang=zh-CN`),
    ]) {
      expect(sheet.rows[0]![0]).toBe('期初余额');
      expect(sheet.totals[0]).toBe('期末余额');
      const amount = column(sheet, '金额（元）', true);
      expect([amount.sum, amount.total]).toEqual([json.closingBalanceFen, json.closingBalanceFen]);
      expect(amount.total).toBe(97_450);
    }
    const pdf = await get(`/api/v1/agencies/${agencyId}/statement/export?${query}&format=pdf`);
    expect([pdf.statusCode, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('answers a PDF of every report, and refuses a bad format or an unknown agency as any other bad request', async () => {
    for (const url of [
      `/api/v1/reports/sales-history/export?from=${TODAY}&to=${TODAY}`,
      `/api/v1/reports/sales-summary/export?from=${TODAY}&to=${TODAY}&by=channel`,
      `/api/v1/reports/comm-log/summary/export?from=${TODAY}&to=${TODAY}`,
      `/api/v1/reports/comm-log/detail/export?siteId=park`,
    ]) {
      const pdf = await get(`${url}&format=pdf&lang=en`);
      expect([pdf.statusCode, pdf.headers['content-type']], url).toEqual([200, 'application/pdf']);
      const bad = await get(`${url}&format=docx`);
      expect([bad.statusCode, bad.json().error.code], url).toEqual([400, 'VALIDATION_FAILED']);
      const none = await get(url);
      expect([none.statusCode, none.json().error.code], url).toEqual([400, 'VALIDATION_FAILED']);
      const cashier = await get(`${url}&format=csv`, 'cashier');
      expect([cashier.statusCode, cashier.json().error.code], url).toEqual([403, 'FORBIDDEN']);
    }
    const range = await get(`/api/v1/reports/sales-history/export?from=${TODAY}&to=2020-01-01&format=csv`);
    expect([range.statusCode, range.json().error.code]).toEqual([400, 'REPORT_RANGE_INVALID']);
    const missing = await get(
      `/api/v1/agencies/00000000-0000-4000-8000-000000000000/statement/export?from=${TODAY}&to=${TODAY}&format=csv`,
    );
    expect(missing.statusCode).toBe(404);
  });
});
