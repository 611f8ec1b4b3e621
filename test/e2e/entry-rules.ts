/**
 * The entry rules of issue #15 as one table run two ways: through the protocol's rules engine, and through real gate
 * agent processes — one deciding online (the cloud runs the engine on its database) and one offline (the gate runs it
 * on its whitelist cache). Each row issues a ticket, brings its record to a state, then scans it; every answer must
 * be the same on the engine, on the online gate and on the offline gate.
 */
import {
  type Database,
  issueTicket,
  recordOf,
  SYSTEM_CONTEXT,
  TicketsService,
  TicketTypesService,
  toTicketTypeRules,
  transaction,
  VenuesService,
} from '@scenic/cloud/testing';
import { createVenueClock, type DecisionReason, decide, ticketTypeRulesSchema } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import type { GateSite } from './gate-site.js';

export const DAY_MS = 86_400_000;
export const SHANGHAI = createVenueClock('Asia/Shanghai');

/** Gate settings of the gates named OFF…: online validation off, so they decide from their cache alone. */
export async function offlineGates(db: Kysely<Database>): Promise<void> {
  const now = Date.now();
  for (const { id } of await db.selectFrom('gates').select('id').where('id', 'like', 'OFF%').execute())
    await db
      .insertInto('gate_configs')
      .values({
        gate_id: id,
        site_id: 'park',
        settings_json: JSON.stringify({ onlineValidation: { enabled: false, deadlineMs: 800 } }),
        version: 0,
        fingerprint: null,
        published_at: null,
        updated_at: now,
      })
      .execute();
}

export const ruleDefaults = () => ticketTypeRulesSchema.omit({ typeId: true, name: true }).parse({});

export function ticketTypes(db: Kysely<Database>): TicketTypesService {
  return new TicketTypesService(db, new VenuesService(db));
}

export { issueTicket, SYSTEM_CONTEXT };

/** Changes a ticket the way the passage hook does (a feed entry, so every gate hears of it). */
export function changeTicket(
  db: Kysely<Database>,
  id: number,
  patch: Parameters<TicketsService['change']>[3],
): Promise<unknown> {
  return transaction(db, (trx) => new TicketsService(trx).change(trx, id, 'use', patch));
}

/** The engine's answer for the ticket as the cloud stores it, at `now`, with its stored passages. */
export async function engineReason(
  site: GateSite,
  ticketId: number,
  gateName: string,
  now: number,
): Promise<DecisionReason> {
  const row = await site.db
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
  const type = await ticketTypes(site.db).get(row.type_id);
  const passages = await site.passages(ticketId);
  return decide({
    record: recordOf(row as Parameters<typeof recordOf>[0]),
    rules: toTicketTypeRules(type),
    gate: { siteId: 'park', gateId: site.id(gateName), zoneId: 'north', direction: 'in' },
    direction: 'in',
    now,
    clock: SHANGHAI,
    recent: passages.map((p) => ({ at: Number(p.at), direction: p.direction, gateId: p.gate_id })),
  }).reason;
}

/** Waits until every gate had time to apply the feed's latest delta. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 1_200));
