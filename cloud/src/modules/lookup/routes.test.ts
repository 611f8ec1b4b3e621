import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.js';
import { seedVenue, TYPES } from '../tickets/testing.js';

const DAY_MS = 86_400_000;
const visitDate = (daysAhead = 2) => new Date(Date.now() + daysAhead * DAY_MS).toISOString().slice(0, 10);
const ID = (() => {
  const first17 = '11010119850512301';
  return first17 + residentIdCheckCharacter(first17);
})();

describe.each(databaseBackends())('validity lookup on $name', (backend) => {
  let env: AuthTestApp;
  let qr: { ticketId: number; qrText: string };
  let named: { ticketId: number };

  const lookup = (query: string) =>
    env.app.inject({ method: 'GET', url: `/api/v1/lookup?${query}`, headers: env.as('gate_staff') });

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'test-secret-test-secret-test-secret!' });
    await seedVenue(env.test.database.db);
    const sale = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': 'lookup-1' },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [
          { typeId: TYPES.adult, quantity: 1, visitDate: visitDate() },
          {
            typeId: TYPES.realName,
            quantity: 1,
            visitDate: visitDate(),
            holders: [{ name: '王五', idNumber: ID }],
          },
        ],
        payments: [{ method: 'cash', amountFen: 18_000 }],
      },
    });
    expect(sale.statusCode, sale.body).toBe(201);
    [qr, named] = sale.json().tickets;
  });
  afterAll(() => env.dispose());

  it('verifies a scanned QR and answers status, type, validity, verdict and sale', async () => {
    const response = await lookup(`code=${encodeURIComponent(qr.qrText)}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.credential).toEqual({
      input: 'qr',
      check: 'NOT_YET_VALID',
      forged: false,
      message: expect.any(String),
    });
    expect(body.tickets).toHaveLength(1);
    expect(body.tickets[0]).toMatchObject({
      ticket: { ticketId: qr.ticketId, status: 'active', typeName: { zh: '成人票' }, kind: 'single' },
      entriesLeft: 1,
      verdict: { admit: false, reason: 'NOT_YET_VALID', gateId: null },
      passages: [],
      sale: { ticketCount: 2, totalFen: 18_000 },
      refunds: [],
      supplements: [],
    });
  });

  it('answers the entry rules’ state: activation, visit days used and which, inside or outside', async () => {
    const first = await lookup(`code=${encodeURIComponent(qr.qrText)}`);
    // An ordinary ticket: no visit days, never entered, no re-entry rule.
    expect(first.json().tickets[0]).toMatchObject({
      visitDays: null,
      presence: { state: 'never', lastEntryAt: null, lastExitAt: null, reentry: null },
    });

    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/ticket-types',
      headers: env.as('admin'),
      payload: {
        typeId: 901,
        siteId: 'park',
        code: 'FIRST3',
        kind: 'period_pass',
        name: { zh: '三日游', en: 'Any 3 days' },
        validity: { from: 'first_use', length: { unit: 'day', count: 30 } },
        prices: { window: 20_000 },
        rules: { visitDays: 3 },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const shanghaiToday = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const sale = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': 'lookup-first3' },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: 901, quantity: 1, visitDate: shanghaiToday }],
        payments: [{ method: 'cash', amountFen: 20_000 }],
      },
    });
    expect(sale.statusCode, sale.body).toBe(201);
    const pass = sale.json().tickets[0] as { ticketId: number; qrText: string };
    const unused = (await lookup(`code=${encodeURIComponent(pass.qrText)}`)).json().tickets[0];
    expect(unused).toMatchObject({
      activation: { firstEntryAt: null, validUntil: null, period: { unit: 'day', count: 30 } },
      visitDays: { allowed: 3, used: 0, days: [] },
      presence: { state: 'never' },
    });

    // Two visit days recorded (yesterday and today, Shanghai), the latest passage an entry: inside.
    const now = Date.now();
    const shanghaiDay = (at: number) => Math.floor((at + 8 * 3_600_000) / DAY_MS);
    const today = shanghaiDay(now);
    const firstEntry = now - DAY_MS;
    await env.test.database.db
      .updateTable('tickets')
      .set({
        first_entry_at: firstEntry,
        visit_days: JSON.stringify([today - 1, today]),
        last_visit_at: now - 60_000,
        last_entry_at: now - 60_000,
        last_exit_at: now - 3_600_000,
      })
      .where('id', '=', pass.ticketId)
      .execute();
    const entered = (await lookup(`code=${encodeURIComponent(pass.qrText)}`)).json().tickets[0];
    const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
    expect(entered).toMatchObject({
      activation: { firstEntryAt: firstEntry },
      visitDays: { allowed: 3, used: 2, days: [iso(today - 1), iso(today)] },
      presence: { state: 'inside', lastEntryAt: now - 60_000, lastExitAt: now - 3_600_000, reentry: null },
    });
    // 30 days counted from the first entry's local day: it ends at a Shanghai midnight 29–30 days on.
    const until = entered.activation.validUntil as number;
    expect((until + 8 * 3_600_000) % DAY_MS).toBe(0);
    expect(shanghaiDay(until)).toBe(shanghaiDay(firstEntry) + 30);
  });

  it('says so when a QR code is forged or altered', async () => {
    const i = 60;
    const altered = qr.qrText.slice(0, i) + (qr.qrText[i] === 'A' ? 'B' : 'A') + qr.qrText.slice(i + 1);
    const body = (await lookup(`code=${encodeURIComponent(altered)}`)).json();
    expect(body.credential).toMatchObject({ input: 'qr', check: 'BAD_SIGNATURE', forged: true });
    expect(body.tickets).toEqual([]);
  });

  it('checks a barcode’s check digit and finds nothing for an unknown code', async () => {
    const digits = '12345678901';
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, d) => lookup(`code=${digits}${d}`).then((r) => r.json())),
    );
    const ok = results.filter((r) => r.credential.check === 'OK');
    expect(ok).toHaveLength(1);
    expect(ok[0].tickets).toEqual([]);
    expect(results.filter((r) => r.credential.check === 'BAD_CHECK_DIGIT')).toHaveLength(9);
    const noise = (await lookup('code=https%3A%2F%2Fpay.example%2Fx')).json();
    expect(noise.credential).toMatchObject({ input: 'unrecognised', check: 'UNRECOGNISED' });
  });

  it('finds tickets by IC card UID and by ID number (hashed), and refuses malformed ones', async () => {
    await env.app.inject({
      method: 'POST',
      url: '/api/v1/supplements',
      headers: { ...env.as('cashier'), 'idempotency-key': 'lookup-card' },
      payload: { kind: 'reissue', ticketId: qr.ticketId, windowId: 'W01', cardUid: '04A22B1C' },
    });
    const byCard = (await lookup('cardUid=04:a2:2b:1c')).json();
    expect(byCard.credential.input).toBe('card');
    expect(byCard.tickets).toHaveLength(1);
    expect(byCard.tickets[0].supplements[0]).toMatchObject({ kind: 'reissue', ticketId: qr.ticketId });
    const old = (await lookup(`code=${encodeURIComponent(qr.qrText)}`)).json();
    expect(old.tickets[0]).toMatchObject({ ticket: { status: 'revoked' }, verdict: { reason: 'REVOKED' } });

    const byId = (await lookup(`idNumber=${ID}`)).json();
    expect(byId.tickets.map((t: { ticket: { ticketId: number } }) => t.ticket.ticketId)).toEqual([
      named.ticketId,
    ]);
    expect(byId.tickets[0].ticket.holder).toMatchObject({ name: '王五' });
    expect(JSON.stringify(byId)).not.toContain(ID);
    expect((await lookup('idNumber=110101198505123011')).json().error.code).toBe('ID_NUMBER_INVALID');
    expect((await lookup('cardUid=zz')).statusCode).toBe(400);
    expect((await lookup('cardUid=04A22B1C&idNumber=x')).statusCode).toBe(400);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/lookup?cardUid=04A22B1C',
          headers: env.as('agency'),
        })
      ).statusCode,
    ).toBe(403);
  });
});
