/**
 * The hourly entries on each database: kept by the real ingestion (the container's hooks, batches as they form)
 * and equal to a recomputation from the stored events and tickets, with each site's local day and hour worked out
 * here by Intl; the day boundary (23:59:59.999 vs 00:00 in the site's zone); a group code's headcount counted as
 * group persons; an unknown ticket as type 0; exits and denials not counted; a duplicate in a batch and a replay in
 * a later one counted once; an event whose hooks fail rolled back alone, its entry with it; a site on daylight
 * saving time (Europe/London) in its own hours. The migration's backfill gives the same rows from the events.
 */
import type { PassageEvent } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { type Container, createContainer } from '../../container.js';
import { down, up } from '../../db/migrations/20261212_130000_create_passage_hourly_entries.js';
import type { Database } from '../../db/schema.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { issueTicket, seedGateSite, TYPES } from '../gate-validation/testing.js';
import { passage } from '../metrics/testing.js';
import { seedLayout } from '../venues/testing.js';
import { localDayHour } from './hourly.js';
import type { PassageHook } from './service.js';

const shanghai = (date: string, time: string) => Date.parse(`${date}T${time}+08:00`);

/** The local day number and hour of an instant by Intl alone (not the code under test). */
function intlDayHour(at: number, timeZone: string): { day: number; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  return {
    day: Date.UTC(parts.year!, parts.month! - 1, parts.day!) / 86_400_000,
    hour: parts.hour!,
  };
}

type Row = {
  site_id: string;
  day: number;
  hour: number;
  type_id: number;
  entries: number;
  persons: number;
  group_persons: number;
};

const sortRows = (rows: Row[]) =>
  rows
    .map((r) => ({
      ...r,
      day: Number(r.day),
      hour: Number(r.hour),
      type_id: Number(r.type_id),
      entries: Number(r.entries),
      persons: Number(r.persons),
      group_persons: Number(r.group_persons),
    }))
    .sort(
      (a, b) =>
        a.site_id.localeCompare(b.site_id) || a.day - b.day || a.hour - b.hour || a.type_id - b.type_id,
    );

