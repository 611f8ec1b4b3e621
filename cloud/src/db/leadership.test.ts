/**
 * The periodic jobs' leadership against the real engines: on SQLite the one instance leads; on PostgreSQL exactly
 * one of several contenders holds the lock, a second takes over within its retry interval when the first steps down
 * or its session is killed (as a `kill -9` of its process would end it), and a deposed leader notices and stops.
 */
import { eventually } from '@scenic/testkit/eventually';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Leadership, openLeadership } from './leadership.js';
import { databaseBackends, type TestDatabase } from './testing.js';

const quiet = { info: () => {}, warn: () => {} };
const RETRY_MS = 100;

describe.each(databaseBackends())('leadership on $name', (backend) => {
  let test: TestDatabase | undefined;
  const contenders: Leadership[] = [];
  afterEach(async () => {
    for (const contender of contenders.splice(0)) await contender.stop();
    await test?.dispose();
    test = undefined;
  });

  async function contender(): Promise<{ leadership: Leadership; changes: boolean[] }> {
    test ??= await backend.create();
    const leadership = openLeadership(test.config, quiet, { retryMs: RETRY_MS });
    const changes: boolean[] = [];
    leadership.onChange((leader) => changes.push(leader));
    contenders.push(leadership);
    await leadership.start();
    return { leadership, changes };
  }

  if (backend.name === 'sqlite')
    it('leads from the start: there is one instance on a database file', async () => {
      const { leadership } = await contender();
      expect(leadership.isLeader).toBe(true);
    });

  if (backend.name === 'postgres') {
    it('one of three contenders leads; when it steps down exactly one other takes over', async () => {
      const all = [await contender(), await contender(), await contender()];
      expect(all.map((c) => c.leadership.isLeader)).toEqual([true, false, false]);
      // Several retry intervals later still one leader: followers keep trying and keep failing.
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS * 4));
      expect(all.filter((c) => c.leadership.isLeader)).toHaveLength(1);

      await all[0]!.leadership.stop();
      expect(all[0]!.changes).toEqual([true, false]);
      await eventually(() => (all.some((c) => c.leadership.isLeader) ? true : undefined), 5_000);
      expect(all.filter((c) => c.leadership.isLeader)).toHaveLength(1);
    });

    it('a leader whose session is killed steps down at its next check, and one instance leads again', async () => {
      const first = await contender();
      const second = await contender();
      expect([first.leadership.isLeader, second.leadership.isLeader]).toEqual([true, false]);
      const db = test!.database.db;
      // The holder's backend, found by its lock: a bigint key shows as classid (high half) and objid (low half).
      const killed = await sql<{ killed: boolean }>`
        select pg_terminate_backend(l.pid) as killed
          from pg_locks l
         where l.locktype = 'advisory' and l.granted and l.database = (
                 select oid from pg_database where datname = current_database())
           and ((l.classid::bigint << 32) | l.objid::bigint)
               = hashtext('scenic-gate:periodic-jobs:' || current_schema())::bigint`.execute(db);
      expect(killed.rows).toEqual([{ killed: true }]);
      // The deposed leader notices at its next check; then one of the two leads again (either may win the race to
      // the lock: a killed process would not be there to try, the stop test above shows the hand-over).
      await eventually(() => (first.changes.includes(false) ? true : undefined), 5_000);
      expect(first.changes.slice(0, 2)).toEqual([true, false]);
      await eventually(
        () => ([first, second].filter((c) => c.leadership.isLeader).length === 1 ? true : undefined),
        5_000,
      );
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS * 3));
      expect([first, second].filter((c) => c.leadership.isLeader)).toHaveLength(1);
    });

    it('two installations on one server but in different schemas do not contend', async () => {
      const here = await contender();
      const elsewhere = await backend.create();
      try {
        const other = openLeadership(elsewhere.config, quiet, { retryMs: RETRY_MS });
        await other.start();
        expect([here.leadership.isLeader, other.isLeader]).toEqual([true, true]);
        await other.stop();
      } finally {
        await elsewhere.dispose();
      }
    });
  }
});
