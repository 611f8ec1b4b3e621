import { type Kysely, sql } from 'kysely';

/**
 * A group code (persons > 1) counts its entries in persons from now on (protocol/README.md §5): a gate admits up to
 * the persons it has left and each passage uses its headcount, so a partly redeemed group keeps the rest. Codes
 * issued before counted one entry for the whole group: their totals become persons × entries, and an entry already
 * used stands for the whole group (one scan admitted everyone), so it becomes persons used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE tickets
    SET entries_total = entries_total * persons, entries_used = entries_used * persons
    WHERE persons > 1 AND entries_total IS NOT NULL
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE tickets
    SET entries_total = entries_total / persons, entries_used = (entries_used + persons - 1) / persons
    WHERE persons > 1 AND entries_total IS NOT NULL
  `.execute(db);
}
