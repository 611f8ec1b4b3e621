/**
 * Offline conflicts end to end, with two real gate agent processes on the embedded broker, on SQLite and (when
 * TEST_DATABASE_URL names one) PostgreSQL. The broker goes down with the cloud's MQTT runtime; both gates keep
 * deciding from their own whitelist, so both admit the same single-entry ticket, and between them a two-entry count
 * card three times. When the cloud is back the outboxes drain: every passage is stored (none dropped), one entry of
 * the single ticket is normal and the other a conflict (USED: the cloud, judging it with the same rules engine at its
 * scan time, would have refused it), and the count card stops at its total with an overdraft of one. The control
 * room's list (conflicts only) and the ticket's lookup show them.
 */
import { issueTicket, TYPES } from '@scenic/cloud/testing';
import { generateBarcode } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { serviceUrl } from '@scenic/testkit/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateSite } from './gate-site.js';

const databases: ('sqlite' | 'postgres')[] = [
  'sqlite',
  ...(serviceUrl('TEST_DATABASE_URL') ? ['postgres' as const] : []),
];

describe.each(databases)('two gates offline admit the same ticket, on %s', (database) => {
  let site: GateSite;

  beforeAll(async () => {
    site = await GateSite.start({
      broker: { name: 'the embedded broker', url: undefined },
      gates: [
        { name: 'C1', direction: 'in' },
        { name: 'C2', direction: 'in' },
      ],
      database,
      // Back within a second of the broker, so the test does not wait out a long backoff.
      maxReconnectMs: 1_000,
    });
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
  }, 30_000);

  it('stores every passage; the second admit is a flagged conflict, the count card shows its overdraft', async () => {
    const singleCode = generateBarcode();
    const single = await issueTicket(site.db, { barcode: singleCode });
    const cardCode = generateBarcode();
    const card = await issueTicket(site.db, { barcode: cardCode, typeId: TYPES.count, entriesTotal: 2 });
    // Both gates have the tickets in their whitelist before the outage.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    await site.cloud.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const offline = { admit: true, reason: 'OK', decidedOffline: true };
    expect(await site.agent('C1').scanOutcome(singleCode)).toMatchObject({ ...offline, ticketId: single });
    expect(await site.agent('C2').scanOutcome(singleCode)).toMatchObject({ ...offline, ticketId: single });
    expect(await site.agent('C1').scanOutcome(cardCode)).toMatchObject({ ...offline, ticketId: card });
    expect(await site.agent('C1').scanOutcome(cardCode)).toMatchObject({ ...offline, ticketId: card });
    expect(await site.agent('C2').scanOutcome(cardCode)).toMatchObject({ ...offline, ticketId: card });

    await site.startCloud();
    const passages = await eventually(async () => {
      const [a, b] = [await site.passages(single), await site.passages(card)];
      return a.length >= 2 && b.length >= 3 ? { single: a, card: b } : undefined;
    }, 20_000);
    // A moment more: anything sent twice would show up now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await site.passages(single)).toHaveLength(2);
    expect(await site.passages(card)).toHaveLength(3);

    // One entry of the single ticket is normal, the other the conflict; both are stored.
    const singleFlags = passages.single.map((p) => p.conflict);
    expect(singleFlags.filter((flag) => flag === null)).toHaveLength(1);
    expect(singleFlags.filter((flag) => flag !== null)).toEqual(['USED']);
    expect(await site.ticketRow(single)).toEqual({ status: 'used', entries_used: 1 });

    // The count card: its count stops at its total (nothing left, never below zero); one entry overdrawn.
    expect(await site.ticketRow(card)).toEqual({ status: 'used', entries_used: 2 });
    const cardConflicts = passages.card.filter((p) => p.conflict !== null);
    expect(cardConflicts.map((p) => [p.conflict, p.overdraft])).toEqual([['USED', 1]]);

    // The control room's list, conflicts only: exactly these two, with their reasons.
    const page = await site.container.services.passageRecords.list({
      conflict: true,
      siteId: 'park',
      limit: 50,
    });
    expect(page.items.map((item) => [item.ticketId, item.conflict, item.overdraft]).sort()).toEqual(
      [
        [single, 'USED', 1],
        [card, 'USED', 1],
      ].sort(),
    );

    // The ticket's lookup (票效查询): its conflicts and overdraft, and nothing left.
    const [lookup] = (await site.container.services.lookup.lookup({ code: cardCode, direction: 'in' }))
      .tickets;
    expect(lookup!.entriesLeft).toBe(0);
    expect(lookup!.conflicts).toEqual({ count: 1, overdraft: 1 });
    expect(lookup!.passages.filter((p) => p.conflict !== null).map((p) => p.conflict)).toEqual(['USED']);
  }, 90_000);
});
