/** Online-validation reservations' SQL (the `ticket_reservations` table). Callers pass a db or a transaction. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/** Marks an online validation's reservation as used by the passage that followed it; false when there is none. */
export async function confirmReservation(
  db: Db,
  gateId: string,
  correlationId: string,
  eventId: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('ticket_reservations')
    .set({ confirmed_at: at, event_id: eventId })
    .where('gate_id', '=', gateId)
    .where('correlation_id', '=', correlationId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
