/**
 * Crash safety of window sales: the real cloud is killed with SIGKILL while 32 clients sell into one slot, then
 * restarted on the same database. Every sale acknowledged before the kill must be there in full, no sale may be
 * half-written, and the slot's `sold` must equal the tickets issued into it.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../src/db/testing.js';
import { type Cloud, login, sellUntilExhausted, setUpVenue, startCloud, stopCloud } from './harness.js';

const count = (rows: { n: number | bigint | string }) => Number(rows.n);

describe.each(databaseBackends())('sales survive kill -9 on $name', (backend) => {
  let test: TestDatabase;
  let cloud: Cloud | undefined;
  const secret = randomBytes(32).toString('base64');

  beforeEach(async () => {
    test = await backend.create();
  });
  afterEach(async () => {
    if (cloud) await stopCloud(cloud);
    cloud = undefined;
    await test.dispose();
  });

  it('keeps every acknowledged sale whole and the slot count equal to its tickets', {
    timeout: 120_000,
  }, async () => {
    const env = { DATABASE_URL: test.url, CREDENTIAL_SECRET: secret };
    cloud = await startCloud(env);
    const token = await login(cloud.url);
    const venue = await setUpVenue(cloud.url, token, 1_000_000);
    const abort = new AbortController();
    const selling = sellUntilExhausted(cloud.url, token, venue, {
      clients: 32,
      quantity: 2,
      signal: abort.signal,
    });
    const killed = cloud;
    const killer = (async () => {
      const started = Date.now();
      // Kill once a few hundred tickets exist, while requests are in flight.
      for (;;) {
        const row = await test.database.db
          .selectFrom('capacity_slots')
          .select('sold')
          .where('id', '=', venue.slotId)
          .executeTakeFirst();
        if ((row?.sold ?? 0) >= 400 || Date.now() - started > 60_000) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      killed.child.kill('SIGKILL');
    })();
    const outcome = await selling;
    await killer;
    abort.abort();
    expect(await killed.exited).toBe('SIGKILL');
    expect(outcome.acknowledged.length).toBeGreaterThan(50);

    cloud = await startCloud(env);
    for (const saleId of outcome.acknowledged) {
      const response = await fetch(`${cloud.url}/api/v1/sales/${saleId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      const sale = (await response.json()) as { tickets: unknown[]; ticketCount: number; totalFen: number };
      expect(sale.tickets).toHaveLength(2);
      expect(sale.ticketCount).toBe(2);
      expect(sale.totalFen).toBe(2_000);
    }

    const db = test.database.db;
    const sales = await db.selectFrom('sales').select(['id', 'ticket_count', 'paid_fen']).execute();
    expect(sales.length).toBeGreaterThanOrEqual(outcome.acknowledged.length);
    for (const sale of sales) {
      const tickets = await db
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('sale_id', '=', sale.id)
        .executeTakeFirstOrThrow();
      const paid = await db
        .selectFrom('sale_payments')
        .select((eb) => eb.fn.sum<number>('amount_fen').as('n'))
        .where('sale_id', '=', sale.id)
        .executeTakeFirstOrThrow();
      expect(count(tickets)).toBe(sale.ticket_count);
      expect(Number(paid.n)).toBe(sale.paid_fen);
    }
    const slot = await db
      .selectFrom('capacity_slots')
      .select('sold')
      .where('id', '=', venue.slotId)
      .executeTakeFirstOrThrow();
    const inSlot = await db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('slot_id', '=', venue.slotId)
      .executeTakeFirstOrThrow();
    expect(slot.sold).toBe(count(inSlot));
    expect(slot.sold).toBe(sales.length * 2);
    const feed = await db.selectFrom('whitelist_feed').select('version').orderBy('version').execute();
    expect(feed.map((row) => row.version)).toEqual(Array.from({ length: slot.sold }, (_, i) => i + 1));
    const audited = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'sale.create')
      .executeTakeFirstOrThrow();
    expect(count(audited)).toBe(sales.length);
  });
});
