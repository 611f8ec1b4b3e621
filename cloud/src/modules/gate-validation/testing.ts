/**
 * Fixtures for the gate-facing suites (whitelist sync, passage hook, online validation, end to end): the tickets
 * module's seeded venue plus zone `north` and gates, and tickets issued through the tickets service the way a sale
 * issues them (feed entry included).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { transaction } from '../../db/transaction.js';
import { SigningKeys } from '../signing-keys/keys.js';
import { CredentialSecrets } from '../signing-keys/secrets.js';
import { TicketsService, type TicketToIssue } from '../tickets/service.js';
import { SYSTEM_CONTEXT, seedVenue, TYPES } from '../tickets/testing.js';
import { VenuesService } from '../venues/service.js';

export { SYSTEM_CONTEXT, TYPES };

export const DAY_MS = 86_400_000;

/** Site `park` with the TYPES ticket types, zone `north` and the given gates (direction both) in it. */
export async function seedGateSite(db: Kysely<Database>, gateIds: readonly string[]): Promise<void> {
  await seedVenue(db);
  const venues = new VenuesService(db);
  await venues.createZone(
    'park',
    { id: 'north', name: { zh: '北区', en: 'North' }, capacity: null, active: true },
    SYSTEM_CONTEXT,
  );
  for (const id of gateIds)
    await venues.createGate(
      'park',
      { id, zoneId: 'north', direction: 'both', kind: 'tripod', name: { zh: id, en: id }, active: true },
      SYSTEM_CONTEXT,
    );
}

export function signingKeys(db: Kysely<Database>): SigningKeys {
  return new SigningKeys(db, () => new CredentialSecrets(Buffer.alloc(32, 7)));
}

/** Issues one ticket valid from yesterday for a week (a count card when `entriesTotal` > 1). */
export async function issueTicket(
  db: Kysely<Database>,
  overrides: Partial<TicketToIssue> = {},
): Promise<number> {
  const signer = await signingKeys(db).active();
  // QR validity is in whole minutes.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const ticket: TicketToIssue = {
    siteId: 'park',
    typeId: TYPES.adult,
    typeVersion: 1,
    saleId: null,
    saleLine: null,
    visitDay: Math.floor(now / DAY_MS),
    validFrom: now - DAY_MS,
    validTo: now + 7 * DAY_MS,
    entriesTotal: 1,
    persons: 1,
    slot: null,
    holder: null,
    priceFen: 100,
    flags: 0,
    ...overrides,
  };
  const [row] = await transaction(db, (trx) => new TicketsService(trx).issue(trx, [ticket], signer));
  return row!.id;
}
