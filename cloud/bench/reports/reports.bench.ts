/**
 * bench:reports — the reports over two years of a busy site: 2,000,000 sales, 100,000 refunds and 10,000,000
 * passages (BENCH_SCALE scales them; 0.01 builds in seconds). The build is not timed and goes fast: the journal,
 * its day rollups and the hourly entries of every day but today are written in bulk (data.ts, bulk.ts); today's
 * takings go through the takings service and today's passages through the real ingestion with the hourly-entries
 * hook, as in production. Then the rollups are checked equal to a full recomputation from the journal and the
 * passages (verify.ts; BENCH_VERIFY=sample checks 30 days and today), and the reports are timed through their own
 * code (ReportsService and the takings / passages reads), BENCH_RUNS times each (default 50) after 3 warm-ups:
 *   live     today's money by method and channel, tickets by source, entries / persons / group persons
 *   shift    one day's takings by cashier × method (a shift report's shape)
 *   month    a month's settlement: by type, by channel, by method
 *   yoy      a one-year 同比 series of sales ¥ by day, same weekday
 *   summary  a one-year summary by type × channel
 * SQLite always; PostgreSQL too when TEST_DATABASE_URL (or BENCH_DATABASE_URL) is set; BENCH_BACKENDS=sqlite or
 * =postgres runs one. Prints one RESULT line per engine; the exit code is 1 when a rollup does not match.
 */
import { loadavg } from 'node:os';
import type { PassageEvent } from '@scenic/protocol';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { type DatabaseBackend, databaseBackends, type TestDatabase } from '../../src/db/testing.js';
import { transaction } from '../../src/db/transaction.js';
import { CommLogRepo } from '../../src/modules/comm-log/repo.js';
import { CommLogService } from '../../src/modules/comm-log/service.js';
import { OccupancyService } from '../../src/modules/occupancy/service.js';
import { hourlyEntriesHook } from '../../src/modules/passages/hourly.js';
import { sumHourlyEntries } from '../../src/modules/passages/hourly-reads.js';
import { PassageIngestion } from '../../src/modules/passages/service.js';
import { dateOf, monthSpan } from '../../src/modules/reports/period.js';
import { ReportsService } from '../../src/modules/reports/service.js';
import { sumDayItems, sumDayMoney } from '../../src/modules/takings/history.js';
import { TakingsService } from '../../src/modules/takings/service.js';
import { TicketTypesService } from '../../src/modules/ticket-types/service.js';
import { VenuesService } from '../../src/modules/venues/service.js';
import { seedRoles } from '../../src/platform/auth/roles-seed.js';
import { insertTestOperator } from '../../src/platform/auth/testing.js';
import { ALL_SITES } from '../../src/platform/site-scope.js';
import { percentile } from '../sales/harness.js';
import { openBulk } from './bulk.js';
import {
  BenchData,
  type BulkTable,
  type DayRows,
  type Row,
  SITE,
  shapeOf,
  TYPES,
  typeOfTicket,
  WINDOWS,
} from './data.js';
import { rollupMismatches } from './verify.js';

// PostgreSQL runs when TEST_DATABASE_URL is set (databaseBackends reads it when called); BENCH_DATABASE_URL too.
if (process.env.BENCH_DATABASE_URL && !process.env.TEST_DATABASE_URL)
  process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const VERIFY = (process.env.BENCH_VERIFY ?? 'full') === 'sample' ? 'sample' : 'full';
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const SYSTEM = { actor: { id: null, username: 'bench' }, ip: null } as const;
/** Rows buffered per table before a bulk insert. */
const FLUSH_ROWS = 20_000;

const today = Math.floor((Date.now() + OFFSET_MS) / DAY_MS);

async function setUpVenue(db: Kysely<Database>): Promise<string[]> {
  const venues = new VenuesService(db);
  await venues.createSite(
    {
      id: SITE,
      name: { zh: '压测景区', en: 'Bench park' },
      timezone: 'Asia/Shanghai',
      dailyCapacity: null,
      agePolicy: [],
    },
    SYSTEM,
  );
  for (const id of WINDOWS)
    await venues.createWindow(
      SITE,
      { id, name: { zh: `${id} 窗口`, en: `Window ${id}` }, active: true },
      SYSTEM,
    );
  await venues.createZone(
    SITE,
    { id: 'main', name: { zh: '主园区', en: 'Main' }, capacity: null, active: true },
    SYSTEM,
  );
  for (let g = 1; g <= 8; g++)
    await venues.createGate(
      SITE,
      {
        id: `G${g}`,
        zoneId: 'main',
        direction: 'both',
        kind: 'tripod',
        name: { zh: `G${g}`, en: `G${g}` },
        active: true,
      },
      SYSTEM,
    );
  const types = new TicketTypesService(db, venues);
  for (const type of TYPES)
    await types.create(
      {
        typeId: type.id,
        siteId: SITE,
        code: `T${type.id}`,
        name: { zh: `票种${type.id}`, en: `Type ${type.id}` },
        kind: type.persons > 1 ? 'group' : 'single',
        prices: { window: type.priceFen / type.persons },
      },
      SYSTEM,
    );
  await seedRoles(db);
  const cashiers: string[] = [];
  for (let c = 0; c < 12; c++)
    cashiers.push(
      await insertTestOperator(db, `bench_cashier_${c}`, 'cashier', { displayName: `营业员${c + 1}` }),
    );
  return cashiers;
}

