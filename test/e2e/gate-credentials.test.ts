/**
 * What a gate decides about the credential itself, with a real gate agent process (an `in` gate) on each broker: a
 * signed QR ticket is admitted once and then refused as used; a forged QR (a flipped bit, a foreign key with the
 * right key id, a key id the gate does not know) is refused with the forgery's reason and the denial reaches the
 * cloud; a count card is admitted until no entry is left and then refused, the cloud counting the same entries; a
 * ticket whose type's hours or weekdays exclude "now" in Asia/Shanghai is refused.
 */
import { createHash } from 'node:crypto';
import {
  type Database,
  issueTicket,
  SYSTEM_CONTEXT,
  signingKeys,
  TicketTypesService,
  TYPES,
  VenuesService,
} from '@scenic/cloud/testing';
import {
  base45Decode,
  base45Encode,
  createVenueClock,
  encodeQrCredential,
  generateBarcode,
  generateSigningKey,
  ticketTypeRulesSchema,
} from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, GateSite } from './gate-site.js';

const EVENING = 201;
const WEEKEND = 202;

/**
 * Two single-ticket types whose calendar excludes the test's "now" in the venue's zone: one open a 60-minute window
 * three hours ahead (OUTSIDE_HOURS), one open on every weekday but today and tomorrow (WRONG_WEEKDAY; tomorrow too,
 * so a run across local midnight still tests the rule).
 */
async function seedCalendarTypes(db: Kysely<Database>): Promise<void> {
  const local = createVenueClock('Asia/Shanghai').localParts(Date.now());
  const from = Math.min((local.minuteOfDay + 180) % 1440, 1380);
  const today = 1 << (local.isoWeekday - 1);
  const tomorrow = 1 << (local.isoWeekday % 7);
  const defaults = ticketTypeRulesSchema.omit({ typeId: true, name: true }).parse({});
  const types = new TicketTypesService(db, new VenuesService(db));
  const base = { siteId: 'park', kind: 'single', prices: { window: 5_000 } } as const;
  await types.create(
    {
      ...base,
      typeId: EVENING,
      code: 'EVENING',
      name: { zh: '时段票', en: 'Timed' },
      rules: { ...defaults, hours: [{ from, to: from + 60 }] },
    },
    SYSTEM_CONTEXT,
  );
  await types.create(
    {
      ...base,
      typeId: WEEKEND,
      code: 'OTHER_DAYS',
      name: { zh: '限日票', en: 'Other days' },
      rules: { ...defaults, weekdays: 0x7f & ~today & ~tomorrow },
    },
    SYSTEM_CONTEXT,
  );
}

