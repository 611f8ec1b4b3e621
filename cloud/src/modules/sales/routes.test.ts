import { checkQrCredential, PublicKeyring } from '@scenic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.js';
import { StockService } from '../stock/service.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { seedVenue, TYPES } from '../tickets/testing.js';
import { VenuesService } from '../venues/service.js';

const DAY_MS = 86_400_000;
const visitDate = (daysAhead: number) => new Date(Date.now() + daysAhead * DAY_MS).toISOString().slice(0, 10);
const withCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);
const ADULT_ID = withCheck('11010119900307451');
const CHILD_ID = withCheck('11010120230101002');

let keySeq = 0;
const newKey = () => `k-${process.pid}-${Date.now()}-${++keySeq}`;

describe.each(databaseBackends())('window sales on $name', (backend) => {
  let env: AuthTestApp;
  let slotId: string;
  const date = visitDate(10);

  const sell = (
    payload: unknown,
    key: string = newKey(),
    role: 'cashier' | 'admin' | 'gate_staff' = 'cashier',
  ) =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      payload: payload as object,
      headers: { ...env.as(role), 'idempotency-key': key },
    });

  const adultSale = (overrides: Record<string, unknown> = {}) => ({
    siteId: 'park',
    windowId: 'W01',
    lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: date }],
    payments: [{ method: 'cash', amountFen: 10_000 }],
    ...overrides,
  });

  const counts = async () => {
    const db = env.test.database.db;
    const count = async (table: 'sales' | 'tickets' | 'whitelist_feed' | 'sale_payments' | 'audit_log') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const sold = await db.selectFrom('capacity_days').select('sold').execute();
    return {
      sales: await count('sales'),
      tickets: await count('tickets'),
      feed: await count('whitelist_feed'),
      payments: await count('sale_payments'),
      sold: sold.reduce((sum, row) => sum + row.sold, 0),
    };
  };

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'test-secret-test-secret-test-secret!' });
    await seedVenue(env.test.database.db);
    const slots = await env.app.inject({
      method: 'POST',
      url: '/api/v1/capacity/slots',
      headers: env.as('admin'),
      payload: { siteId: 'park', date: visitDate(20), slots: [{ start: '09:00', end: '10:00', cap: 50 }] },
    });
    expect(slots.statusCode).toBe(201);
    slotId = slots.json()[0].id;
  });
  afterAll(() => env.dispose());

  it('sells with cash change and returns a receipt whose QR codes verify', async () => {
    const response = await sell(
      adultSale({
        lines: [{ typeId: TYPES.adult, quantity: 2, visitDate: date }],
        payments: [
          { method: 'wechat', amountFen: 5_000 },
          { method: 'cash', amountFen: 20_000 },
        ],
      }),
    );
    expect(response.statusCode).toBe(201);
    const sale = response.json();
    expect(sale).toMatchObject({ totalFen: 20_000, paidFen: 25_000, changeFen: 5_000, ticketCount: 2 });
    expect(sale.cashier.username).toBe('test_cashier');
    expect(sale.lines[0]).toMatchObject({
      typeId: TYPES.adult,
      typeVersion: 1,
      quantity: 2,
      amountFen: 20_000,
    });
    expect(sale.tickets).toHaveLength(2);

    const keys = await env.app.inject({
      method: 'GET',
      url: '/api/v1/signing-keys',
      headers: env.as('admin'),
    });
    const ring = PublicKeyring.fromEntries(keys.json());
    for (const ticket of sale.tickets) {
      const check = checkQrCredential(ticket.qrText, ring, ticket.validFrom);
      expect(check.ok && check.credential.ticketId).toBe(ticket.ticketId);
      expect(ticket).toMatchObject({ status: 'active', visitDate: date, entriesTotal: 1, priceFen: 10_000 });
    }
    const receipt = await env.app.inject({
      method: 'GET',
      url: `/api/v1/sales/${sale.id}`,
      headers: env.as('cashier'),
    });
    expect(receipt.json()).toEqual(sale);
    const list = await env.app.inject({
      method: 'GET',
      url: '/api/v1/sales?siteId=park',
      headers: env.as('admin'),
    });
    expect(list.json().sales.map((s: { id: string }) => s.id)).toContain(sale.id);
    const feed = await env.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/feed?siteId=park',
      headers: env.as('admin'),
    });
    const fed = feed.json().entries.map((e: { ticketId: number }) => e.ticketId);
    for (const ticket of sale.tickets) expect(fed).toContain(ticket.ticketId);
  });

  it('prices real-name tickets from each ID, masks IDs and enforces the per-ID daily limit', async () => {
    const body = {
      siteId: 'park',
      windowId: 'W01',
      lines: [
        {
          typeId: TYPES.realName,
          quantity: 2,
          visitDate: date,
          holders: [
            { name: '张三', idNumber: ADULT_ID },
            { name: '张小三', idNumber: CHILD_ID },
          ],
        },
      ],
      payments: [{ method: 'alipay', amountFen: 8_000 }],
    };
    const response = await sell(body);
    expect(response.statusCode).toBe(201);
    const sale = response.json();
    expect(sale.totalFen).toBe(8_000);
    const child = sale.tickets.find((t: { priceFen: number }) => t.priceFen === 0);
    expect(child.holder).toEqual({ name: '张小三', idMasked: `1101**********${CHILD_ID.slice(14)}` });
    expect(JSON.stringify(sale)).not.toContain(ADULT_ID);
    const again = await sell({
      ...body,
      lines: [{ ...body.lines[0], quantity: 1, holders: [body.lines[0]!.holders[0]] }],
    });
    expect(again.json().error.code).toBe('PER_ID_LIMIT_EXCEEDED');
    const missing = await sell({
      ...body,
      lines: [{ typeId: TYPES.realName, quantity: 1, visitDate: date }],
    });
    expect(missing.json().error.code).toBe('HOLDERS_REQUIRED');
    const audit = await env.test.database.db.selectFrom('audit_log').select('after_json').execute();
    expect(audit.map((row) => row.after_json ?? '').join()).not.toContain(ADULT_ID);
  });

  it('activates pre-printed stubs issued to the cashier and sells each only once', async () => {
    const db = env.test.database.db;
    const venues = new VenuesService(db);
    const stock = new StockService(db, new TicketTypesService(db, venues));
    const manager = { actor: { id: null, username: 'stock-manager' }, ip: null };
    const { codes } = await stock.generateBatch({ ticketTypeId: TYPES.adult, count: 2 }, manager);
    await stock.issue({ cashierId: env.operators.cashier.id, codes }, manager);
    const body = adultSale({
      lines: [{ typeId: TYPES.adult, quantity: 2, visitDate: date, barcodes: codes }],
      payments: [{ method: 'cash', amountFen: 20_000 }],
    });
    const response = await sell(body);
    expect(response.statusCode).toBe(201);
    const tickets = response.json().tickets as { ticketId: number; barcode: string }[];
    expect(tickets.map((t) => t.barcode).sort()).toEqual([...codes].sort());
    for (const ticket of tickets) {
      const detail = await stock.codeDetail(ticket.barcode);
      expect(detail).toMatchObject({ state: 'sold', ticketId: String(ticket.ticketId) });
    }
    const before = await counts();
    const again = await sell(body);
    expect(again.json().error.code).toBe('STOCK_ALREADY_SOLD');
    expect(await counts()).toEqual(before);
  });

  it('replays one idempotency key, also 20 times in parallel, and refuses it for another body', async () => {
    const before = await counts();
    const key = newKey();
    const responses = await Promise.all(Array.from({ length: 20 }, () => sell(adultSale(), key)));
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(19);
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect((await counts()).sales).toBe(before.sales + 1);
    const other = await sell(adultSale({ payments: [{ method: 'cash', amountFen: 20_000 }] }), key);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('sells exactly the slot cap out of 200 parallel sales', async () => {
    const before = await counts();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        sell(adultSale({ lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: visitDate(20), slotId }] })),
      ),
    );
    const codes = responses.map((r) => (r.statusCode === 201 ? 'OK' : r.json().error.code));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(50);
    expect(codes.filter((c) => c === 'CAPACITY_EXHAUSTED')).toHaveLength(150);
    const slot = await env.app.inject({
      method: 'GET',
      url: `/api/v1/capacity/slots/${slotId}`,
      headers: env.as('admin'),
    });
    expect(slot.json()).toMatchObject({ cap: 50, sold: 50, remaining: 0 });
    const inSlot = await env.test.database.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('slot_id', '=', slotId)
      .executeTakeFirstOrThrow();
    expect(Number(inSlot.n)).toBe(50);
    expect((await counts()).sales).toBe(before.sales + 50);
  });

  it('refuses bad payments, dates, sites and permissions without writing anything', async () => {
    const before = await counts();
    const refusals: [unknown, string][] = [
      [adultSale({ payments: [{ method: 'cash', amountFen: 9_999 }] }), 'PAYMENT_MISMATCH'],
      [adultSale({ payments: [{ method: 'bank_card', amountFen: 10_001 }] }), 'PAYMENT_MISMATCH'],
      [adultSale({ payments: [] }), 'PAYMENT_MISMATCH'],
      [
        adultSale({ lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: visitDate(-3) }] }),
        'VISIT_DATE_OUT_OF_RANGE',
      ],
      [
        adultSale({ lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: visitDate(20) }] }),
        'VALIDATION_FAILED',
      ],
      [adultSale({ windowId: 'W99' }), 'NOT_FOUND'],
      [adultSale({ lines: [{ typeId: 9999, quantity: 1, visitDate: date }] }), 'NOT_FOUND'],
      [
        adultSale({ lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: date, slotId }] }),
        'SLOT_MISMATCH',
      ],
    ];
    for (const [body, code] of refusals) {
      const response = await sell(body);
      expect(response.json().error?.code, JSON.stringify(body)).toBe(code);
    }
    expect((await sell(adultSale(), newKey(), 'gate_staff')).statusCode).toBe(403);
    const noKey = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      payload: adultSale(),
      headers: env.as('cashier'),
    });
    expect(noKey.statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('caps the change at CASH_MAX_CHANGE_FEN (default ¥1,000), writing nothing above it', async () => {
    const before = await counts();
    const cash = (amounts: number[]) =>
      adultSale({ payments: amounts.map((amountFen) => ({ method: 'cash', amountFen })) });
    const millions = await sell(cash(Array(8).fill(100_000_000)));
    expect([millions.statusCode, millions.json().error.code]).toEqual([400, 'CHANGE_TOO_LARGE']);
    expect(millions.json().error.details).toEqual({ changeFen: 799_990_000, maxChangeFen: 100_000 });
    expect((await sell(cash([110_001]))).json().error.code).toBe('CHANGE_TOO_LARGE');
    expect(await counts()).toEqual(before);
    const atTheCap = await sell(cash([110_000]));
    expect([atTheCap.statusCode, atTheCap.json().changeFen]).toEqual([201, 100_000]);
  });

  it('refuses, without writing, a sale whose credential could not carry its validity any more', async () => {
    // Defined when it still fitted (sold on 2024-01-01, 380 months ended within the QR's range), sold today it
    // would run years past it.
    const db = env.test.database.db;
    const defined = new TicketTypesService(db, new VenuesService(db), () => Date.UTC(2024, 0, 1));
    await defined.create(
      {
        typeId: 190,
        siteId: 'park',
        code: 'LIFETIME',
        name: { zh: '长期卡', en: 'Long pass' },
        kind: 'single',
        prices: { window: 100 },
        validity: { from: 'sale', length: { unit: 'month', count: 380 } },
      },
      { actor: { id: null, username: 'system' }, ip: null },
    );
    const before = await counts();
    const response = await sell(
      adultSale({
        lines: [{ typeId: 190, quantity: 1, visitDate: date }],
        payments: [{ method: 'cash', amountFen: 100 }],
      }),
    );
    expect([response.statusCode, response.json().error.code]).toEqual([409, 'VALIDITY_BEYOND_CREDENTIAL']);
    expect(response.json().error.messages.en).toMatch(/past 2055-11-25 04:15/);
    expect(await counts()).toEqual(before);
  });
});
