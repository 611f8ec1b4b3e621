/**
 * bench:sales — window sales through the real cloud process: 64 concurrent keep-alive clients sell one ticket per
 * request into ONE timed slot until it is sold out, then the database is checked for overselling. In the same run
 * the bare conditional capacity UPDATE the sale uses (`sold = sold + 1 WHERE … AND sold + 1 <= cap`, one transaction
 * each, one client) is timed on the same database, and the sale rate is given as a ratio of it.
 *
 * SQLite always (SQLITE_SYNCHRONOUS from BENCH_SQLITE_SYNCHRONOUS, default NORMAL); PostgreSQL too when
 * TEST_DATABASE_URL is set. BENCH_CAP (default 20000), BENCH_PG_CAP (default 5000), BENCH_CLIENTS (default 64).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { type Kysely, sql } from 'kysely';
import { openDatabase, type SqliteSynchronous } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { databaseBackends, type TestDatabase } from '../../src/db/testing.js';
import { transaction } from '../../src/db/transaction.js';
import { consumeSlot } from '../../src/modules/capacity/repo.js';
import {
  cpuSecondsOf,
  login,
  percentile,
  sellUntilExhausted,
  setUpVenue,
  startCloud,
  stopCloud,
} from './harness.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const SYNC = (process.env.BENCH_SQLITE_SYNCHRONOUS ?? 'NORMAL').toUpperCase();
const RAW_MS = 3_000;

interface RawRate {
  readonly perSecond: number;
  /** CPU of this process per UPDATE + COMMIT (SQLite runs in-process; on PostgreSQL the server's share is not in it). */
  readonly cpuUs: number;
}

async function rawUpdateRate(test: TestDatabase): Promise<RawRate> {
  // The bare statement with a COMMIT of its own each time, at the durability the server ran with: a handle of our
  // own on SQLite, with the server's `synchronous` and without group commit (the test handle runs NORMAL).
  const own =
    test.config.dialect === 'sqlite'
      ? openDatabase({ ...test.config, synchronous: SYNC as SqliteSynchronous, groupCommit: false })
      : undefined;
  try {
    return await timeRawUpdates(own?.db ?? test.database.db);
  } finally {
    await own?.close();
  }
}

async function timeRawUpdates(db: Kysely<Database>): Promise<RawRate> {
  const site = await db.selectFrom('sites').select('id').executeTakeFirstOrThrow();
  await db
    .insertInto('capacity_slots')
    .values({
      id: 'raw-bench',
      site_id: site.id,
      day: 0,
      start_minute: 0,
      end_minute: 60,
      start_at: 0,
      end_at: 3_600_000,
      cap: 1_000_000_000,
      sold: 0,
      created_at: 0,
      updated_at: 0,
    })
    .execute();
  let done = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (performance.now() - started < RAW_MS) {
    const ok = await transaction(db, (trx) =>
      consumeSlot(trx, { id: 'raw-bench', siteId: site.id, day: 0 }, 1),
    );
    if (!ok) throw new Error('raw update refused');
    done++;
  }
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { perSecond: done / (elapsed / 1000), cpuUs: (used.user + used.system) / done };
}

