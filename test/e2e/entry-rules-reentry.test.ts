/**
 * Same-day re-entry (issue #15 item 3) through the rules engine and real gate agent processes: an entry gate deciding
 * online, one deciding offline and an exit gate. A used day ticket comes back in after leaving, strictly alternating
 * in and out; the exit at one gate reaches the offline entry gate in the whitelist record. Every answer is checked
 * against the engine on the cloud's stored facts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeTicket,
  DAY_MS,
  engineReason,
  issueTicket,
  offlineGates,
  ruleDefaults,
  SYSTEM_CONTEXT,
  settle,
  ticketTypes,
} from './entry-rules.js';
import { brokers, GateSite } from './gate-site.js';

const DAY_TICKET = 251;
/** Re-entry until 00:01: closed for the rest of the day. */
const CLOSED_EARLY = 252;

describe.each(brokers())('same-day re-entry on real gate agents, on $name', (broker) => {
  let site: GateSite;

  beforeAll(async () => {
    site = await GateSite.start({
      broker,
      gates: [
        { name: 'ON', direction: 'in' },
        { name: 'OFF', direction: 'in' },
        { name: 'X', direction: 'out' },
      ],
      seed: async (db) => {
        const types = ticketTypes(db);
        for (const [typeId, code, until] of [
          [DAY_TICKET, 'DAYRE', null],
          [CLOSED_EARLY, 'DAYRE1', 1],
        ] as const)
          await types.create(
            {
              siteId: 'park',
              typeId,
              code,
              kind: 'single',
              name: { zh: '日票可再入', en: 'Day ticket, re-entry' },
              prices: { window: 10_000 },
              rules: { ...ruleDefaults(), reentry: { until } },
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

  async function issue(typeId: number): Promise<{ id: number; qr: string }> {
    const id = await issueTicket(site.db, { typeId, entriesTotal: 1 });
    await settle();
    const row = await site.db
      .selectFrom('tickets')
      .select('qr_text')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { id, qr: row.qr_text! };
  }

  /** Scans at `gate` and checks the gate's answer against the engine's on the cloud's facts just before. */
  async function scan(gate: string, id: number, qr: string, expected: string): Promise<void> {
    const engine = gate === 'X' ? expected : await engineReason(site, id, gate, Date.now());
    const outcome = await site.agent(gate).scanOutcome(qr);
    expect({ engine, gate: outcome.reason }).toEqual({ engine: expected, gate: expected });
    // The passage (if any) stored and synced before the next scan.
    await settle();
  }

  for (const entryGate of ['ON', 'OFF'])
    it(`in, in, out, in, in at ${entryGate}: re-entry after leaving, never twice in a row`, async () => {
      const { id, qr } = await issue(DAY_TICKET);
      await scan(entryGate, id, qr, 'OK');
      await scan(entryGate, id, qr, 'ANTI_PASSBACK');
      await scan('X', id, qr, 'OK');
      await scan(entryGate, id, qr, 'OK');
      await scan(entryGate, id, qr, 'ANTI_PASSBACK');
      const row = await site.ticketRow(id);
      expect(row).toEqual({ status: 'used', entries_used: 1 });
    }, 40_000);

  it('used yesterday: no re-entry today, online or offline', async () => {
    const { id, qr } = await issue(DAY_TICKET);
    const now = Date.now();
    await changeTicket(site.db, id, {
      status: 'used',
      entriesUsed: 1,
      lastEntryAt: now - DAY_MS,
      lastExitAt: now - DAY_MS + 60_000,
    });
    await settle();
    await scan('ON', id, qr, 'USED');
    await scan('OFF', id, qr, 'USED');
  }, 30_000);

  it('after the cut-off: no re-entry, online or offline', async () => {
    const { id, qr } = await issue(CLOSED_EARLY);
    const now = Date.now();
    await changeTicket(site.db, id, {
      status: 'used',
      entriesUsed: 1,
      lastEntryAt: now - 120_000,
      lastExitAt: now - 60_000,
    });
    await settle();
    await scan('ON', id, qr, 'USED');
    await scan('OFF', id, qr, 'USED');
  }, 30_000);
});
