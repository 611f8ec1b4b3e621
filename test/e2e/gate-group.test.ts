/**
 * A group order end to end with real components: the cloud's services and MQTT runtime, real gate agent processes on
 * the simulators' virtual drivers, a real broker (the embedded one with SQLite; Mosquitto with PostgreSQL when both
 * are configured). The cashier picks up an order of 30 as one group code; at the gate only 25 of the group walk
 * through (the virtual visitors' `!group 25`), so the group pass ends by its idle timeout and reports ONE passage of
 * 25; the cloud's order shows 25 redeemed and 5 left; closing it after the visit day refunds exactly the 5 unused
 * persons, and the code admits nobody more.
 */
import { SYSTEM_CONTEXT, TYPES } from '@scenic/cloud/testing';
import { GateStore } from '@scenic/gate-agent';
import { eventually } from '@scenic/testkit/eventually';
import { serviceUrl } from '@scenic/testkit/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, GateSite } from './gate-site.js';

const PERSONS = 30;
const WALKED = 25;
/** The adult type's price in the tickets module's seeded park. */
const UNIT_FEN = 10_000;

/** Today in the park's zone, as the order's visit date. */
function shanghaiToday(now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

const runs = [
  { database: 'sqlite' as const, broker: brokers()[0]! },
  ...(serviceUrl('TEST_DATABASE_URL') && brokers()[1]
    ? [{ database: 'postgres' as const, broker: brokers()[1]! }]
    : []),
];

describe.each(runs)('a group code at the gate, on $database with $broker.name', ({ database, broker }) => {
  let site: GateSite;
  /** Moves the cloud's clock (not the gates'): past the visit day, to close the order. */
  let offsetMs = 0;
  const requester = { context: SYSTEM_CONTEXT, agencyId: null, manages: true };

  beforeAll(async () => {
    site = await GateSite.start({
      broker,
      database,
      gates: [
        { name: 'G1', direction: 'in' },
        { name: 'G2', direction: 'in' },
      ],
      now: () => Date.now() + offsetMs,
      // The gates' settings in the cloud: a group pass ends a second after its last person.
      seed: async (db) => {
        for (const gate of await db.selectFrom('gates').select(['id', 'site_id']).execute())
          await db
            .insertInto('gate_configs')
            .values({
              gate_id: gate.id,
              site_id: gate.site_id,
              settings_json: JSON.stringify({ groupIdleMs: 1_000 }),
              version: 0,
              fingerprint: null,
              published_at: null,
              updated_at: Date.now(),
            })
            .execute();
      },
    });
  }, 90_000);

  afterAll(async () => {
    await site?.stop();
  }, 30_000);

  it(`picks up ${PERSONS} as one code, ${WALKED} walk through, the order shows them and close refunds the rest`, async () => {
    const orders = site.container.services.groupOrders;
    const { value: created } = await orders.create(
      {
        siteId: 'park',
        reference: `e2e-group-${site.run}`,
        visitDate: shanghaiToday(Date.now()),
        lines: [{ typeId: TYPES.adult, quantity: PERSONS }],
        guide: { name: '王导', phone: '13800000000' },
      },
      requester,
    );
    await orders.confirm(created.id, requester);
    const picked = await orders.pickUp(
      created.id,
      { windowId: 'W01', issue: 'group', payments: [{ method: 'cash', amountFen: PERSONS * UNIT_FEN }] },
      requester,
    );
    const [code] = picked.tickets;
    expect(code).toMatchObject({ persons: PERSONS, entriesTotal: PERSONS, entriesUsed: 0 });
    expect(picked.lines[0]?.redemption).toEqual({ persons: PERSONS, redeemed: 0, left: PERSONS });

    // 25 of the group are at the lane: each walks through one release of the turnstile, then nobody comes.
    const gate = site.agent('G1');
    gate.scan(`!group ${WALKED}`);
    const from = gate.lines.length;
    gate.scan(code!.qrText!);
    const admitted = await gate.waitFor((line) => line.msg === 'scan admitted', 30_000, from);
    expect(admitted).toMatchObject({ ticketId: code!.ticketId, passed: true, persons: WALKED });
    expect(admitted.entriesLeft).toBe(PERSONS - WALKED);

    // One passage with the headcount reaches the cloud, which uses exactly those persons.
    const [passage] = await eventually(async () => {
      const stored = await site.passages(code!.ticketId);
      return stored.length > 0 ? stored : undefined;
    });
    expect(passage).toMatchObject({ persons: WALKED, direction: 'in', unconfirmed: 0 });
    expect(await site.ticketRow(code!.ticketId)).toEqual({ status: 'active', entries_used: WALKED });
    const seen = await orders.get(created.id, requester);
    expect(seen.lines[0]?.redemption).toEqual({ persons: PERSONS, redeemed: WALKED, left: PERSONS - WALKED });

    // After the visit day: the 5 who never came are refunded, the code is closed.
    offsetMs = 25 * 3_600_000;
    const closed = await orders.close(created.id, { refundMethod: 'cash' }, requester);
    expect(closed).toMatchObject({ state: 'closed', refundedFen: (PERSONS - WALKED) * UNIT_FEN });
    expect(closed.transitions.at(-1)).toMatchObject({
      action: 'close',
      details: { usedPersons: WALKED, unusedPersons: PERSONS - WALKED },
    });
    expect(await site.ticketRow(code!.ticketId)).toEqual({ status: 'used', entries_used: WALKED });

    // The closed code reaches the gates as a delta: once the other gate has it, it refuses the stragglers.
    const other = site.agent('G2');
    await eventually(() => {
      const store = new GateStore(other.storePath, { readonly: true });
      try {
        return store.byTicketId(code!.ticketId)?.status === 'used' ? true : undefined;
      } finally {
        store.close();
      }
    }, 15_000);
    other.scan('!auto');
    const refused = await other.scanOutcome(code!.qrText!, 10_000);
    expect(refused).toMatchObject({ admit: false, reason: 'USED', ticketId: code!.ticketId });
    expect(await site.passages(code!.ticketId)).toHaveLength(1);
  }, 120_000);
});