async function run(backend: typeof databaseBackends extends () => (infer B)[] ? B : never) {
  const cap = Number(
    backend.name === 'sqlite' ? (process.env.BENCH_CAP ?? 20_000) : (process.env.BENCH_PG_CAP ?? 5_000),
  );
  const test = await backend.create();
  try {
    const cloud = await startCloud({
      DATABASE_URL: test.url,
      SQLITE_SYNCHRONOUS: SYNC,
      CREDENTIAL_SECRET: randomBytes(32).toString('base64'),
    });
    let outcome: Awaited<ReturnType<typeof sellUntilExhausted>>;
    let venue: Awaited<ReturnType<typeof setUpVenue>>;
    // The server's CPU during the selling alone: per sale it is what the machine's load cannot blur.
    let serverCpuS: number;
    try {
      const token = await login(cloud.url);
      venue = await setUpVenue(cloud.url, token, cap);
      const cpuBefore = cpuSecondsOf(cloud.child.pid!);
      outcome = await sellUntilExhausted(cloud.url, token, venue, { clients: CLIENTS, quantity: 1 });
      serverCpuS = cpuSecondsOf(cloud.child.pid!) - cpuBefore;
    } finally {
      await stopCloud(cloud);
    }
    const db = test.database.db;
    const slot = await db
      .selectFrom('capacity_slots')
      .select(['sold', 'cap'])
      .where('id', '=', venue.slotId)
      .executeTakeFirstOrThrow();
    const tickets = Number(
      (
        await db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('slot_id', '=', venue.slotId)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const sales = Number(
      (
        await db
          .selectFrom('sales')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const oversold = Math.max(
      0,
      slot.sold - slot.cap,
      tickets - slot.cap,
      outcome.acknowledged.length - slot.cap,
    );
    const consistent = slot.sold === tickets && tickets === outcome.acknowledged.length && sales === tickets;
    const rawRate = await rawUpdateRate(test);
    const raw = rawRate.perSecond;
    const saleCpuUs = (serverCpuS * 1e6) / outcome.acknowledged.length;
    const serverCores = serverCpuS / (outcome.elapsedMs / 1000);
    const sorted = [...outcome.latenciesMs].sort((a, b) => a - b);
    const perSecond = outcome.acknowledged.length / (outcome.elapsedMs / 1000);
    const durability =
      backend.name === 'sqlite' ? `SQLITE_SYNCHRONOUS=${SYNC}` : 'PostgreSQL defaults (fsync on)';
    const version =
      backend.name === 'postgres'
        ? (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]?.v
        : undefined;
    console.log(
      `\n[${backend.name}${version ? ` ${version}` : ''}] ${durability}, ${CLIENTS} clients, 1 ticket per sale, slot cap ${cap}`,
    );
    console.log(
      `  sales acknowledged ${outcome.acknowledged.length} in ${(outcome.elapsedMs / 1000).toFixed(2)} s → ${perSecond.toFixed(0)} tickets/s`,
    );
    console.log(
      `  latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`,
    );
    console.log(
      `  slot sold ${slot.sold}, tickets in slot ${tickets}, sales rows ${sales}, refused CAPACITY_EXHAUSTED ${outcome.exhausted}, other failures ${outcome.failed}`,
    );
    console.log(
      `  raw conditional UPDATE (one transaction each, one client): ${raw.toFixed(0)}/s; sale rate / raw = ${(perSecond / raw).toFixed(3)}`,
    );
    console.log(
      `  server CPU ${saleCpuUs.toFixed(0)} µs per sale (${(1e6 / saleCpuUs).toFixed(0)} sales per CPU-second; it got ${serverCores.toFixed(2)} of a core), ` +
        `raw UPDATE ${rawRate.cpuUs.toFixed(1)} µs CPU each in the bench process${backend.name === 'postgres' ? ' (client side only)' : ''}`,
    );
    console.log(`  oversold ${oversold}; counts consistent: ${consistent}`);
    return {
      name: backend.name,
      line:
        `${backend.name}_tickets_per_s=${perSecond.toFixed(0)} ${backend.name}_p50_ms=${percentile(sorted, 50).toFixed(1)} ` +
        `${backend.name}_p99_ms=${percentile(sorted, 99).toFixed(1)} ${backend.name}_oversold=${oversold} ` +
        `${backend.name}_raw_update_per_s=${raw.toFixed(0)} ${backend.name}_ratio=${(perSecond / raw).toFixed(3)} ` +
        `${backend.name}_sale_cpu_us=${saleCpuUs.toFixed(0)} ${backend.name}_server_cores=${serverCores.toFixed(2)} ` +
        `${backend.name}_raw_cpu_us=${rawRate.cpuUs.toFixed(1)}`,
      ok: oversold === 0 && consistent && outcome.failed === 0,
    };
  } finally {
    await test.dispose();
  }
}

const results = [];
for (const backend of databaseBackends()) results.push(await run(backend));
console.log(
  `\nRESULT sqlite_synchronous=${SYNC} clients=${CLIENTS} ${results.map((r) => r.line).join(' ')} node=${process.version} load1=${loadavg()[0]!.toFixed(2)}`,
);
if (!results.every((r) => r.ok)) process.exitCode = 1;
