/**
 * Anti-passback with real gate agent processes on each broker: two `in` gates and one `out` gate of zone `north`.
 * A card whose type has a 10-minute anti-passback window is refused a second entry at the same gate and at the
 * other one, may always leave, and is still refused re-entry inside the window; a card with strict alternation is
 * refused a second entry until it has left, and then admitted again. The cloud counts only the admitted entries.
 */

import {
  type Database,
  issueTicket,
  SYSTEM_CONTEXT,
  TicketTypesService,
  VenuesService,
} from '@scenic/cloud/testing';
import { generateBarcode, ticketTypeRulesSchema } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, GateSite } from './gate-site.js';

const PASSBACK = 211;
const ALTERNATE = 212;

async function seedPassbackTypes(db: Kysely<Database>): Promise<void> {
  const defaults = ticketTypeRulesSchema.omit({ typeId: true, name: true }).parse({});
  const types = new TicketTypesService(db, new VenuesService(db));
  const base = { siteId: 'park', kind: 'count', entries: 10, prices: { window: 50_000 } } as const;
  await types.create(
    {
      ...base,
      typeId: PASSBACK,
      code: 'APB10',
      name: { zh: '防潜回次卡', en: 'Anti-passback card' },
      rules: { ...defaults, antiPassbackSec: 600 },
    },
    SYSTEM_CONTEXT,
  );
  await types.create(
    {
      ...base,
      typeId: ALTERNATE,
      code: 'ALT10',
      name: { zh: '进出交替次卡', en: 'Alternating card' },
      rules: { ...defaults, strictAlternation: true },
    },
    SYSTEM_CONTEXT,
  );
}

describe.each(brokers())('anti-passback across real gate agent processes, on $name', (broker) => {
  let site: GateSite;

  beforeAll(async () => {
    site = await GateSite.start({
      broker,
      gates: [
        { name: 'P1', direction: 'in' },
        { name: 'P2', direction: 'in' },
        { name: 'X1', direction: 'out' },
      ],
      seed: seedPassbackTypes,
    });
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
  }, 30_000);

  /** Waits until the cloud has stored `count` passages of the ticket, so the next online answer knows them. */
  const storedPassages = (ticketId: number, count: number) =>
    eventually(async () => {
      const rows = await site.passages(ticketId);
      return rows.length === count ? rows : undefined;
    });

  async function issueCard(typeId: number): Promise<{ barcode: string; id: number }> {
    const barcode = generateBarcode();
    const id = await issueTicket(site.db, { barcode, typeId, entriesTotal: 10 });
    // Every gate has the record (the exit gate decides from it alone).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return { barcode, id };
  }

  it('refuses a second entry inside the window at either gate, lets the holder out, and still refuses re-entry', async () => {
    const card = await issueCard(PASSBACK);
    expect(await site.agent('P1').scanOutcome(card.barcode)).toMatchObject({ admit: true, reason: 'OK' });
    await storedPassages(card.id, 1);
    expect(await site.agent('P1').scanOutcome(card.barcode)).toMatchObject({
      admit: false,
      reason: 'ANTI_PASSBACK',
    });
    expect(await site.agent('P2').scanOutcome(card.barcode)).toMatchObject({
      admit: false,
      reason: 'ANTI_PASSBACK',
    });
    expect(await site.agent('X1').scanOutcome(card.barcode)).toMatchObject({ admit: true, reason: 'OK' });
    await storedPassages(card.id, 2);
    // Leaving does not reset the window: an entry ten minutes after the last entry, not after the exit.
    expect(await site.agent('P2').scanOutcome(card.barcode)).toMatchObject({
      admit: false,
      reason: 'ANTI_PASSBACK',
    });
    expect((await site.passages(card.id)).map((p) => [p.gate_id, p.direction])).toEqual([
      [site.id('P1'), 'in'],
      [site.id('X1'), 'out'],
    ]);
    expect((await site.ticketRow(card.id)).entries_used).toBe(1);
  }, 30_000);

  it('with strict alternation refuses in-in, and admits in-out-in', async () => {
    const card = await issueCard(ALTERNATE);
    expect(await site.agent('P1').scanOutcome(card.barcode)).toMatchObject({ admit: true, reason: 'OK' });
    await storedPassages(card.id, 1);
    expect(await site.agent('P2').scanOutcome(card.barcode)).toMatchObject({
      admit: false,
      reason: 'ANTI_PASSBACK',
    });
    expect(await site.agent('X1').scanOutcome(card.barcode)).toMatchObject({ admit: true, reason: 'OK' });
    await storedPassages(card.id, 2);
    expect(await site.agent('P2').scanOutcome(card.barcode)).toMatchObject({
      admit: true,
      reason: 'OK',
      entriesLeft: 8,
    });
    const passages = await storedPassages(card.id, 3);
    expect(passages.map((p) => p.direction)).toEqual(['in', 'out', 'in']);
    expect((await site.ticketRow(card.id)).entries_used).toBe(2);
  }, 30_000);
});
