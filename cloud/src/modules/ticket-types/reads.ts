/**
 * What other modules may read of the ticket types within their own transactions (online validation): statements of
 * the ticket-types module, typed on its tables only (db/scoped.ts). Everything else goes through TicketTypesService.
 */
import type { Connection } from '../../db/scoped.js';
import { ticketTypeTables } from './tables.js';

// On online validation's hot path: precompiled.
const typeHead = ticketTypeTables.precompile<
  { typeId: number },
  { site_id: string; current_version: number; active: number }
>((db, p) =>
  db.selectFrom('ticket_types').select(['site_id', 'current_version', 'active']).where('id', '=', p.typeId),
);

/** The type's site, current version and whether it is active; undefined for an unknown type. */
export function typeHeadOf(db: Connection, typeId: number) {
  return typeHead.first(db, { typeId });
}
