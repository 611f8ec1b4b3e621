/**
 * Contract tests of the partners' booking routes (/api/channel/v1/bookings) on each engine: the lifecycle hold →
 * confirm → cancel with the agency's ledger and the partner's webhooks, a lapsing hold, idempotency by the partner's
 * reference, the key's scope (agency and sites), its rate limit, a redemption at a gate, and bad input answered
 * 400 (never 500).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import {
  createGroupTestEnv,
  type GroupTestEnv,
  HOUR_MS,
  shanghaiDate,
  shanghaiMidnight,
} from '../group-orders/testing.js';
import { passage } from '../metrics/testing.js';

/** A type the agencies may sell: window 10,000 fen, agency channel 8,000; the agencies settle at 7,000. */
const TYPE = 120;
const SETTLEMENT_FEN = 7_000;
const BALANCE_FEN = 1_000_000;

let refSeq = 0;
const newRef = () => `BK-${process.pid}-${++refSeq}`;

interface Key {
  readonly id: string;
  readonly secret: string;
}

describe.each(databaseBackends())('channel bookings on $name', (backend) => {
  let env: GroupTestEnv;
  let agencyA: string;
  let agencyB: string;
  let keyA: Key;
  let keyB: Key;
  let keyLake: Key;
  const date = shanghaiDate(10);

  async function admin(method: string, url: string, payload?: object) {
    const response = await env.app.inject({
      method: method as 'GET',
      url,
      headers: env.as('admin'),
      ...(payload && { payload }),
    });
    if (response.statusCode >= 300)
      throw new Error(`${method} ${url} → ${response.statusCode} ${response.body}`);
    return response.body ? response.json() : undefined;
  }

  async function partner(key: Key, method: string, url: string, payload?: object) {
    const response = await env.app.inject({
      method: method as 'GET',
      url: `/api/channel/v1${url}`,
      headers: { 'x-api-key': key.secret },
      ...(payload !== undefined && { payload }),
    });
    return {
      status: response.statusCode,
      replayed: response.headers['idempotent-replayed'] === 'true',
      body: response.body ? response.json() : undefined,
    };
  }

  async function agency(licenceNo: string, paymentMode = 'prepaid', creditLimitFen = 0) {
    const { id } = await admin('POST', '/api/v1/agencies', {
      name: `Agency ${licenceNo}`,
      licenceNo,
      paymentMode,
      creditLimitFen,
    });
    await admin('PUT', `/api/v1/agencies/${id}/types/${TYPE}`, { priceFen: SETTLEMENT_FEN });
    return id as string;
  }

  async function key(body: Record<string, unknown>): Promise<Key> {
    const created = await admin('POST', '/api/v1/channel-keys', {
      name: 'Partner',
      channel: 'agency',
      siteIds: ['park'],
      ratePerMinute: 60_000,
      ...body,
    });
    return { id: created.key.id, secret: created.secret };
  }

  const balance = async (agencyId: string) =>
    (await admin('GET', `/api/v1/agencies/${agencyId}`)).balanceFen as number;

  const sold = async (day = date) =>
    (await admin('GET', `/api/v1/capacity/availability?siteId=park&date=${day}`)).daily.sold as number;

  const booking = (overrides: Record<string, unknown> = {}) => ({
    siteId: 'park',
    reference: newRef(),
    visitDate: date,
    lines: [{ typeId: TYPE, quantity: 10 }],
    ...overrides,
  });

  const eventsOf = (keyId: string, bookingId: string) =>
    env.test.database.db
      .selectFrom('webhook_events')
      .select(['id', 'type', 'payload_json'])
      .where('key_id', '=', keyId)
      .orderBy('created_at')
      .execute()
      .then((rows) =>
        rows
          .map((row) => ({ id: row.id, type: row.type, data: JSON.parse(row.payload_json) }))
          .filter((event) => event.data.bookingId === bookingId),
      );

  beforeAll(async () => {
    env = await createGroupTestEnv(backend);
    await admin('POST', '/api/v1/ticket-types', {
      typeId: TYPE,
      siteId: 'park',
      code: 'CHANNEL',
      name: { zh: '渠道成人', en: 'Channel adult' },
      kind: 'single',
      prices: { window: 10_000, agency: 8_000 },
    });
    await admin('POST', '/api/v1/sites', { id: 'lake', name: { zh: '湖', en: 'Lake' } });
    await admin('POST', '/api/v1/sites/park/zones', { id: 'main', name: { zh: '主区', en: 'Main' } });
    await admin('POST', '/api/v1/sites/park/gates', {
      id: 'G1',
      zoneId: 'main',
      direction: 'in',
      kind: 'tripod',
      name: { zh: '一号闸', en: 'Gate 1' },
    });
    agencyA = await agency('L-CH-A');
    agencyB = await agency('L-CH-B');
    await admin('POST', `/api/v1/agencies/${agencyA}/top-ups`, { amountFen: BALANCE_FEN });
    await admin('POST', `/api/v1/agencies/${agencyB}/top-ups`, { amountFen: BALANCE_FEN });
    keyA = await key({ agencyId: agencyA });
    keyB = await key({ agencyId: agencyB });
    keyLake = await key({ agencyId: agencyA, siteIds: ['lake'] });
  });
  afterAll(() => env.dispose());

  it('holds, confirms (debiting the prepaid balance) and cancels (crediting it back), telling the partner', async () => {
    const start = await balance(agencyA);
    const soldBefore = await sold();
    const body = booking({ headcount: 10, guide: { name: '李导', phone: '13900000000' } });
    const held = await partner(keyA, 'POST', '/bookings', body);
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    expect(held.body).toMatchObject({
      reference: body.reference,
      status: 'ON_HOLD',
      state: 'held',
      siteId: 'park',
      visitDate: date,
      headcount: 10,
      personsRedeemed: 0,
      paymentMode: 'prepaid',
      totalFen: 10 * SETTLEMENT_FEN,
      paidFen: 0,
      lines: [{ lineNo: 1, typeId: TYPE, quantity: 10, unitPriceFen: SETTLEMENT_FEN, personsRedeemed: 0 }],
      guide: { name: '李导', phone: '13900000000' },
    });
    expect(held.body.holdExpiresAt).toBeGreaterThan(env.clock);
    expect(await sold()).toBe(soldBefore + 10);
    expect(await balance(agencyA)).toBe(start);
    const id = held.body.id as string;

    const byReference = await partner(keyA, 'GET', `/bookings/by-reference/${body.reference}`);
    expect(byReference.status).toBe(200);
    expect(byReference.body).toEqual(held.body);
    expect((await partner(keyA, 'GET', `/bookings/${id}`)).body).toEqual(held.body);

    const confirmed = await partner(keyA, 'POST', `/bookings/${id}/confirm`);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'CONFIRMED', state: 'confirmed', paidFen: 70_000 });
    expect(confirmed.body.holdExpiresAt).toBeNull();
    expect(await balance(agencyA)).toBe(start - 70_000);
    // Confirming again is a retry: the booking as it stands, nothing debited twice.
    const again = await partner(keyA, 'POST', `/bookings/${id}/confirm`);
    expect([again.status, again.replayed, again.body.status]).toEqual([200, true, 'CONFIRMED']);
    expect(await balance(agencyA)).toBe(start - 70_000);
    // The confirmation answers from what its transaction knows (group-orders view.ts orderCore); a read of the
    // whole order (the replay, a GET) must show the partner exactly the same booking.
    expect(again.body).toEqual(confirmed.body);
    expect((await partner(keyA, 'GET', `/bookings/${id}`)).body).toEqual(confirmed.body);

    const redemption = await partner(keyA, 'GET', `/bookings/${id}/redemption`);
    expect(redemption.body).toEqual({
      bookingId: id,
      reference: body.reference,
      status: 'CONFIRMED',
      state: 'confirmed',
      headcount: 10,
      personsRedeemed: 0,
      personsLeft: 10,
      lines: [{ lineNo: 1, typeId: TYPE, quantity: 10, redeemed: 0, left: 10 }],
    });

    const cancelled = await partner(keyA, 'POST', `/bookings/${id}/cancel`, { reason: 'trip called off' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'CANCELLED',
      state: 'cancelled',
      feeFen: 0,
      refundedFen: 70_000,
    });
    expect(await balance(agencyA)).toBe(start);
    expect(await sold()).toBe(soldBefore);
    const cancelledAgain = await partner(keyA, 'POST', `/bookings/${id}/cancel`, {});
    expect([cancelledAgain.status, cancelledAgain.replayed]).toEqual([200, true]);
    expect(await balance(agencyA)).toBe(start);
    // Nothing leaves cancelled.
    const late = await partner(keyA, 'POST', `/bookings/${id}/confirm`);
    expect([late.status, late.body.error.code]).toEqual([409, 'ORDER_STATE_INVALID']);
    expect((await partner(keyA, 'GET', `/bookings/${id}/redemption`)).body).toMatchObject({
      status: 'CANCELLED',
      personsLeft: 0,
      lines: [{ left: 0 }],
    });

    const events = await eventsOf(keyA.id, id);
    expect(events.map((e) => e.type)).toEqual(['booking.cancelled', 'booking.refunded']);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
    expect(events[0]!.data).toMatchObject({
      bookingId: id,
      reference: body.reference,
      status: 'CANCELLED',
      feeFen: 0,
      reason: 'trip called off',
    });
    expect(events[1]!.data).toMatchObject({
      status: 'CANCELLED',
      refund: 'cancellation_credit',
      amountFen: 70_000,
    });
  });

  it('is idempotent by the partner’s reference: same body → the same booking, another body → 409', async () => {
    const body = booking();
    const first = await partner(keyA, 'POST', '/bookings', body);
    expect(first.status).toBe(201);
    const soldAfter = await sold();
    const replay = await partner(keyA, 'POST', '/bookings', body);
    expect([replay.status, replay.replayed]).toEqual([200, true]);
    expect(replay.body).toEqual(first.body);
    // The headcount is derived from the lines: giving it as well is the same booking.
    const withHeadcount = await partner(keyA, 'POST', '/bookings', { ...body, headcount: 10 });
    expect([withHeadcount.status, withHeadcount.body.id]).toEqual([200, first.body.id]);
    const other = await partner(keyA, 'POST', '/bookings', {
      ...body,
      lines: [{ typeId: TYPE, quantity: 11 }],
    });
    expect([other.status, other.body.error.code]).toEqual([409, 'ORDER_REFERENCE_CONFLICT']);
    expect(other.body.error.messages['zh-CN']).toContain(body.reference);
    expect(other.body.error.messages.en).toContain(body.reference);
    expect(await sold()).toBe(soldAfter);
    // Parallel retries of one new reference place one booking.
    const racing = booking();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => partner(keyA, 'POST', '/bookings', racing)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await sold()).toBe(soldAfter + 10);
    // Another agency may use the same reference for its own booking.
    const theirs = await partner(keyB, 'POST', '/bookings', body);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('lets a hold lapse: EXPIRED at once, refused confirmation, places back after the sweep', async () => {
    // A day of its own: the sweep expires every lapsed hold, this one's places are the only ones on it.
    const day = shanghaiDate(11);
    const held = (
      await partner(
        keyA,
        'POST',
        '/bookings',
        booking({ visitDate: day, lines: [{ typeId: TYPE, quantity: 7 }] }),
      )
    ).body;
    expect(await sold(day)).toBe(7);
    env.clock += env.config.groupOrders.holdMinutes * 60_000 + 1;
    try {
      expect((await partner(keyA, 'GET', `/bookings/${held.id}`)).body).toMatchObject({
        status: 'EXPIRED',
        state: 'held',
      });
      const confirm = await partner(keyA, 'POST', `/bookings/${held.id}/confirm`);
      expect([confirm.status, confirm.body.error.code]).toEqual([409, 'ORDER_HOLD_EXPIRED']);
      expect(await env.container.services.groupOrders.expireLapsed()).toBeGreaterThanOrEqual(1);
      const expired = await partner(keyA, 'GET', `/bookings/${held.id}`);
      expect(expired.body).toMatchObject({ status: 'EXPIRED', state: 'expired', holdExpiresAt: null });
      // The partner is told, once, in the sweep's transaction.
      const events = await eventsOf(keyA.id, held.id);
      expect(events.map((e) => e.type)).toEqual(['booking.expired']);
      expect(events[0]!.data).toMatchObject({
        bookingId: held.id,
        status: 'EXPIRED',
        state: 'expired',
        holdExpiredAt: held.holdExpiresAt,
      });
      expect(await env.container.services.groupOrders.expireLapsed()).toBe(0);
      expect(await eventsOf(keyA.id, held.id)).toHaveLength(1);
      expect(await sold(day)).toBe(0);
      const listed = await partner(keyA, 'GET', '/bookings?status=expired&limit=200');
      expect(listed.body.bookings.map((b: { id: string }) => b.id)).toContain(held.id);
      expect(listed.body.bookings.every((b: { status: string }) => b.status === 'EXPIRED')).toBe(true);
    } finally {
      env.clock = Date.now();
    }
  });

  it('confirms only within the prepaid balance', async () => {
    const poor = await agency('L-CH-POOR');
    await admin('POST', `/api/v1/agencies/${poor}/top-ups`, { amountFen: 15 * SETTLEMENT_FEN });
    const poorKey = await key({ agencyId: poor });
    const first = (await partner(poorKey, 'POST', '/bookings', booking())).body;
    const second = (await partner(poorKey, 'POST', '/bookings', booking())).body;
    expect((await partner(poorKey, 'POST', `/bookings/${first.id}/confirm`)).status).toBe(200);
    const short = await partner(poorKey, 'POST', `/bookings/${second.id}/confirm`);
    expect([short.status, short.body.error.code]).toEqual([409, 'AGENCY_BALANCE_SHORT']);
    expect((await partner(poorKey, 'GET', `/bookings/${second.id}`)).body.status).toBe('ON_HOLD');
    expect(await balance(poor)).toBe(5 * SETTLEMENT_FEN);
  });

  it('shows a key only its agency’s bookings on its sites; another agency’s answers 404', async () => {
    const mine = (await partner(keyA, 'POST', '/bookings', booking())).body;
    for (const [method, url, payload] of [
      ['GET', `/bookings/${mine.id}`],
      ['GET', `/bookings/by-reference/${mine.reference}`],
      ['GET', `/bookings/${mine.id}/redemption`],
      ['POST', `/bookings/${mine.id}/confirm`],
      ['POST', `/bookings/${mine.id}/cancel`, {}],
    ] as const) {
      const answer = await partner(keyB, method, url, payload);
      expect([url, answer.status, answer.body.error.code]).toEqual([url, 404, 'NOT_FOUND']);
    }
    // The same agency's key limited to another site does not reach the park's booking either.
    expect((await partner(keyLake, 'GET', `/bookings/${mine.id}`)).status).toBe(404);
    const elsewhere = await partner(keyA, 'POST', '/bookings', booking({ siteId: 'lake' }));
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([403, 'SITE_FORBIDDEN']);
    // The list is the key's own bookings, paged.
    const page = await partner(keyB, 'GET', '/bookings?limit=2&offset=0');
    expect(page.status).toBe(200);
    expect(page.body.bookings.length).toBeLessThanOrEqual(2);
    const all = await partner(keyB, 'GET', '/bookings?limit=200');
    expect(all.body.total).toBe(all.body.bookings.length);
    expect(all.body.bookings.map((b: { id: string }) => b.id)).not.toContain(mine.id);
    expect(
      (await partner(keyA, 'GET', '/bookings?limit=200')).body.bookings.map((b: { id: string }) => b.id),
    ).toContain(mine.id);
    // A key without an agency books at the window price and sees only what it placed.
    const ota = await key({ channel: 'ota', name: 'OTA' });
    const placed = await partner(ota, 'POST', '/bookings', booking());
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({ paymentMode: 'window', totalFen: 100_000 });
    expect((await partner(ota, 'GET', `/bookings/${mine.id}`)).status).toBe(404);
    expect((await partner(keyA, 'GET', `/bookings/${placed.body.id}`)).status).toBe(404);
    expect((await partner(ota, 'POST', `/bookings/${placed.body.id}/confirm`)).body).toMatchObject({
      status: 'CONFIRMED',
      paidFen: 0,
    });
  });

  it('counts persons admitted at the gate and tells the partner of each admission', async () => {
    const placed = (
      await partner(keyA, 'POST', '/bookings', booking({ lines: [{ typeId: TYPE, quantity: 6 }] }))
    ).body;
    await partner(keyA, 'POST', `/bookings/${placed.id}/confirm`);
    const picked = await admin('POST', `/api/v1/group-orders/${placed.id}/pick-up`, {
      windowId: 'W01',
      issue: 'group',
    });
    const ticketId = picked.tickets[0].ticketId as number;
    const enter = (persons: number) =>
      env.container.services.passages.ingest({
        siteId: 'park',
        gateId: 'G1',
        message: passage('G1', { ticketId, persons, at: env.clock }),
        receivedAt: env.clock,
      });
    expect((await enter(4)).status).toBe('applied');
    expect((await partner(keyA, 'GET', `/bookings/${placed.id}/redemption`)).body).toMatchObject({
      status: 'CONFIRMED',
      state: 'picked_up',
      personsRedeemed: 4,
      personsLeft: 2,
      lines: [{ quantity: 6, redeemed: 4, left: 2 }],
    });
    await enter(2);
    const done = (await partner(keyA, 'GET', `/bookings/${placed.id}/redemption`)).body;
    expect(done).toMatchObject({ status: 'REDEEMED', personsRedeemed: 6, personsLeft: 0 });
    expect((await partner(keyA, 'GET', `/bookings/${placed.id}`)).body).toMatchObject({
      status: 'REDEEMED',
      personsRedeemed: 6,
      lines: [{ personsRedeemed: 6 }],
    });
    const events = await eventsOf(keyA.id, placed.id);
    expect(events.map((e) => [e.type, e.data.persons, e.data.personsRedeemed, e.data.status])).toEqual([
      ['booking.redeemed', 4, 4, 'CONFIRMED'],
      ['booking.redeemed', 2, 6, 'REDEEMED'],
    ]);
  });

  it('closes after the visit: unused persons refunded to the agency, the partner told, REDEEMED', async () => {
    const placed = (
      await partner(keyA, 'POST', '/bookings', booking({ lines: [{ typeId: TYPE, quantity: 3 }] }))
    ).body;
    await partner(keyA, 'POST', `/bookings/${placed.id}/confirm`);
    const picked = await admin('POST', `/api/v1/group-orders/${placed.id}/pick-up`, {
      windowId: 'W01',
      issue: 'individual',
    });
    expect(picked.tickets).toHaveLength(3);
    await env.container.services.passages.ingest({
      siteId: 'park',
      gateId: 'G1',
      message: passage('G1', { ticketId: picked.tickets[0].ticketId, persons: 1, at: env.clock }),
      receivedAt: env.clock,
    });
    const before = await balance(agencyA);
    env.clock = shanghaiMidnight(shanghaiDate(11)) + HOUR_MS;
    try {
      await admin('POST', `/api/v1/group-orders/${placed.id}/close`, {});
      expect(await balance(agencyA)).toBe(before + 2 * SETTLEMENT_FEN);
      expect((await partner(keyA, 'GET', `/bookings/${placed.id}`)).body).toMatchObject({
        status: 'REDEEMED',
        state: 'closed',
        personsRedeemed: 1,
        refundedFen: 2 * SETTLEMENT_FEN,
      });
      expect((await partner(keyA, 'GET', `/bookings/${placed.id}/redemption`)).body).toMatchObject({
        personsRedeemed: 1,
        personsLeft: 0,
        lines: [{ quantity: 3, redeemed: 1, left: 0 }],
      });
      const events = await eventsOf(keyA.id, placed.id);
      expect(events.map((e) => e.type)).toEqual(['booking.redeemed', 'booking.refunded']);
      expect(events[1]!.data).toMatchObject({
        status: 'REDEEMED',
        state: 'closed',
        refund: 'unused_persons',
        amountFen: 2 * SETTLEMENT_FEN,
        unusedPersons: 2,
      });
    } finally {
      env.clock = Date.now();
    }
  });

  it('keeps the key’s rate limit on the booking routes', async () => {
    const limited = await key({ agencyId: agencyA, ratePerMinute: 3 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await partner(limited, 'GET', '/bookings'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[3]!.body.error.code).toBe('RATE_LIMITED');
  });

  it('refuses bad input with a stable code in both languages, never 500', async () => {
    const noKey = await env.app.inject({ method: 'GET', url: '/api/channel/v1/bookings' });
    expect([noKey.statusCode, noKey.json().error.code]).toEqual([401, 'API_KEY_INVALID']);
    const bad: [string, Record<string, unknown>][] = [
      ['no reference', { reference: undefined }],
      ['reference with a space', { reference: 'A B' }],
      ['reference too long', { reference: 'x'.repeat(65) }],
      ['bad date', { visitDate: '2026-02-30' }],
      ['no lines', { lines: [] }],
      ['zero persons', { lines: [{ typeId: TYPE, quantity: 0 }] }],
      ['fractional persons', { lines: [{ typeId: TYPE, quantity: 1.5 }] }],
      [
        'one type twice',
        {
          lines: [
            { typeId: TYPE, quantity: 1 },
            { typeId: TYPE, quantity: 1 },
          ],
        },
      ],
      ['headcount not the sum', { headcount: 9 }],
      ['unknown field', { agencyId: agencyB }],
      ['site not a string', { siteId: 7 }],
      ['visitor without ID', { visitors: [{ typeId: TYPE, name: '张三' }] }],
    ];
    for (const [what, overrides] of bad) {
      const answer = await partner(keyA, 'POST', '/bookings', booking(overrides));
      expect([what, answer.status, answer.body.error.code]).toEqual([what, 400, 'VALIDATION_FAILED']);
      expect(answer.body.error.messages['zh-CN']).toBeTruthy();
      expect(answer.body.error.messages.en).toBeTruthy();
    }
    const notJson = await env.app.inject({
      method: 'POST',
      url: '/api/channel/v1/bookings',
      headers: { 'x-api-key': keyA.secret, 'content-type': 'application/json' },
      payload: '{"siteId":',
    });
    expect(notJson.statusCode).toBe(400);
    // Well-formed but impossible: an unknown type, a past date, a booking that does not exist.
    const unknownType = await partner(
      keyA,
      'POST',
      '/bookings',
      booking({ lines: [{ typeId: 999, quantity: 1 }] }),
    );
    expect(unknownType.status).toBeGreaterThanOrEqual(400);
    expect(unknownType.status).toBeLessThan(500);
    const past = await partner(keyA, 'POST', '/bookings', booking({ visitDate: shanghaiDate(-3) }));
    expect(past.status).toBeGreaterThanOrEqual(400);
    expect(past.status).toBeLessThan(500);
    for (const query of ['limit=0', 'limit=201', 'offset=-1', 'status=ON', 'visitDate=tomorrow', 'other=1']) {
      const answer = await partner(keyA, 'GET', `/bookings?${query}`);
      expect([query, answer.status]).toEqual([query, 400]);
    }
    expect((await partner(keyA, 'GET', `/bookings/${'x'.repeat(65)}`)).status).toBe(400);
    expect((await partner(keyA, 'GET', '/bookings/by-reference/a%20b')).status).toBe(400);
    expect((await partner(keyA, 'GET', '/bookings/no-such-booking')).body.error.code).toBe('NOT_FOUND');
    const cancelBody = await partner(keyA, 'POST', '/bookings/no-such-booking/cancel', { reason: 5 });
    expect(cancelBody.status).toBe(400);
  });
});
