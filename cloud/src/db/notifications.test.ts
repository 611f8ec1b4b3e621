/**
 * Live changes between instances against the real engines: on PostgreSQL what one instance publishes reaches the
 * other's listeners (not its own: it announced them itself), lists too large for one NOTIFY arrive whole in several,
 * and an instance on another schema hears nothing; on SQLite there is nobody to tell.
 */
import { eventually } from '@scenic/testkit/eventually';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClusterNotifications, openNotifications } from './notifications.js';
import { databaseBackends, type TestDatabase } from './testing.js';

const quiet = { warn: () => {} };

describe.each(databaseBackends())('live changes between instances on $name', (backend) => {
  const tests: TestDatabase[] = [];
  const opened: ClusterNotifications[] = [];
  afterEach(async () => {
    for (const n of opened.splice(0)) await n.close();
    for (const t of tests.splice(0)) await t.dispose();
  });

  async function open(test: TestDatabase): Promise<ClusterNotifications> {
    const notifications = openNotifications(test.config, quiet, { retryMs: 100 });
    opened.push(notifications);
    await notifications.start();
    return notifications;
  }

  if (backend.name === 'sqlite')
    it('has nobody to tell on a database file', async () => {
      const test = await backend.create();
      tests.push(test);
      const one = await open(test);
      expect(one.enabled).toBe(false);
      const heard: unknown[] = [];
      one.subscribe('t', (items) => heard.push(...items));
      one.publish('t', [1]);
      expect(heard).toEqual([]);
    });

  if (backend.name === 'postgres')
    it('reaches the other instances of the schema, in as many notifications as the list needs', async () => {
      const test = await backend.create();
      const other = await backend.create();
      tests.push(test, other);
      const [a, b, elsewhere] = [await open(test), await open(test), await open(other)];
      const heardByA: unknown[] = [];
      const heardByB: unknown[] = [];
      const heardElsewhere: unknown[] = [];
      a.subscribe('passages', (items) => heardByA.push(...items));
      b.subscribe('passages', (items) => heardByB.push(...items));
      elsewhere.subscribe('passages', (items) => heardElsewhere.push(...items));
      // About 300 bytes each: 100 of them need several notifications.
      const items = Array.from({ length: 100 }, (_, i) => ({ i, pad: 'x'.repeat(280) }));
      a.publish('passages', items);
      await eventually(() => (heardByB.length === items.length ? true : undefined), 5_000);
      expect(heardByB).toEqual(items);
      expect(heardByA).toEqual([]);
      expect(heardElsewhere).toEqual([]);
    });
});
