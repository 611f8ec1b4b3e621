/**
 * Every command of the protocol, issued through the cloud's commands service to one real gate agent process (an
 * `in` gate of zone `north`) on each broker: each is acknowledged `ok`, the gate's reported state follows, and a
 * scan behaves as the mode says — closed and locked refuse a valid ticket, open and emergency open let anyone
 * through without counting, normal admits and counts; deny-unauthorized switches between refusing a ticket of
 * another zone and leaving it to staff; sync fetches a full snapshot; reboot ends the process, which the service
 * manager starts again in the mode the gate must keep.
 */

import {
  type Database,
  issueTicket,
  SYSTEM_CONTEXT,
  TicketTypesService,
  VenuesService,
} from '@scenic/cloud/testing';
import { type CommandAction, generateBarcode, ticketTypeRulesSchema } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, GateSite } from './gate-site.js';

const SOUTH_ONLY = 221;

/** Zone `south` and a ticket type valid only there, so it has no permission at the gate in `north`. */
async function seedSouthType(db: Kysely<Database>): Promise<void> {
  const venues = new VenuesService(db);
  await venues.createZone(
    'park',
    { id: 'south', name: { zh: '南区', en: 'South' }, capacity: null, active: true },
    SYSTEM_CONTEXT,
  );
  await new TicketTypesService(db, venues).create(
    {
      siteId: 'park',
      typeId: SOUTH_ONLY,
      code: 'SOUTH',
      name: { zh: '南区票', en: 'South only' },
      kind: 'single',
      prices: { window: 3_000 },
      rules: { ...ticketTypeRulesSchema.omit({ typeId: true, name: true }).parse({}), zones: ['south'] },
    },
    SYSTEM_CONTEXT,
  );
}

describe.each(brokers())(
  'every command obeyed and acknowledged by a real gate agent process, on $name',
  (broker) => {
    let site: GateSite;
    let gateId: string;

    beforeAll(async () => {
      site = await GateSite.start({ broker, gates: [{ name: 'M1', direction: 'in' }], seed: seedSouthType });
      gateId = site.id('M1');
    }, 60_000);

    afterAll(async () => {
      await site?.stop();
    }, 30_000);

    const gate = () => site.agent('M1');

    /** Issues the command to the gate and expects its `ok` ack. */
    async function command(action: CommandAction): Promise<void> {
      const view = await site.command(action, { kind: 'gate', gateId });
      expect(view.summary, JSON.stringify(view.results)).toMatchObject({ gates: 1, ok: 1 });
      expect(view.results[0]).toMatchObject({ gateId, result: 'ok', reason: null });
    }

    /** The gate's state as the cloud last heard it, once it shows `expected`. */
    const reported = (expected: { mode?: string; deny_unauthorized?: number; online?: number }) =>
      eventually(async () => {
        const row = await site.db
          .selectFrom('gate_status')
          .select(['mode', 'deny_unauthorized', 'online'])
          .where('gate_id', '=', gateId)
          .executeTakeFirst();
        return row && Object.entries(expected).every(([key, value]) => row[key as keyof typeof row] === value)
          ? row
          : undefined;
      });

    async function ticket(typeId?: number): Promise<{ barcode: string; id: number }> {
      const barcode = generateBarcode();
      const id = await issueTicket(site.db, { barcode, ...(typeId === undefined ? {} : { typeId }) });
      return { barcode, id };
    }

    it('always closed and locked refuse a valid ticket; open and emergency open let anyone through uncounted; normal counts', async () => {
      const valid = await ticket();
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      await command({ kind: 'always_closed' });
      await reported({ mode: 'always_closed' });
      expect(await gate().scanOutcome(valid.barcode)).toMatchObject({ admit: false, reason: 'GATE_CLOSED' });

      await command({ kind: 'lock' });
      await reported({ mode: 'locked' });
      expect(await gate().scanOutcome(valid.barcode)).toMatchObject({ admit: false, reason: 'GATE_LOCKED' });

      for (const kind of ['always_open', 'emergency_open'] as const) {
        await command({ kind });
        await reported({ mode: kind });
        // Held open: a code that is no ticket at all goes through as well, and nothing is counted.
        expect(await gate().scanOutcome('NOT-A-TICKET')).toMatchObject({
          admit: true,
          reason: 'OK',
          ticketId: null,
        });
        expect(await gate().scanOutcome(valid.barcode)).toMatchObject({ admit: true, reason: 'OK' });
      }
      expect(await site.ticketRow(valid.id)).toEqual({ status: 'active', entries_used: 0 });
      expect(await site.passages(valid.id)).toHaveLength(0);

      await command({ kind: 'normal' });
      await reported({ mode: 'normal' });
      expect(await gate().scanOutcome('NOT-A-TICKET')).toMatchObject({ admit: false, reason: 'MALFORMED' });
      expect(await gate().scanOutcome(valid.barcode)).toMatchObject({ admit: true, reason: 'OK' });
      await eventually(async () => ((await site.ticketRow(valid.id)).entries_used === 1 ? true : undefined));
    }, 60_000);

    it('deny-unauthorized off leaves a ticket of another zone to staff; on refuses it outright', async () => {
      const south = await ticket(SOUTH_ONLY);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await command({ kind: 'deny_unauthorized', on: false });
      await reported({ deny_unauthorized: 0 });
      expect(await gate().scanOutcome(south.barcode)).toMatchObject({ admit: false, reason: 'WRONG_ZONE' });
      await command({ kind: 'deny_unauthorized', on: true });
      await reported({ deny_unauthorized: 1 });
      expect(await gate().scanOutcome(south.barcode)).toMatchObject({
        admit: false,
        reason: 'UNAUTHORIZED_DENIED',
      });
    }, 30_000);

    it('sync fetches a full whitelist snapshot', async () => {
      const from = gate().lines.length;
      await command({ kind: 'sync', full: true });
      await gate().waitFor((line) => line.msg === 'whitelist snapshot applied', 10_000, from);
    }, 30_000);

    it('reboot ends the process after its ack; started again, the gate keeps a closed mode and obeys again', async () => {
      await command({ kind: 'always_closed' });
      await reported({ mode: 'always_closed' });
      await command({ kind: 'reboot' });
      expect(await gate().exit()).toBe(0);
      await reported({ online: 0 });
      const from = gate().lines.length;
      gate().restart();
      await gate().waitFor((line) => line.msg === 'connected to broker', 30_000, from);
      await reported({ online: 1, mode: 'always_closed' });
      const valid = await ticket();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await gate().scanOutcome(valid.barcode)).toMatchObject({ admit: false, reason: 'GATE_CLOSED' });
      await command({ kind: 'normal' });
      await reported({ online: 1, mode: 'normal' });
      expect(await gate().scanOutcome(valid.barcode)).toMatchObject({ admit: true, reason: 'OK' });
    }, 60_000);
  },
);
