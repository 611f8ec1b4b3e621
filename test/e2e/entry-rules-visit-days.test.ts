/**
 * Visit days (issue #15 item 2: any 3 days within 7, unlimited entries inside a visit day) through the rules engine
 * and real gate agent processes, one deciding online and one offline: the same table, the same answers. The days a
 * ticket used reach the gates in the whitelist record, and an entry at a gate is recorded as a visit day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeTicket,
  DAY_MS,
  engineReason,
  issueTicket,
  offlineGates,
  ruleDefaults,
  SHANGHAI,
  SYSTEM_CONTEXT,
  settle,
  ticketTypes,
} from './entry-rules.js';
import { brokers, GateSite } from './gate-site.js';

const DAYS3IN7 = 241;

interface Row {
  readonly name: string;
  /** Visit days used, as offsets from today (0 = today). */
  readonly days: readonly number[];
  readonly reason: 'OK' | 'VISIT_DAYS_USED';
}

const ROWS: Row[] = [
  { name: 'unused', days: [], reason: 'OK' },
  { name: 'two days used, a third', days: [-2, -1], reason: 'OK' },
  { name: 'three days used, a fourth', days: [-3, -2, -1], reason: 'VISIT_DAYS_USED' },
  { name: 'three days used, again on the third', days: [-2, -1, 0], reason: 'OK' },
];

describe.each(brokers())('visit days on real gate agents, on $name', (broker) => {
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
            typeId: DAYS3IN7,
            code: 'D3IN7',
            kind: 'period_pass',
            name: { zh: '七日任选三天', en: '3 days in 7' },
            validity: { from: 'visit_date', length: { unit: 'day', count: 7 } },
            prices: { window: 20_000 },
            rules: { ...ruleDefaults(), visitDays: 3 },
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

  async function issue(row: Row): Promise<{ id: number; qr: string }> {
    const now = Date.now();
    const today = SHANGHAI.dayNumber(now);
    const id = await issueTicket(site.db, { typeId: DAYS3IN7, entriesTotal: null });
    if (row.days.length > 0) {
      const last = row.days[row.days.length - 1]!;
      await changeTicket(site.db, id, {
        visitDays: row.days.map((d) => today + d),
        lastVisitAt: last === 0 ? now - 60_000 : now + last * DAY_MS,
      });
    }
    await settle();
    const ticket = await site.db
      .selectFrom('tickets')
      .select('qr_text')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { id, qr: ticket.qr_text! };
  }

  it.each(ROWS)(
    '$name → $reason on the engine, online and offline',
    async (row) => {
      for (const gate of ['OFF', 'ON']) {
        const { id, qr } = await issue(row);
        const engine = await engineReason(site, id, gate, Date.now());
        const outcome = await site.agent(gate).scanOutcome(qr);
        expect({ engine, gate: outcome.reason }).toEqual({ engine: row.reason, gate: row.reason });
        if (row.reason === 'OK') expect(outcome.decidedOffline).toBe(gate === 'OFF');
      }
    },
    30_000,
  );

  it('an entry decided offline is recorded as a visit day', async () => {
    const { id, qr } = await issue(ROWS[1]!);
    expect((await site.agent('OFF').scanOutcome(qr)).reason).toBe('OK');
    const today = SHANGHAI.dayNumber(Date.now());
    await expect
      .poll(
        async () =>
          (
            await site.db
              .selectFrom('tickets')
              .select('visit_days')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).visit_days,
        { timeout: 10_000 },
      )
      .toBe(JSON.stringify([today - 2, today - 1, today]));
    // Now all three are used: the next day would be refused, today is still fine at the online gate.
    expect((await site.agent('ON').scanOutcome(qr)).reason).toBe('OK');
  }, 30_000);
});