describe.each(brokers())('credentials at a real gate agent process, on $name', (broker) => {
  let site: GateSite;

  beforeAll(async () => {
    site = await GateSite.start({
      broker,
      gates: [{ name: 'C1', direction: 'in' }],
      seed: seedCalendarTypes,
    });
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
  }, 30_000);

  const gate = () => site.agent('C1');
  const qrOf = async (ticketId: number) =>
    (
      await site.db
        .selectFrom('tickets')
        .select('qr_text')
        .where('id', '=', ticketId)
        .executeTakeFirstOrThrow()
    ).qr_text!;

  it('admits a signed QR ticket once, then refuses it as used', async () => {
    const ticketId = await issueTicket(site.db);
    const qr = await qrOf(ticketId);
    expect(qr).toHaveLength(122);
    expect(await gate().scanOutcome(qr)).toMatchObject({ admit: true, reason: 'OK', ticketId, kind: 'qr' });
    const used = await eventually(async () => {
      const row = await site.ticketRow(ticketId);
      return row.status === 'used' ? row : undefined;
    });
    expect(used.entries_used).toBe(1);
    expect(await site.passages(ticketId)).toHaveLength(1);
    expect(await gate().scanOutcome(qr)).toMatchObject({ admit: false, reason: 'USED', ticketId });
  }, 30_000);

  it('refuses forged QR codes with the forgery as the reason, and the cloud stores each denial', async () => {
    const ticketId = await issueTicket(site.db);
    const genuine = await qrOf(ticketId);
    const signer = await signingKeys(site.db).active();
    const flipped = base45Decode(genuine);
    // The low bit of the ticket id: the same layout, another ticket, the old signature.
    flipped[6]! ^= 0x01;
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const fields = {
      ticketId,
      typeId: TYPES.adult,
      validFrom: now - 60_000,
      validTo: now + 3_600_000,
      entries: 1,
    };
    const forgeries = [
      { text: base45Encode(flipped), reason: 'BAD_SIGNATURE' },
      // Signed with a key of its own under the venue's key id.
      {
        text: encodeQrCredential({ ...fields, flags: 0 }, generateSigningKey(signer.keyId)),
        reason: 'BAD_SIGNATURE',
      },
      // Signed with a key id the gate was never given.
      {
        text: encodeQrCredential({ ...fields, flags: 0 }, generateSigningKey((signer.keyId + 1) % 256)),
        reason: 'UNKNOWN_KEY',
      },
    ];
    for (const forgery of forgeries) {
      expect(await gate().scanOutcome(forgery.text)).toMatchObject({ admit: false, reason: forgery.reason });
      const codeHash = createHash('sha256').update(forgery.text, 'utf8').digest('hex');
      const denial = await eventually(() =>
        site.db.selectFrom('passage_events').selectAll().where('code_hash', '=', codeHash).executeTakeFirst(),
      );
      expect(denial).toMatchObject({ kind: 'denial', reason: forgery.reason, credential_kind: 'qr' });
    }
    // None of it touched the genuine ticket, which is still admitted.
    expect((await site.ticketRow(ticketId)).entries_used).toBe(0);
    expect(await gate().scanOutcome(genuine)).toMatchObject({ admit: true, reason: 'OK', ticketId });
  }, 30_000);

  it('admits a count card until no entry is left, then refuses it; the cloud counts the same entries', async () => {
    const barcode = generateBarcode();
    const card = await issueTicket(site.db, { barcode, typeId: TYPES.count, entriesTotal: 3 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const left of [2, 1, 0]) {
      expect(await gate().scanOutcome(barcode)).toMatchObject({
        admit: true,
        reason: 'OK',
        entriesLeft: left,
      });
    }
    const used = await eventually(async () => {
      const row = await site.ticketRow(card);
      return row.entries_used === 3 ? row : undefined;
    });
    expect(used.status).toBe('used');
    const refused = await gate().scanOutcome(barcode);
    expect(refused).toMatchObject({ admit: false, ticketId: card });
    // The last passage made the card `used`; which of the two comes first depends on whether that update has
    // reached the gate, and both mean no entry is left.
    expect(['ENTRIES_EXHAUSTED', 'USED']).toContain(refused.reason);
    expect((await site.passages(card)).map((p) => p.entries_left)).toEqual([2, 1, 0]);
    expect((await site.ticketRow(card)).entries_used).toBe(3);
  }, 30_000);

  it('refuses a ticket outside its type’s hours, and one on a weekday its type excludes', async () => {
    const evening = generateBarcode();
    const otherDays = generateBarcode();
    const eveningId = await issueTicket(site.db, { barcode: evening, typeId: EVENING });
    const otherDaysId = await issueTicket(site.db, { barcode: otherDays, typeId: WEEKEND });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await gate().scanOutcome(evening)).toMatchObject({
      admit: false,
      reason: 'OUTSIDE_HOURS',
      ticketId: eveningId,
    });
    expect(await gate().scanOutcome(otherDays)).toMatchObject({
      admit: false,
      reason: 'WRONG_WEEKDAY',
      ticketId: otherDaysId,
    });
    for (const id of [eveningId, otherDaysId])
      expect(await site.ticketRow(id)).toEqual({ status: 'active', entries_used: 0 });
  }, 30_000);
});