async function insertTickets(db: Kysely<Database>, count: number): Promise<void> {
  for (let first = 1; first <= count; first += 500) {
    const rows = [];
    for (let id = first; id < Math.min(first + 500, count + 1); id++) {
      const type = typeOfTicket(id);
      rows.push({
        id,
        site_id: SITE,
        type_id: type.id,
        type_version: 1,
        sale_id: null,
        sale_line: null,
        status: 'active' as const,
        visit_day: today,
        valid_from: 0,
        valid_to: (today + 365) * DAY_MS,
        entries_total: null,
        entries_used: 0,
        persons: type.persons,
        slot_id: null,
        slot_start: null,
        slot_end: null,
        holder_name: null,
        holder_id_masked: null,
        holder_id_hash: null,
        holder_birth_day: null,
        barcode: null,
        card_uid: null,
        qr_text: null,
        key_id: null,
        flags: 0,
        price_fen: type.priceFen,
        created_at: 0,
        updated_at: 0,
      });
    }
    await db.insertInto('tickets').values(rows).execute();
  }
}

interface Built {
  readonly seconds: number;
  readonly counts: Record<string, number>;
}

async function build(test: TestDatabase): Promise<Built> {
  const started = performance.now();
  const db = test.database.db;
  const cashiers = await setUpVenue(db);
  const shape = shapeOf(SCALE, today, cashiers);
  await insertTickets(db, shape.tickets);
  const bulk = openBulk(test);
  const counts: Record<string, number> = {};
  const buffers = new Map<BulkTable, Row[]>();
  const flush = async (table: BulkTable) => {
    const rows = buffers.get(table) ?? [];
    if (rows.length === 0) return;
    await bulk.insert(table, rows);
    counts[table] = (counts[table] ?? 0) + rows.length;
    buffers.set(table, []);
  };
  const tables: BulkTable[] = [
    'takings',
    'taking_payments',
    'taking_items',
    'takings_day_money',
    'takings_day_items',
    'passage_events',
    'passage_hourly_entries',
  ];
  const restoreIndexes = await bulk.withoutIndexes([
    'takings',
    'taking_payments',
    'taking_items',
    'passage_events',
  ]);
  let todayRows: DayRows | undefined;
  for (const day of new BenchData(shape).days()) {
    if (day.day === today) {
      todayRows = day;
      continue;
    }
    const parts: [BulkTable, Row[]][] = [
      ['takings', day.takings],
      ['taking_payments', day.payments],
      ['taking_items', day.items],
      ['takings_day_money', day.money],
      ['takings_day_items', day.itemRollup],
      ['passage_events', day.passages],
      ['passage_hourly_entries', day.hourly],
    ];
    for (const [table, rows] of parts) {
      const buffer = buffers.get(table) ?? [];
      for (const row of rows) buffer.push(row);
      buffers.set(table, buffer);
    }
    // All tables together, in order: a taking's payments never go in before the taking.
    if (tables.some((table) => (buffers.get(table)?.length ?? 0) >= FLUSH_ROWS))
      for (const table of tables) await flush(table);
  }
  for (const table of tables) await flush(table);
  await restoreIndexes();
  await bulk.analyze();
  await bulk.close();
  if (test.config.dialect === 'postgres')
    await sql`select setval(pg_get_serial_sequence('takings', 'id'), (select max(id) from takings))`.execute(
      db,
    );

  // Today through the production code: the takings service, and the ingestion with the hourly-entries hook.
  const takings = new TakingsService();
  const entries = todayRows?.entries ?? [];
  for (let i = 0; i < entries.length; i += 64)
    await transaction(db, async (trx) => {
      for (const entry of entries.slice(i, i + 64)) await takings.record(trx, entry);
    });
  counts.today_takings = entries.length;
  const occupancy = new OccupancyService(db, { resetHour: 0, hysteresisPct: 3 }, { warn: () => {} });
  const ingestion = new PassageIngestion(db, occupancy, [hourlyEntriesHook()]);
  const events = todayRows?.passages ?? [];
  for (let i = 0; i < events.length; i += 2_048)
    await Promise.all(
      events.slice(i, i + 2_048).map((row) => {
        const message: PassageEvent = {
          type: 'passage',
          v: 1,
          eventId: row[0] as string,
          gateId: row[4] as string,
          at: row[9] as number,
          ticketId: row[5] as number,
          credentialKind: 'qr',
          direction: row[7] as 'in' | 'out',
          persons: row[8] as number,
          entriesLeft: null,
          decidedOffline: false,
          correlationId: null,
        };
        return ingestion.ingest({
          siteId: SITE,
          gateId: message.gateId,
          message,
          receivedAt: message.at + 500,
        });
      }),
    );
  counts.today_passages = events.length;
  return { seconds: (performance.now() - started) / 1000, counts };
}

