/**
 * The export helper on the cloud's real Fastify app (error handling, validation, auth gate), with a route of its own
 * that exports the sample report; over a real socket where what matters is what a client sees of a stream cut off.
 */
import { get } from 'node:http';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { App } from '../../app.js';
import { loadConfig } from '../../config.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { testApp } from '../../testing/app.js';
import { AppError } from '../errors.js';
import {
  contentDisposition,
  exportQueryShape,
  exportResponseSchema,
  primed,
  safeFileName,
  sendExport,
} from './http.js';
import type { ReportRow } from './report.js';
import { havePdftotext, manyRows, pdfText, ROWS, sampleTable } from './testing.js';

const URL = '/api/v1/test-export';

describe('report export over HTTP', () => {
  let test: TestDatabase;
  let app: App;
  let base: string;
  const produced = { rows: 0, released: false };

  beforeAll(async () => {
    test = await databaseBackends()[0]!.create();
    app = await testApp({ config: loadConfig({ DATABASE_URL: test.url }), database: test.database });
    app.get(
      URL,
      {
        config: { access: 'public' },
        schema: {
          querystring: z.object({
            ...exportQueryShape,
            fail: z.enum(['first', 'first-bug', 'later']).optional(),
            rows: z.coerce.number().int().min(0).max(1_000_000).optional(),
          }),
          response: exportResponseSchema,
        },
      },
      async (request, reply) => {
        const { fail, rows } = request.query;
        async function* source(): AsyncGenerator<ReportRow> {
          if (fail === 'first') throw new AppError('NOT_FOUND', { resource: '报表', id: 'x' });
          if (fail === 'first-bug') throw new Error('a bug in the report');
          try {
            if (rows === undefined) yield* ROWS;
            else
              for await (const row of manyRows(rows)) {
                produced.rows += 1;
                yield row;
              }
            if (fail === 'later') {
              // Like a report awaiting its next page: by then the file has started.
              await new Promise((resolve) => setTimeout(resolve, 300));
              throw new Error('the database went away mid-report');
            }
          } finally {
            produced.released = true;
          }
        }
        return sendExport(request, reply, { ...sampleTable(), rows: source() }, request.query);
      },
    );
    app.get(
      '/api/v1/test-export-typed-failure',
      { config: { access: 'public' } },
      async (_request, reply) => {
        reply.type('application/pdf').header('content-disposition', 'attachment; filename="x.pdf"');
        throw new Error('failed after naming the file');
      },
    );
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await test?.dispose();
  });

  it('answers CSV with its type and a UTF-8 file name from the Chinese title', async () => {
    const response = await app.inject({ method: 'GET', url: `${URL}?format=csv` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-language']).toBe('zh-CN');
    expect(response.headers['cache-control']).toBe('no-store');
    const disposition = String(response.headers['content-disposition']);
    expect(disposition).toBe(
      `attachment; filename="Daily sales.csv"; filename*=UTF-8''%E5%94%AE%E7%A5%A8%E6%97%A5%E6%8A%A5.csv`,
    );
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe('售票日报.csv');
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: string[][] = parse(response.rawPayload, { bom: true });
    expect(records[0]?.[0]).toBe('营业日');
    expect(records.at(-1)?.slice(1, 4)).toEqual(['合计', '5', '240.30']);
  });

  it('answers XLSX in English when asked by lang, or by Accept-Language', async () => {
    for (const request of [
      { url: `${URL}?format=xlsx&lang=en`, headers: {} },
      { url: `${URL}?format=xlsx`, headers: { 'accept-language': 'en-US,en;q=0.9' } },
    ]) {
      const response = await app.inject({ method: 'GET', ...request });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(response.headers['content-disposition']).toContain(`filename*=UTF-8''Daily%20sales.xlsx`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.getRow(1).getCell(4).value).toBe('Takings (¥)');
      expect(sheet.getRow(ROWS.length + 2).getCell(4).value).toBe(240.3);
    }
  });

  it.skipIf(!havePdftotext)('answers PDF', async () => {
    const response = await app.inject({ method: 'GET', url: `${URL}?format=pdf&lang=zh-CN` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain('.pdf');
    const text = pdfText(response.rawPayload);
    expect(text).toContain('营业额（元）');
    expect(text).toMatch(/合计\s+5\s+240\.30/);
  });

  it('a HEAD request gets the headers and makes no report', async () => {
    produced.rows = 0;
    const response = await app.inject({ method: 'HEAD', url: `${URL}?format=xlsx&rows=1000` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('.xlsx');
    expect(response.body).toBe('');
    expect(produced.rows).toBe(0);
  });

  it('a bad format or language is the catalogue’s 400, never a 500', async () => {
    for (const query of [
      'format=doc',
      '',
      'format=CSV',
      'format=csv&lang=fr',
      'format[]=csv',
      'format=csv&format=pdf',
    ]) {
      const response = await app.inject({ method: 'GET', url: `${URL}?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code, query).toBe('VALIDATION_FAILED');
      expect(response.headers['content-type']).toContain('application/json');
    }
  });

  it('an error before the first row is the normal JSON error with its status', async () => {
    const missing = await app.inject({ method: 'GET', url: `${URL}?format=xlsx&fail=first` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'NOT_FOUND', message: '报表不存在：x' });
    expect(missing.headers['content-disposition']).toBeUndefined();
    const bug = await app.inject({ method: 'GET', url: `${URL}?format=csv&fail=first-bug` });
    expect(bug.statusCode).toBe(500);
    expect(bug.json().error.code).toBe('INTERNAL');
  });

  it('a route that named a file and then failed answers the error as JSON', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/test-export-typed-failure' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(response.json().error.code).toBe('INTERNAL');
  });

  it('an error after the file started cuts the download off: the client never gets a complete-looking file', async () => {
    for (const format of ['csv', 'xlsx', 'pdf']) {
      const response = await fetch(`${base}${URL}?format=${format}&rows=3000&fail=later`);
      expect(response.status, `${format} ${response.status === 200 ? '' : await response.text()}`).toBe(200);
      await expect(response.arrayBuffer(), format).rejects.toThrow();
    }
  });

  it('a client that leaves stops the export: no more rows are read and the report lets go of its source', async () => {
    produced.rows = 0;
    produced.released = false;
    await new Promise<void>((resolve, reject) => {
      const request = get(`${base}${URL}?format=csv&rows=1000000`, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', (error) => {
        if (!request.destroyed) reject(error);
      });
    });
    const deadline = Date.now() + 10_000;
    while (!produced.released && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(produced.released).toBe(true);
    const stoppedAt = produced.rows;
    await new Promise((r) => setTimeout(r, 200));
    expect(produced.rows).toBe(stoppedAt);
    expect(stoppedAt).toBeLessThan(200_000);
  });
});

describe('the first row read ahead', () => {
  it('reads the first row at once, gives every row in order, and surfaces the first row’s error', async () => {
    let started = false;
    async function* source() {
      started = true;
      yield* ROWS;
    }
    const ready = await primed({ ...sampleTable(), rows: source() });
    expect(started).toBe(true);
    const got: ReportRow[] = [];
    for await (const row of ready.table.rows) got.push(row);
    expect(got).toEqual(ROWS);
    async function* failing(): AsyncGenerator<ReportRow> {
      if (ROWS.length > 0) throw new AppError('NOT_FOUND', { resource: '报表', id: 'x' });
      yield* ROWS;
    }
    await expect(primed({ ...sampleTable(), rows: failing() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('close releases a source the writer never read past its first row, once', async () => {
    let released = 0;
    async function* source() {
      try {
        yield* ROWS;
      } finally {
        released += 1;
      }
    }
    const ready = await primed({ ...sampleTable(), rows: source() });
    await ready.close();
    await ready.close();
    expect(released).toBe(1);
  });
});

describe('download names', () => {
  it('keeps Chinese, removes what a file system refuses, encodes per RFC 5987', () => {
    expect(safeFileName('售票/日报: 12*07?')).toBe('售票_日报_ 12_07_');
    expect(safeFileName('..\u0000hidden')).toBe('__hidden');
    expect(safeFileName('   ')).toBe('report');
    expect([...safeFileName('长'.repeat(300))]).toHaveLength(100);
    expect(contentDisposition("营业额 (12月)'s", 'Takings (Dec)', 'csv')).toBe(
      `attachment; filename="Takings (Dec).csv"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E9%A2%9D%20%2812%E6%9C%88%29%27s.csv`,
    );
    // A fallback with nothing printable in ASCII still names a file; quotes cannot end the parameter early.
    expect(contentDisposition('报表', '报表"', 'pdf')).toBe(
      `attachment; filename="__.pdf"; filename*=UTF-8''%E6%8A%A5%E8%A1%A8.pdf`,
    );
  });
});