describe.each(databaseBackends())('hourly entries on $name', (backend) => {
  let test: TestDatabase;
  let db: Kysely<Database>;
  let container: Container;
  const failing = new Set<string>();

  beforeEach(async () => {
    test = await backend.create();
    db = test.database.db;
    await seedGateSite(db, ['N1', 'N2']);
    await seedLayout(db, 'moor', [{ id: 'm', gates: ['M1'] }]);
    await db.updateTable('sites').set({ timezone: 'Europe/London' }).where('id', '=', 'moor').execute();
    const boom: PassageHook = {
      name: 'failing',
      async apply(_trx, event) {
        if (failing.has(event.event_id)) throw new Error('hook failed');
      },
    };
    container = await createContainer({
      config: loadConfig({ DATABASE_URL: test.url }),
      database: test.database,
      logger: (await import('../../testing/app.js')).silentLogger,
      extraPassageHooks: [boom],
    });
  });
  afterEach(() => test.dispose());

  const ingest = (siteId: string, message: PassageEvent) =>
    container.services.passages.ingest({ siteId, gateId: message.gateId, message, receivedAt: Date.now() });

  async function stored(): Promise<Row[]> {
    return sortRows((await db.selectFrom('passage_hourly_entries').selectAll().execute()) as Row[]);
  }

  /** The hourly entries worked out from the stored events and tickets, in each site's zone by Intl. */
  async function recomputed(): Promise<Row[]> {
    const zones = new Map(
      (await db.selectFrom('sites').select(['id', 'timezone']).execute()).map((s) => [s.id, s.timezone]),
    );
    const tickets = new Map(
      (await db.selectFrom('tickets').select(['id', 'type_id', 'persons']).execute()).map((t) => [
        Number(t.id),
        t,
      ]),
    );
    const events = await db
      .selectFrom('passage_events')
      .selectAll()
      .where('kind', '=', 'passage')
      .where('direction', '=', 'in')
      .execute();
    const rows = new Map<string, Row>();
    for (const event of events) {
      const { day, hour } = intlDayHour(Number(event.at), zones.get(event.site_id)!);
      const ticket = event.ticket_id === null ? undefined : tickets.get(Number(event.ticket_id));
      const typeId = ticket ? Number(ticket.type_id) : 0;
      const key = `${event.site_id}|${day}|${hour}|${typeId}`;
      const row = rows.get(key) ?? {
        site_id: event.site_id,
        day,
        hour,
        type_id: typeId,
        entries: 0,
        persons: 0,
        group_persons: 0,
      };
      row.entries += 1;
      row.persons += event.persons;
      if (ticket && ticket.persons > 1) row.group_persons += event.persons;
      rows.set(key, row);
    }
    return sortRows([...rows.values()]);
  }

  it('adds every batch of entries in each site’s own hours, once, and equals the recomputation and the backfill', async () => {
    const adult = await issueTicket(db, { typeId: TYPES.adult });
    const group = await issueTicket(db, { typeId: TYPES.group, persons: 30, entriesTotal: 30 });
    const card = await issueTicket(db, { typeId: TYPES.count, entriesTotal: 10 });
    const D = '2026-12-07';
    const lastMs = passage('N1', { ticketId: adult, at: shanghai('2026-12-06', '23:59:59.999') });
    const midnight = passage('N1', { ticketId: card, at: shanghai(D, '00:00:00.000') });
    const groupIn = passage('N2', { ticketId: group, persons: 25, at: shanghai(D, '09:15:00.000') });
    const groupRest = passage('N2', { ticketId: group, persons: 5, at: shanghai(D, '09:59:59.999') });
    const unknown = passage('N1', { ticketId: 987_654_321, at: shanghai(D, '10:00:00.000') });
    const out = passage('N1', { ticketId: adult, direction: 'out', at: shanghai(D, '10:30:00.000') });
    // One batch (concurrent arrivals), with a copy of one event inside it.
    await Promise.all(
      [lastMs, midnight, groupIn, groupRest, unknown, out, groupIn].map((e) => ingest('park', e)),
    );
    const first = await stored();
    expect(first).toEqual(await recomputed());
    const day = intlDayHour(shanghai(D, '12:00:00.000'), 'Asia/Shanghai').day;
    expect(first).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ day: day - 1, hour: 23, type_id: TYPES.adult, entries: 1, persons: 1 }),
        expect.objectContaining({ day, hour: 0, type_id: TYPES.count, entries: 1, persons: 1 }),
        expect.objectContaining({
          day,
          hour: 9,
          type_id: TYPES.group,
          entries: 2,
          persons: 30,
          group_persons: 30,
        }),
        expect.objectContaining({ day, hour: 10, type_id: 0, entries: 1, persons: 1, group_persons: 0 }),
      ]),
    );
    expect(first).toHaveLength(4);

    // A later batch adds to the same hour; a replay of an earlier event adds nothing; a failing event rolls back alone.
    const again = passage('N1', { ticketId: card, at: shanghai(D, '00:30:00.000') });
    const doomed = passage('N1', { ticketId: card, at: shanghai(D, '00:40:00.000') });
    failing.add(doomed.eventId);
    const outcomes = await Promise.all([
      ingest('park', again),
      ingest('park', midnight),
      ingest('park', doomed).catch(() => ({ status: 'failed' })),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'duplicate', 'failed']);
    const second = await stored();
    expect(second).toEqual(await recomputed());
    expect(second.find((r) => r.day === day && r.hour === 0)).toMatchObject({ entries: 2, persons: 2 });

    // London: 00:30 and 01:30 UTC on the morning clocks go forward are 00:30 GMT and 02:30 BST; on the morning they
    // go back, 00:30 and 01:30 UTC are both 01:30 local (01:30 BST, then 01:30 GMT): one hour, two entries.
    for (const at of [
      Date.UTC(2026, 2, 29, 0, 30),
      Date.UTC(2026, 2, 29, 1, 30),
      Date.UTC(2026, 9, 25, 0, 30),
      Date.UTC(2026, 9, 25, 1, 30),
    ])
      await ingest('moor', passage('M1', { ticketId: adult, at }));
    const london = (await stored()).filter((r) => r.site_id === 'moor');
    expect(london.map((r) => [r.hour, r.entries])).toEqual([
      [0, 1],
      [2, 1],
      [1, 2],
    ]);
    expect(localDayHour(Date.UTC(2026, 2, 29, 1, 30), 'Europe/London').hour).toBe(2);
    const live = await stored();
    expect(live).toEqual(await recomputed());

    // The migration's backfill from the stored events gives the same rows.
    await down(db as unknown as Kysely<unknown>);
    await up(db as unknown as Kysely<unknown>);
    expect(await stored()).toEqual(live);
  });
});