async function timed(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function run(backend: DatabaseBackend): Promise<{ line: string; ok: boolean }> {
  const test = await backend.create();
  try {
    const db = test.database.db;
    const built = await build(test);
    console.log(`\n[${backend.name}] scale ${SCALE}: built in ${built.seconds.toFixed(1)} s (not timed)`);
    console.log(
      `  rows: ${Object.entries(built.counts)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );

    const verifyStarted = performance.now();
    const sampleDays =
      VERIFY === 'sample'
        ? [...new Set([today, ...Array.from({ length: 30 }, (_, i) => today - 1 - ((i * 24) % 729))])]
        : undefined;
    const mismatches = await rollupMismatches(db, OFFSET_MS, sampleDays);
    const rollupsMatch = mismatches.money === 0 && mismatches.items === 0 && mismatches.hourly === 0;
    console.log(
      `  rollups vs recomputation (${VERIFY === 'sample' ? `${sampleDays!.length} days` : 'every day'}, ${((performance.now() - verifyStarted) / 1000).toFixed(1)} s): ` +
        `money ${mismatches.money}, items ${mismatches.items}, hourly entries ${mismatches.hourly} rows differ → ${rollupsMatch ? 'match' : 'MISMATCH'}`,
    );

    const reports = new ReportsService(db, {
      commLog: new CommLogService(new CommLogRepo(db), db, 'Asia/Shanghai'),
      defaultTimeZone: 'Asia/Shanghai',
    });
    const site = { siteId: SITE };
    const day = dateOf(today - 1);
    const lastMonth = monthSpan(monthSpan(today).fromDay - 1);
    const month = { from: dateOf(lastMonth.fromDay), to: dateOf(lastMonth.toDay), ...site };
    const year = { from: dateOf(today - 364), to: dateOf(today), ...site };
    const todayFilter = { fromDay: today, toDay: today, ...site };
    const figures = {
      live: await timed(RUNS, async () => {
        await sumDayMoney(db, todayFilter, ['method', 'channel'], ALL_SITES);
        await sumDayItems(db, todayFilter, ['source'], ALL_SITES);
        await sumHourlyEntries(db, todayFilter, [], ALL_SITES);
      }),
      shift: await timed(RUNS, () =>
        reports.summary({ from: day, to: day, ...site, by: 'cashier', thenBy: 'method' }),
      ),
      month: await timed(RUNS, async () => {
        await reports.summary({ ...month, by: 'type' });
        await reports.summary({ ...month, by: 'channel' });
        await reports.summary({ ...month, by: 'method' });
      }),
      yoy: await timed(RUNS, () =>
        reports.compare({
          ...year,
          metric: 'sales',
          granularity: 'day',
          compare: 'yoy',
          basis: 'same_weekday',
        }),
      ),
      summary: await timed(RUNS, () => reports.summary({ ...year, by: 'type', thenBy: 'channel' })),
    };
    // For information: the same one-year summary asked over every site (no site filter).
    const allSites = await timed(Math.max(3, Math.floor(RUNS / 5)), () =>
      reports.summary({ from: year.from, to: year.to, by: 'type', thenBy: 'channel' }),
    );
    for (const [name, f] of Object.entries(figures))
      console.log(`  ${name.padEnd(8)} p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms`);
    console.log(`  (one-year summary over every site: p95 ${allSites.p95.toFixed(1)} ms)`);
    const max = Math.max(...Object.values(figures).map((f) => f.p95));
    const p95 = (name: keyof typeof figures) => figures[name].p95.toFixed(1);
    return {
      line:
        `RESULT engine=${backend.name} scale=${SCALE} live_p95_ms=${p95('live')} shift_p95_ms=${p95('shift')} ` +
        `month_p95_ms=${p95('month')} yoy_p95_ms=${p95('yoy')} summary_p95_ms=${p95('summary')} ` +
        `max_p95_ms=${max.toFixed(1)} rollups_match=${rollupsMatch}`,
      ok: rollupsMatch,
    };
  } finally {
    await test.dispose();
  }
}

const results: { line: string; ok: boolean }[] = [];
const wanted = process.env.BENCH_BACKENDS;
for (const backend of databaseBackends())
  if (wanted === undefined || wanted.split(',').includes(backend.name)) results.push(await run(backend));
console.log(`\nnode ${process.version}, load ${loadavg()[0]!.toFixed(2)}, runs ${RUNS}, verify ${VERIFY}`);
for (const result of results) console.log(result.line);
if (!results.every((r) => r.ok)) process.exitCode = 1;
