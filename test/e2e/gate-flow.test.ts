/**
 * End to end with real components: the cloud's MQTT runtime (SQLite; the embedded broker on free ports, and
 * Mosquitto when TEST_MQTT_URL names one) and two real gate agent processes with virtual drivers, both `in` gates of
 * zone `north`. A sale reaches the gates as a delta and
 * is admitted within a second; the passage uses the ticket up and a second gate refuses it; a duplicated passage
 * changes nothing; a revoked count card is refused; an emergency open for the zone is acknowledged by every gate.
 */

import { issueTicket, TicketsService, TYPES, transaction } from '@scenic/cloud/testing';
import { gateTopic, generateBarcode } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, GateSite } from './gate-site.js';

describe.each(brokers())('sale to gate and back, with real gate agent processes, on $name', (broker) => {
  let site: GateSite;
  let test: GateSite['test'];
  let cloud: GateSite['cloud'];
  let GATES: [string, string];

  beforeAll(async () => {
    site = await GateSite.start({
      broker,
      gates: [
        { name: 'E1', direction: 'in' },
        { name: 'E2', direction: 'in' },
      ],
    });
    ({ test, cloud } = site);
    GATES = [site.id('E1'), site.id('E2')];
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
  }, 30_000);

  const agent = (index: 0 | 1) => site.agent(index === 0 ? 'E1' : 'E2');
  const ticketRow = (id: number) => site.ticketRow(id);
  const feedLength = async () =>
    (await test.database.db.selectFrom('whitelist_feed').select('version').execute()).length;

  it('admits a ticket sold a second ago; the passage uses it, another gate refuses it; a duplicate uses nothing', async () => {
    const barcode = generateBarcode();
    const ticketId = await issueTicket(test.database.db, { barcode });
    // A barcode is only known from the whitelist: admission proves the delta arrived.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const admitted = await agent(0).scanOutcome(barcode);
    expect(admitted).toMatchObject({ admit: true, reason: 'OK' });

    const used = await eventually(async () => {
      const row = await ticketRow(ticketId);
      return row.status === 'used' ? row : undefined;
    });
    expect(used.entries_used).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const refused = await agent(1).scanOutcome(barcode);
    expect(refused).toMatchObject({ admit: false, reason: 'USED' });

    // The broker delivering the same passage again (as after a reconnect): stored once, no ticket change; the feed
    // restates the ticket's record once, for a gate that sent it again after a crash (tickets/passage-hook.ts).
    const stored = await test.database.db
      .selectFrom('passage_events')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .where('kind', '=', 'passage')
      .execute();
    expect(stored).toHaveLength(1);
    const event = stored[0]!;
    const feedBefore = await feedLength();
    const replay = {
      type: 'passage',
      v: 1,
      eventId: event.event_id,
      gateId: event.gate_id,
      at: Number(event.at),
      ticketId,
      credentialKind: event.credential_kind,
      direction: event.direction,
      persons: event.persons,
      entriesLeft: event.entries_left,
      decidedOffline: event.decided_offline === 1,
      correlationId: event.correlation_id,
    };
    expect(
      await cloud.bus.receive(
        gateTopic('park', event.gate_id, 'event/passage'),
        Buffer.from(JSON.stringify(replay)),
        false,
      ),
    ).toBe(true);
    expect(await ticketRow(ticketId)).toEqual(used);
    expect(await feedLength()).toBe(feedBefore + 1);
    expect(
      await test.database.db
        .selectFrom('passage_events')
        .select('event_id')
        .where('ticket_id', '=', ticketId)
        .where('kind', '=', 'passage')
        .execute(),
    ).toHaveLength(1);
  }, 30_000);

  it('refuses a count card at every gate once it is revoked', async () => {
    const barcode = generateBarcode();
    const card = await issueTicket(test.database.db, { barcode, typeId: TYPES.count, entriesTotal: 10 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const first = await agent(0).scanOutcome(barcode);
    // A count card is asked online: the cloud's answer, not the cache.
    expect(first).toMatchObject({ admit: true, reason: 'OK', decidedOffline: false });
    await eventually(async () => ((await ticketRow(card)).entries_used === 1 ? true : undefined));

    await transaction(test.database.db, (trx) =>
      new TicketsService(trx).change(trx, card, 'revoke', { status: 'revoked' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const index of [0, 1] as const)
      expect(await agent(index).scanOutcome(barcode)).toMatchObject({ admit: false, reason: 'REVOKED' });
  }, 30_000);

  it('two gates scanning the last entry of one count card at the same moment: the cloud admits one', async () => {
    const barcode = generateBarcode();
    const card = await issueTicket(test.database.db, { barcode, typeId: TYPES.count, entriesTotal: 2 });
    await transaction(test.database.db, (trx) =>
      new TicketsService(trx).change(trx, card, 'update', { entriesUsed: 1 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const outcomes = await Promise.all([agent(0).scanOutcome(barcode), agent(1).scanOutcome(barcode)]);
    expect(outcomes.map((o) => o.reason).sort()).toEqual(['ENTRIES_EXHAUSTED', 'OK']);
    // Both caches said one entry was left, so the refusal is the cloud's answer; the admission was asked online too.
    expect(outcomes.find((o) => o.admit)?.decidedOffline).toBe(false);
    const used = await eventually(async () => {
      const row = await ticketRow(card);
      return row.status === 'used' ? row : undefined;
    });
    expect(used.entries_used).toBe(2);
  }, 30_000);

  it('an emergency open for the zone is acknowledged by every gate in it', async () => {
    const view = await site.command(
      { kind: 'emergency_open' },
      { kind: 'zone', siteId: 'park', zoneId: 'north' },
    );
    expect(view).toMatchObject({ summary: { gates: 2, ok: 2, pending: 0 } });
    await eventually(async () => {
      // Only this run's gates: on a shared broker the cloud also hears other gates' retained states.
      const rows = await test.database.db
        .selectFrom('gate_status')
        .select('mode')
        .where('gate_id', 'in', [...GATES])
        .execute();
      return rows.length === 2 && rows.every((row) => row.mode === 'emergency_open') ? true : undefined;
    });
  }, 30_000);
});
