/**
 * Validity from the first entry (issue #15 item 1) through the rules engine and real gate agent processes, one
 * deciding online and one offline: the same table, the same answers. The first entry is recorded by the cloud and
 * reaches the other gates in the whitelist, so a pass activated long ago is refused at a gate that never saw it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeTicket,
  DAY_MS,
  engineReason,
  issueTicket,
  offlineGates,
  SYSTEM_CONTEXT,
  settle,
  ticketTypes,
} from './entry-rules.js';
import { brokers, GateSite } from './gate-site.js';

const PASS30 = 231;

interface Row {
  readonly name: string;
  /** Latest activation, relative to now. */
  readonly activateIn: number;
  /** The recorded first entry, relative to now; undefined = not activated. */
  readonly firstEntry?: number;
  readonly reason: 'OK' | 'EXPIRED';
}

const ROWS: Row[] = [
  {
    name: 'not activated, before the latest activation: admitted (and activated)',
    activateIn: 10 * DAY_MS,
    reason: 'OK',
  },
  { name: 'not activated, the latest activation passed', activateIn: -3_600_000, reason: 'EXPIRED' },
  {
    name: 'activated 28 days ago: day 29 of 30',
    activateIn: 10 * DAY_MS,
    firstEntry: -28 * DAY_MS,
    reason: 'OK',
  },
  {
    name: 'activated 31 days ago: past its 30 days',
    activateIn: 10 * DAY_MS,
    firstEntry: -31 * DAY_MS,
    reason: 'EXPIRED',
  },
  // Activated before the deadline, which has passed since: the period counts, not the deadline.
  {
    name: 'activated 5 days ago, the latest activation since passed',
    activateIn: -DAY_MS,
    firstEntry: -5 * DAY_MS,
    reason: 'OK',
  },
];

describe.each(brokers())('validity from the first entry on real gate agents, on $name', (broker) => {
  let site: GateSite;

  beforeAll(async () => {
    site = await GateSite.start({
      broker,
      gates: [
        { name: 'ON', direction: 'in' },
        { name: 'OFF', direction: 'in' },
      ],
      seed: async (db) => {
        await ticketTypes(db).create(
          {
            siteId: 'park',
            typeId: PASS30,
            code: 'P30',
            kind: 'period_pass',
            name: { zh: '30天畅游卡', en: '30-day pass' },
            validity: { from: 'first_use', length: { unit: 'day', count: 30 }, activateWithinDays: 90 },
            prices: { window: 30_000 },
          },
          SYSTEM_CONTEXT,
        );
        await offlineGates(db);
      },
    });
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
  }, 30_000);

  async function issue(row: Row): Promise<number> {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const id = await issueTicket(site.db, {
      typeId: PASS30,
      entriesTotal: null,
      validFrom: now - 60 * DAY_MS,
      validTo: now + 60 * DAY_MS,
      activation: { by: now + row.activateIn, unit: 'day', count: 30 },
    });
    if (row.firstEntry !== undefined) await changeTicket(site.db, id, { firstEntryAt: now + row.firstEntry });
    await settle();
    return id;
  }

  it.each(ROWS)(
    '$name → $reason on the engine, online and offline',
    async (row) => {
      for (const gate of ['OFF', 'ON']) {
        const id = await issue(row);
        const engine = await engineReason(site, id, gate, Date.now());
        const outcome = await site.agent(gate).scanOutcome(await qrOf(id));
        expect({ engine, gate: outcome.reason, offline: outcome.decidedOffline }).toEqual({
          engine: row.reason,
          gate: row.reason,
          // Only an admit says who decided it (a refusal's outcome does not).
          offline: row.reason === 'OK' ? gate === 'OFF' : outcome.decidedOffline,
        });
      }
    },
    30_000,
  );

  it('records the first entry reported by an offline gate as the activation', async () => {
    const id = await issue(ROWS[0]!);
    expect((await site.agent('OFF').scanOutcome(await qrOf(id))).reason).toBe('OK');
    // The passage and the activation are stored in one transaction.
    await expect.poll(async () => (await site.passages(id)).length, { timeout: 10_000 }).toBe(1);
    const [passage] = await site.passages(id);
    const row = await site.db
      .selectFrom('tickets')
      .select('first_entry_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(row.first_entry_at)).toBe(Number(passage!.at));
    // Still within its 30 days at the online gate.
    expect((await site.agent('ON').scanOutcome(await qrOf(id))).reason).toBe('OK');
  }, 30_000);

  async function qrOf(id: number): Promise<string> {
    const row = await site.db
      .selectFrom('tickets')
      .select('qr_text')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.qr_text!;
  }
});
