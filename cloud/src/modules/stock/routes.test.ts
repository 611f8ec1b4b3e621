import { barcodeCheckDigit, generateBarcode } from '@scenic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import type { SeedRole } from '../../platform/permissions.js';

describe('ticket stock over HTTP', () => {
  let env: AuthTestApp;
  const inject = (method: 'GET' | 'POST', url: string, payload?: object, role: SeedRole = 'admin') =>
    env.app.inject({ method, url, ...(payload && { payload }), headers: env.as(role) });
  const failure = (response: { statusCode: number; json(): { error: { code: string } } }) => [
    response.statusCode,
    response.json().error.code,
  ];
  let batch: { batchId: number; codes: string[] };

  beforeAll(async () => {
    env = await createAuthTestApp(databaseBackends()[0]!);
    expect(
      (await inject('POST', '/api/v1/sites', { id: 'lake', name: { zh: '湖', en: 'Lake' } })).statusCode,
    ).toBe(201);
    const type = await inject('POST', '/api/v1/ticket-types', {
      typeId: 11,
      siteId: 'lake',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 6000 },
    });
    expect(type.statusCode).toBe(201);
    const generated = await inject('POST', '/api/v1/stock/batches/generate', { ticketTypeId: 11, count: 8 });
    expect(generated.statusCode).toBe(201);
    batch = generated.json();
  });
  afterAll(() => env.dispose());

  it('makes stock: generate and import with stock.manage, all-or-nothing import reported by position', async () => {
    expect(batch.codes).toHaveLength(8);
    const good = generateBarcode();
    const body = good.slice(0, -1);
    const bad = body + ((barcodeCheckDigit(body) + 1) % 10);
    const rejected = await inject('POST', '/api/v1/stock/batches/import', {
      ticketTypeId: 11,
      codes: [good, bad],
    });
    expect(failure(rejected)).toEqual([400, 'STOCK_IMPORT_REJECTED']);
    expect(rejected.json().error.details).toEqual({
      rejected: [{ position: 2, code: bad, reason: 'BAD_CHECK_DIGIT' }],
    });
    const imported = await inject('POST', '/api/v1/stock/batches/import', {
      ticketTypeId: 11,
      codes: [good],
    });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ source: 'imported', count: 1, codes: [good] });

    const listed = await inject('GET', '/api/v1/stock/batches?siteId=lake', undefined, 'finance');
    expect(listed.json()).toHaveLength(2);
    const one = await inject('GET', `/api/v1/stock/batches/${batch.batchId}`, undefined, 'finance');
    expect(one.json().codes).toEqual(batch.codes);
    expect(failure(await inject('GET', '/api/v1/stock/batches/999'))).toEqual([404, 'NOT_FOUND']);
    expect(
      failure(
        await inject('POST', '/api/v1/stock/batches/generate', { ticketTypeId: 11, count: 1 }, 'cashier'),
      ),
    ).toEqual([403, 'FORBIDDEN']);
    expect(
      failure(await inject('POST', '/api/v1/stock/batches/generate', { ticketTypeId: 11, count: 0 })),
    ).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('issues to a cashier, who sees only their own holding; returns and voids', async () => {
    const cashierId = env.operators.cashier.id;
    const range = { batchId: batch.batchId, fromSeq: 1, toSeq: 4 };
    expect(failure(await inject('POST', '/api/v1/stock/issue', { cashierId, range }, 'cashier'))).toEqual([
      403,
      'FORBIDDEN',
    ]);
    expect(
      failure(await inject('POST', '/api/v1/stock/issue', { cashierId: env.operators.gate_staff.id, range })),
    ).toEqual([400, 'STOCK_CASHIER_INVALID']);
    expect(
      failure(await inject('POST', '/api/v1/stock/issue', { cashierId, range, codes: [batch.codes[0]] })),
    ).toEqual([400, 'VALIDATION_FAILED']);
    expect(failure(await inject('POST', '/api/v1/stock/issue', { cashierId }))).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
    const issued = await inject('POST', '/api/v1/stock/issue', { cashierId, range });
    expect(issued.json()).toEqual({ count: 4, codes: batch.codes.slice(0, 4) });
    expect(failure(await inject('POST', '/api/v1/stock/issue', { cashierId, range }))).toEqual([
      409,
      'STOCK_CODES_UNAVAILABLE',
    ]);

    const mine = await inject('GET', '/api/v1/stock/balances/mine', undefined, 'cashier');
    expect(mine.json()).toEqual({
      cashierId,
      types: [{ ticketTypeId: 11, issued: 4, codes: batch.codes.slice(0, 4) }],
    });
    const others = await inject('GET', '/api/v1/stock/balances/mine', undefined, 'gate_staff');
    expect(others.json()).toEqual({ cashierId: env.operators.gate_staff.id, types: [] });
    expect(failure(await inject('GET', '/api/v1/stock/balances/warehouse', undefined, 'gate_staff'))).toEqual(
      [403, 'FORBIDDEN'],
    );
    const unauthenticated = await env.app.inject({ method: 'GET', url: '/api/v1/stock/balances/mine' });
    expect(unauthenticated.statusCode).toBe(401);

    const returned = await inject('POST', '/api/v1/stock/return', { cashierId, codes: [batch.codes[3]] });
    expect(returned.json()).toEqual({ count: 1, codes: [batch.codes[3]] });
    const voided = await inject('POST', '/api/v1/stock/void', {
      codes: [batch.codes[0], batch.codes[7]],
      reason: '损坏',
    });
    expect(voided.statusCode).toBe(200);
    expect(failure(await inject('POST', '/api/v1/stock/void', { codes: [batch.codes[1]] }))).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
    expect(
      failure(
        await inject('POST', '/api/v1/stock/void', { codes: [batch.codes[0]], reason: 'x' }, 'finance'),
      ),
    ).toEqual([403, 'FORBIDDEN']);

    const warehouse = await inject(
      'GET',
      '/api/v1/stock/balances/warehouse?siteId=lake',
      undefined,
      'finance',
    );
    expect(warehouse.json()).toEqual([{ siteId: 'lake', ticketTypeId: 11, inWarehouse: 5 }]);
    const cashiers = await inject(
      'GET',
      `/api/v1/stock/balances/cashiers?cashierId=${cashierId}`,
      undefined,
      'finance',
    );
    expect(cashiers.json()).toEqual([
      { cashierId, cashierUsername: 'test_cashier', ticketTypeId: 11, issued: 2 },
    ]);
    const detail = await inject('GET', `/api/v1/stock/codes/${batch.codes[0]}`, undefined, 'finance');
    expect(detail.json()).toMatchObject({ state: 'voided', seq: 1 });
    expect(detail.json().movements.map((m: { kind: string }) => m.kind)).toEqual(['import', 'issue', 'void']);
    expect(
      failure(await inject('GET', `/api/v1/stock/codes/${generateBarcode()}`, undefined, 'finance')),
    ).toEqual([404, 'STOCK_CODE_UNKNOWN']);

    const report = await inject('GET', '/api/v1/stock/reconciliation?siteId=lake', undefined, 'finance');
    expect(report.json().total).toEqual({
      count: 9,
      states: { inWarehouse: 5, issued: 2, sold: 0, voided: 2 },
      ledger: { imported: 9, inWarehouse: 5, issued: 2, sold: 0, voided: 2 },
      balanced: true,
    });
    expect(
      (
        await inject('GET', `/api/v1/stock/reconciliation?batchId=${batch.batchId}`, undefined, 'finance')
      ).json().batches,
    ).toHaveLength(1);
  });

  it('pages a batch’s codes for stock.read and lists who may receive stock for stock.manage', async () => {
    const page = await inject(
      'GET',
      `/api/v1/stock/batches/${batch.batchId}/codes?limit=3`,
      undefined,
      'finance',
    );
    expect(page.statusCode).toBe(200);
    expect(page.json().items.map((item: { seq: number }) => item.seq)).toEqual([1, 2, 3]);
    expect(page.json().next).toBe(3);
    const issued = await inject(
      'GET',
      `/api/v1/stock/batches/${batch.batchId}/codes?state=issued`,
      undefined,
      'finance',
    );
    expect(issued.json()).toMatchObject({ items: [{ seq: 2 }, { seq: 3 }], next: null });
    expect(issued.json().items[0].holderUsername).toBe('test_cashier');
    expect(
      failure(await inject('GET', `/api/v1/stock/batches/${batch.batchId}/codes`, undefined, 'cashier')),
    ).toEqual([403, 'FORBIDDEN']);
    expect(
      failure(
        await inject('GET', `/api/v1/stock/batches/${batch.batchId}/codes?limit=501`, undefined, 'finance'),
      ),
    ).toEqual([400, 'VALIDATION_FAILED']);

    const cashiers = await inject('GET', '/api/v1/stock/cashiers?q=cashier');
    expect(cashiers.json()).toEqual([
      { id: env.operators.cashier.id, username: 'test_cashier', displayName: expect.any(String) },
    ]);
    expect(failure(await inject('GET', '/api/v1/stock/cashiers', undefined, 'finance'))).toEqual([
      403,
      'FORBIDDEN',
    ]);
  });
});
