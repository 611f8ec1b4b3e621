/**
 * The data migration to group codes counted in persons, on each database: a group code issued before (one entry for
 * the whole group) becomes persons × entries, an entry already used becomes its persons used; other tickets, and
 * group codes of unlimited entries, stay as they were; `down` gives back the old counts.
 */
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueTicket, seedGateSite, TYPES } from '../../modules/gate-validation/testing.js';
import { databaseBackends, type TestDatabase } from '../testing.js';
import { down, up } from './20261211_150000_group_codes_count_persons.js';

describe.each(databaseBackends())('group codes counted in persons, migrating on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create();
    await seedGateSite(test.database.db, []);
  });
  afterEach(() => test.dispose());

  it('turns old group codes into counts of persons and back', async () => {
    const db = test.database.db;
    const unused = await issueTicket(db, { typeId: TYPES.group, persons: 30 });
    const used = await issueTicket(db, { typeId: TYPES.group, persons: 12 });
    const card = await issueTicket(db, { typeId: TYPES.count, entriesTotal: 10 });
    const pass = await issueTicket(db, { typeId: TYPES.group, persons: 5, entriesTotal: null });
    // As the cloud stored them before: one entry for the whole group.
    await db
      .updateTable('tickets')
      .set({ entries_total: 1, entries_used: 0 })
      .where('id', '=', unused)
      .execute();
    await db
      .updateTable('tickets')
      .set({ entries_total: 1, entries_used: 1, status: 'used' })
      .where('id', '=', used)
      .execute();
    await db.updateTable('tickets').set({ entries_used: 3 }).where('id', '=', card).execute();
    const counts = async () =>
      (
        await db
          .selectFrom('tickets')
          .select(['id', 'entries_total', 'entries_used'])
          .where('id', 'in', [unused, used, card, pass])
          .execute()
      )
        .sort((a, b) => [unused, used, card, pass].indexOf(a.id) - [unused, used, card, pass].indexOf(b.id))
        .map((row) => [row.entries_total, row.entries_used]);
    const before = await counts();
    expect(before).toEqual([
      [1, 0],
      [1, 1],
      [10, 3],
      [null, 0],
    ]);
    await up(db as unknown as Kysely<unknown>);
    expect(await counts()).toEqual([
      [30, 0],
      [12, 12],
      [10, 3],
      [null, 0],
    ]);
    await down(db as unknown as Kysely<unknown>);
    expect(await counts()).toEqual(before);
  });
});
