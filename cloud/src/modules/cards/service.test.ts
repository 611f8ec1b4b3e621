/**
 * IC cards with their own status, end to end through the routes on both databases: a lost card is refused at the
 * gate (the whitelist feed the gates apply) and its replacement admitted with the ticket's entries left; the deposit
 * charged with the sale and paid back at return lands in the cashier's shift; a card kept by the exit's recycler
 * can be sold again; parallel replacements and returns of one card leave exactly one winner.
 */
import { type CredentialRecord, createVenueClock, decide } from '@scenic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { createGroupTestEnv, type GroupTestEnv } from '../group-orders/testing.js';
import { passage } from '../metrics/testing.js';
import { TYPES } from '../tickets/testing.js';

const date = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const DEPOSIT = 2_000;
const PRICE = 50_000;
let seq = 0;
const newKey = () => `cards-${process.pid}-${Date.now()}-${++seq}`;
/** A fresh 4-byte UID per call. */
const uid = () =>
  (0x10000000 + ((process.pid * 7919 + ++seq * 104_729) % 0x6fffffff)).toString(16).toUpperCase();

describe.each(databaseBackends())('IC cards on $name', (backend) => {
  let env: GroupTestEnv;

  const call = (role: 'cashier' | 'admin', method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    env.app.inject({ method, url, headers: env.as(role), ...(payload && { payload }) });
  const sell = (cardUid: string, amountFen = PRICE + DEPOSIT) =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.count, quantity: 1, visitDate: date, cardUids: [cardUid] }],
        payments: [{ method: 'cash', amountFen }],
      },
    });
  const giveBack = (cardUid: string, key = newKey()) =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/card-returns',
      headers: { ...env.as('cashier'), 'idempotency-key': key },
      payload: { cardUid, windowId: 'W01' },
    });
  const exit = (ticketId: number, cardRecycled: boolean) =>
    env.container.services.passages.ingest({
      siteId: 'park',
      gateId: 'G1',
      message: passage('G1', {
        ticketId,
        credentialKind: 'card',
        direction: 'out',
        at: Date.now(),
        ...(cardRecycled && { cardRecycled }),
      }),
      receivedAt: Date.now(),
    });

  /** The gate's whitelist as it stands after applying the site's whole feed, found by card UID like its store. */
  const gateRecordOf = async (cardUid: string): Promise<CredentialRecord | null> => {
    const page = await env.container.services.tickets.feedSince('park', 0, 100_000);
    const byTicket = new Map<number, CredentialRecord>();
    for (const entry of page.entries) byTicket.set(entry.record.ticketId, entry.record);
    return [...byTicket.values()].find((record) => record.cardUid === cardUid) ?? null;
  };
  const atGate = async (cardUid: string) => {
    const record = await gateRecordOf(cardUid);
    return decide({
      record,
      rules: await env.container.services.ticketTypes.gateRules(TYPES.count),
      gate: { siteId: 'park', gateId: 'G1', zoneId: 'main', direction: 'both' },
      direction: 'in',
      now: Date.now() + 86_400_000 + 3_600_000,
      clock: createVenueClock('Asia/Shanghai'),
      recent: [],
    });
  };

  beforeAll(async () => {
    env = await createGroupTestEnv(backend);
    await call('admin', 'POST', '/api/v1/sites/park/zones', { id: 'main', name: { zh: '主区', en: 'Main' } });
    const gate = await call('admin', 'POST', '/api/v1/sites/park/gates', {
      id: 'G1',
      zoneId: 'main',
      direction: 'both',
      kind: 'tripod',
      name: { zh: '一号闸', en: 'Gate 1' },
    });
    expect(gate.statusCode, gate.body).toBe(201);
    const deposit = await call('admin', 'PUT', '/api/v1/cards/deposits/park', { depositFen: DEPOSIT });
    expect(deposit.json()).toEqual({ siteId: 'park', depositFen: DEPOSIT });
  });
  afterAll(() => env.dispose());

  it('a lost card is refused at the gate; its replacement is admitted with the entries the ticket had left', async () => {
    const old = uid();
    const sold = await sell(old);
    expect(sold.statusCode, sold.body).toBe(201);
    expect(sold.json().totalFen).toBe(PRICE + DEPOSIT);
    const ticketId = sold.json().tickets[0].ticketId as number;
    // Two entries used before the loss.
    await env.container.services.tickets.change(env.test.database.db, ticketId, 'use', { entriesUsed: 2 });
    expect((await atGate(old)).admit).toBe(true);

    const lost = await call('cashier', 'POST', `/api/v1/cards/${old.toLowerCase()}/lost`, {});
    expect(lost.statusCode, lost.body).toBe(200);
    expect(lost.json()).toMatchObject({ uid: old, status: 'lost', ticketId, depositFen: DEPOSIT });
    expect(await atGate(old)).toMatchObject({ admit: false, reason: 'UNKNOWN_CREDENTIAL' });
    // A lost card cannot be sold again, nor returned.
    expect((await sell(old)).json().error.code).toBe('CARD_BLOCKED');
    expect((await giveBack(old)).json().error.code).toBe('CARD_STATE_CONFLICT');

    const fresh = uid();
    const replaced = await call('cashier', 'POST', `/api/v1/cards/${old}/replace`, { newCardUid: fresh });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({
      old: { status: 'lost', replacedBy: fresh },
      replacement: { uid: fresh, status: 'issued', ticketId, depositFen: 0 },
    });
    const admitted = await atGate(fresh);
    expect(admitted).toMatchObject({ admit: true, entriesLeft: 7 });
    expect(await gateRecordOf(fresh)).toMatchObject({ ticketId, entriesTotal: 10, entriesUsed: 2 });
    expect((await atGate(old)).admit).toBe(false);
    // Online, too: the cloud finds no ticket for the old UID.
    const lookup = await call('cashier', 'GET', `/api/v1/lookup?cardUid=${fresh}`);
    expect(lookup.body).toContain(String(ticketId));

    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', old)
      .orderBy('seq')
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['card.lost', 'card.replace']);
    const history = (await call('cashier', 'GET', `/api/v1/cards/${old}`)).json().history;
    expect(history.map((e: { action: string }) => e.action)).toEqual(['issue', 'lost', 'replace']);
  });

  it('charges the deposit with the sale and pays it back at return, in the shift’s expected cash', async () => {
    const opened = await call('cashier', 'POST', '/api/v1/shifts', {
      siteId: 'park',
      windowId: 'W01',
      floatFen: 0,
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const shiftId = opened.json().id as string;
    const expected = async () =>
      (await call('admin', 'GET', `/api/v1/shifts/${shiftId}/report`)).json().cash.expectedFen as number;
    expect(await expected()).toBe(0);
    const card = uid();
    // Paying only the ticket's price does not settle the sale: the deposit is part of its total.
    expect((await sell(card, PRICE)).json().error.code).toBe('PAYMENT_MISMATCH');
    expect((await sell(card)).statusCode).toBe(201);
    expect(await expected()).toBe(PRICE + DEPOSIT);

    const key = newKey();
    const returned = await giveBack(card, key);
    expect(returned.statusCode, returned.body).toBe(201);
    expect(returned.json()).toMatchObject({ cardUid: card, depositFen: DEPOSIT, method: 'cash' });
    expect(await expected()).toBe(PRICE);
    // A retry after a lost answer replays; the money moves once.
    const again = await giveBack(card, key);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(returned.json().id);
    expect(await expected()).toBe(PRICE);
    expect((await call('cashier', 'GET', `/api/v1/cards/${card}`)).json()).toMatchObject({
      status: 'returned',
      ticketId: null,
      depositFen: 0,
    });
    expect(await gateRecordOf(card)).toBeNull();
    // A returned card may be sold again.
    expect((await sell(card)).statusCode).toBe(201);
  });

  it('a card kept by the exit’s recycler is unbound and sells again without CARD_UID_IN_USE', async () => {
    const card = uid();
    const ticketId = (await sell(card)).json().tickets[0].ticketId as number;
    expect((await sell(card)).json().error.code).toBe('CARD_UID_IN_USE');
    // An exit without the recycler keeps the card bound.
    expect((await exit(ticketId, false)).status).toBe('applied');
    expect((await call('cashier', 'GET', `/api/v1/cards/${card}`)).json().status).toBe('issued');
    expect((await exit(ticketId, true)).status).toBe('applied');
    const view = (await call('cashier', 'GET', `/api/v1/cards/${card}`)).json();
    expect(view).toMatchObject({ status: 'recycled', ticketId: null });
    expect(view.history.at(-1)).toMatchObject({ action: 'recycle', ticketId, actorId: null });
    expect(await gateRecordOf(card)).toBeNull();
    const resold = await sell(card);
    expect(resold.statusCode, resold.body).toBe(201);
    expect((await call('cashier', 'GET', `/api/v1/cards/${card}`)).json()).toMatchObject({
      status: 'issued',
      ticketId: resold.json().tickets[0].ticketId,
    });
  });

  it('of many parallel replacements of one lost card exactly one succeeds', async () => {
    const card = uid();
    const ticketId = (await sell(card)).json().tickets[0].ticketId as number;
    expect(
      (await call('cashier', 'POST', `/api/v1/cards/${card}/lost`, { status: 'blocked' })).statusCode,
    ).toBe(200);
    const candidates = Array.from({ length: 8 }, uid);
    const answers = await Promise.all(
      candidates.map((next) =>
        call('cashier', 'POST', `/api/v1/cards/${card}/replace`, { newCardUid: next }),
      ),
    );
    const won = answers.filter((answer) => answer.statusCode === 200);
    expect(won).toHaveLength(1);
    for (const answer of answers.filter((a) => a.statusCode !== 200))
      expect(answer.json().error.code).toBe('CARD_STATE_CONFLICT');
    const winner = won[0]!.json().replacement.uid as string;
    const bound = await env.test.database.db
      .selectFrom('tickets')
      .select('card_uid')
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(bound.card_uid).toBe(winner);
    const issued = await env.test.database.db
      .selectFrom('cards')
      .select('uid')
      .where('uid', 'in', candidates)
      .execute();
    expect(issued.map((row) => row.uid)).toEqual([winner]);
  });

  it('of many parallel returns of one card (different keys) exactly one pays the deposit back', async () => {
    const card = uid();
    expect((await sell(card)).statusCode).toBe(201);
    const answers = await Promise.all(Array.from({ length: 8 }, () => giveBack(card)));
    expect(answers.filter((answer) => answer.statusCode === 201)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.statusCode !== 201))
      expect(answer.json().error.code).toBe('CARD_STATE_CONFLICT');
    const returns = await env.test.database.db
      .selectFrom('card_returns')
      .select('deposit_fen')
      .where('uid', '=', card)
      .execute();
    expect(returns.map((row) => Number(row.deposit_fen))).toEqual([DEPOSIT]);
  });

  it('a card bound before cards had rows is found by its ticket: reported lost, then refused at the gate', async () => {
    const card = uid();
    const ticketId = (await sell(card)).json().tickets[0].ticketId as number;
    await env.test.database.db.deleteFrom('card_events').where('uid', '=', card).execute();
    await env.test.database.db.deleteFrom('cards').where('uid', '=', card).execute();
    expect((await call('cashier', 'GET', `/api/v1/cards/${card}`)).statusCode).toBe(404);
    const lost = await call('cashier', 'POST', `/api/v1/cards/${card}/lost`, {});
    expect(lost.statusCode, lost.body).toBe(200);
    expect(lost.json()).toMatchObject({ status: 'lost', ticketId, depositFen: 0 });
    expect((await atGate(card)).admit).toBe(false);
  });

  it('refuses a malformed UID with VALIDATION_FAILED and an unknown card with NOT_FOUND', async () => {
    expect((await call('cashier', 'GET', '/api/v1/cards/XYZ')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await call('cashier', 'GET', '/api/v1/cards/0A0B0C0D')).statusCode).toBe(404);
    expect((await call('cashier', 'POST', '/api/v1/cards/0A0B0C0D/lost', {})).statusCode).toBe(404);
  });
});
