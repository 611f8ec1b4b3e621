/**
 * bench:orders — partners booking through the channel API of the real cloud process (`node --import tsx
 * cloud/src/main.ts` on a free port, as bench:sales): 32 travel agencies, each with its own API key and a limited
 * prepaid balance, place orders in parallel over HTTP for ONE hot date whose single timed slot has limited places.
 * An order is `POST /api/channel/v1/bookings` (the hold takes places) then `POST …/confirm` (the agency's balance is
 * debited). A hold refused for want of places ends that client; a confirmation refused for want of money cancels
 * the hold (its places go back to the others) and ends it. When every client has stopped, the database is checked:
 * no agency below zero, the slot not oversold and its `sold` equal to the persons of the live orders, and the
 * confirmed orders exactly what the agencies' ledgers debited.
 *
 * SQLite always (SQLITE_SYNCHRONOUS from BENCH_SQLITE_SYNCHRONOUS, default NORMAL); PostgreSQL too when
 * TEST_DATABASE_URL is set (as bench:sales); BENCH_BACKENDS=sqlite or =postgres runs only that one. Knobs: BENCH_PARTNERS (32), BENCH_CLIENTS_PER_PARTNER (2),
 * BENCH_CAP (persons in the slot, 8000 on SQLite), BENCH_PG_CAP (1000), BENCH_PERSONS (per order, 2).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { databaseBackends } from '../../src/db/testing.js';
import { cpuSecondsOf, login, percentile, startCloud, stopCloud } from '../sales/harness.js';
import { type Client, createClient } from './client.js';

const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 32);
const PER_PARTNER = Number(process.env.BENCH_CLIENTS_PER_PARTNER ?? 2);
const PERSONS = Number(process.env.BENCH_PERSONS ?? 2);
const SYNC = (process.env.BENCH_SQLITE_SYNCHRONOUS ?? 'NORMAL').toUpperCase();
const TYPE_ID = 1;
const SETTLEMENT_FEN = 700;

interface Partner {
  readonly agencyId: string;
  readonly secret: string;
  readonly balanceFen: number;
}

interface Tally {
  ok: number;
  refusedPlaces: number;
  refusedMoney: number;
  failed: number;
  readonly orderMs: number[];
  readonly requestMs: number[];
  readonly failures: string[];
}

/** Asia/Shanghai date `days` from now. */
function shanghaiDate(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

async function setUp(
  admin: Client,
  cap: number,
): Promise<{ slotId: string; visitDate: string; partners: Partner[] }> {
  await admin.ok('POST', '/api/v1/sites', { id: 'bench', name: { zh: '压测景区', en: 'Bench park' } });
  await admin.ok('POST', '/api/v1/ticket-types', {
    typeId: TYPE_ID,
    siteId: 'bench',
    code: 'GROUP',
    name: { zh: '团队成人', en: 'Group adult' },
    kind: 'single',
    prices: { window: 1_000, agency: 800 },
  });
  const visitDate = shanghaiDate(3);
  const slots = (await admin.ok('POST', '/api/v1/capacity/slots', {
    siteId: 'bench',
    date: visitDate,
    slots: [{ start: '09:00', end: '12:00', cap }],
  })) as unknown as { id: string }[];
  // Balances from half to one and a half times an even share of the slot: the poorer agencies run out of money
  // while places are left, the richer ones are still paying when the places run out.
  const evenShare = cap / PERSONS / PARTNERS;
  const partners: Partner[] = [];
  for (let i = 0; i < PARTNERS; i++) {
    const agency = await admin.ok('POST', '/api/v1/agencies', {
      name: `Bench travel ${i + 1}`,
      licenceNo: `BENCH-${i + 1}`,
      paymentMode: 'prepaid',
    });
    const agencyId = agency.id as string;
    await admin.ok('PUT', `/api/v1/agencies/${agencyId}/types/${TYPE_ID}`, { priceFen: SETTLEMENT_FEN });
    const orders = Math.max(1, Math.round(evenShare * (0.5 + i / Math.max(1, PARTNERS - 1))));
    const balanceFen = orders * PERSONS * SETTLEMENT_FEN;
    await admin.ok('POST', `/api/v1/agencies/${agencyId}/top-ups`, { amountFen: balanceFen });
    const key = await admin.ok('POST', '/api/v1/channel-keys', {
      name: `Bench travel ${i + 1}`,
      channel: 'agency',
      agencyId,
      siteIds: ['bench'],
      ratePerMinute: 60_000,
    });
    partners.push({ agencyId, secret: key.secret as string, balanceFen });
  }
  return { slotId: slots[0]!.id, visitDate, partners };
}

/** One client of a partner: orders until the slot or the agency's money runs out. */
async function orderLoop(
  client: Client,
  venue: { slotId: string; visitDate: string },
  name: string,
  tally: Tally,
): Promise<void> {
  for (let n = 1; ; n++) {
    const started = performance.now();
    const held = await client.call('POST', '/api/channel/v1/bookings', {
      siteId: 'bench',
      reference: `${name}-${n}`,
      visitDate: venue.visitDate,
      slotId: venue.slotId,
      lines: [{ typeId: TYPE_ID, quantity: PERSONS }],
    });
    tally.requestMs.push(performance.now() - started);
    if (held.status !== 201) {
      if (held.code === 'CAPACITY_EXHAUSTED') tally.refusedPlaces++;
      else fail(tally, `hold ${held.status} ${held.code}`);
      return;
    }
    const confirmStarted = performance.now();
    const confirmed = await client.call('POST', `/api/channel/v1/bookings/${held.body.id}/confirm`);
    tally.requestMs.push(performance.now() - confirmStarted);
    if (confirmed.status === 200 && confirmed.body.status === 'CONFIRMED') {
      tally.ok++;
      tally.orderMs.push(performance.now() - started);
      continue;
    }
    if (confirmed.code !== 'AGENCY_BALANCE_SHORT') {
      fail(tally, `confirm ${confirmed.status} ${confirmed.code}`);
      return;
    }
    tally.refusedMoney++;
    const cancelled = await client.call('POST', `/api/channel/v1/bookings/${held.body.id}/cancel`, {});
    if (cancelled.status !== 200) fail(tally, `cancel ${cancelled.status} ${cancelled.code}`);
    return;
  }
}

function fail(tally: Tally, what: string): void {
  tally.failed++;
  if (tally.failures.length < 5) tally.failures.push(what);
}

async function run(backend: ReturnType<typeof databaseBackends>[number]) {
  const cap = Number(
    backend.name === 'sqlite' ? (process.env.BENCH_CAP ?? 8_000) : (process.env.BENCH_PG_CAP ?? 1_000),
  );
  const test = await backend.create();
  try {
    const cloud = await startCloud({
      DATABASE_URL: test.url,
      SQLITE_SYNCHRONOUS: SYNC,
      CREDENTIAL_SECRET: randomBytes(32).toString('base64'),
    });
    const tally: Tally = {
      ok: 0,
      refusedPlaces: 0,
      refusedMoney: 0,
      failed: 0,
      orderMs: [],
      requestMs: [],
      failures: [],
    };
    let elapsedMs: number;
    let serverCpuS: number;
    let venue: Awaited<ReturnType<typeof setUp>>;
    const clients: Client[] = [];
    try {
      const admin = createClient(cloud.url, { authorization: `Bearer ${await login(cloud.url)}` }, 4);
      clients.push(admin);
      venue = await setUp(admin, cap);
      const loops: Promise<void>[] = [];
      const cpuBefore = cpuSecondsOf(cloud.child.pid!);
      const started = performance.now();
      for (const [i, partner] of venue.partners.entries()) {
        // Each partner its own connections and key, as separate companies would call.
        const client = createClient(cloud.url, { 'x-api-key': partner.secret }, PER_PARTNER);
        clients.push(client);
        for (let c = 0; c < PER_PARTNER; c++)
          loops.push(orderLoop(client, venue, `P${i + 1}C${c + 1}`, tally));
      }
      await Promise.all(loops);
      elapsedMs = performance.now() - started;
      serverCpuS = cpuSecondsOf(cloud.child.pid!) - cpuBefore;
    } finally {
      for (const client of clients) client.close();
      await stopCloud(cloud);
    }

    // The verdict comes from the database, not from what the clients were told.
    const db = test.database.db;
    const slot = await db
      .selectFrom('capacity_slots')
      .select(['sold', 'cap'])
      .where('id', '=', venue.slotId)
      .executeTakeFirstOrThrow();
    const orders = await db
      .selectFrom('group_orders')
      .select(['state', 'agency_id', 'headcount', 'total_fen'])
      .where('slot_id', '=', venue.slotId)
      .execute();
    const live = orders.filter((o) => o.state === 'held' || o.state === 'confirmed');
    const confirmed = orders.filter((o) => o.state === 'confirmed');
    const agencies = await db
      .selectFrom('agencies')
      .select(['id', 'balance_fen', 'credit_limit_fen'])
      .where(
        'id',
        'in',
        venue.partners.map((p) => p.agencyId),
      )
      .execute();
    const ledger = await db
      .selectFrom('agency_ledger')
      .select(['agency_id', 'kind', 'amount_fen'])
      .where(
        'agency_id',
        'in',
        venue.partners.map((p) => p.agencyId),
      )
      .execute();
    const debits = ledger.filter((e) => e.kind === 'order_debit');
    const netDebitFen = -ledger
      .filter((e) => e.kind !== 'topup')
      .reduce((sum, e) => sum + Number(e.amount_fen), 0);
    const confirmedFen = confirmed.reduce((sum, o) => sum + Number(o.total_fen), 0);
    const overdrawn = agencies.filter((a) => Number(a.balance_fen) < -Number(a.credit_limit_fen)).length;
    const livePersons = live.reduce((sum, o) => sum + o.headcount, 0);
    const oversold = Math.max(0, slot.sold - slot.cap, livePersons - slot.cap);
    // Every balance equals its top-up less what its confirmed orders cost; the ledger debited each confirmed order.
    const balancesAdd = agencies.every((a) => {
      const partner = venue.partners.find((p) => p.agencyId === a.id)!;
      const spent = confirmed
        .filter((o) => o.agency_id === a.id)
        .reduce((sum, o) => sum + Number(o.total_fen), 0);
      return Number(a.balance_fen) === partner.balanceFen - spent;
    });
    const consistent =
      slot.sold === livePersons &&
      confirmed.length === tally.ok &&
      debits.length - ledger.filter((e) => e.kind === 'cancellation_credit').length === tally.ok &&
      netDebitFen === confirmedFen &&
      balancesAdd;

    const perSecond = tally.ok / (elapsedMs / 1000);
    const orderMs = [...tally.orderMs].sort((a, b) => a - b);
    const requestMs = [...tally.requestMs].sort((a, b) => a - b);
    const requests = tally.requestMs.length;
    const cpuUs = (serverCpuS * 1e6) / Math.max(1, tally.ok);
    const version =
      backend.name === 'postgres'
        ? (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]?.v
        : undefined;
    const durability =
      backend.name === 'sqlite' ? `SQLITE_SYNCHRONOUS=${SYNC}` : 'PostgreSQL defaults (fsync on)';
    console.log(
      `\n[${backend.name}${version ? ` ${version}` : ''}] ${durability}, ${PARTNERS} partners × ${PER_PARTNER} clients, ${PERSONS} persons per order, slot cap ${cap}`,
    );
    console.log(
      `  orders confirmed ${tally.ok} in ${(elapsedMs / 1000).toFixed(2)} s → ${perSecond.toFixed(0)} orders/s (${(requests / (elapsedMs / 1000)).toFixed(0)} requests/s)`,
    );
    console.log(
      `  order (hold + confirm) p50 ${percentile(orderMs, 50).toFixed(1)} ms, p99 ${percentile(orderMs, 99).toFixed(1)} ms; one request p50 ${percentile(requestMs, 50).toFixed(1)} ms, p99 ${percentile(requestMs, 99).toFixed(1)} ms`,
    );
    console.log(
      `  refused: no places ${tally.refusedPlaces}, no money ${tally.refusedMoney} (hold cancelled); other failures ${tally.failed}${tally.failures.length ? ` (${tally.failures.join('; ')})` : ''}`,
    );
    console.log(
      `  slot sold ${slot.sold} of ${slot.cap}, persons of live orders ${livePersons}; confirmed orders ${confirmed.length}, ledger debits ${debits.length}, net debited ${netDebitFen} fen = confirmed totals ${confirmedFen} fen`,
    );
    console.log(
      `  server CPU ${cpuUs.toFixed(0)} µs per confirmed order (${(serverCpuS / (elapsedMs / 1000)).toFixed(2)} cores)`,
    );
    console.log(`  overdrawn ${overdrawn}, oversold ${oversold}; consistent: ${consistent}`);
    const p = backend.name;
    return {
      line:
        `${p}_orders_per_s=${perSecond.toFixed(0)} ${p}_p50_ms=${percentile(orderMs, 50).toFixed(1)} ` +
        `${p}_p99_ms=${percentile(orderMs, 99).toFixed(1)} ${p}_ok=${tally.ok} ` +
        `${p}_refused=${tally.refusedPlaces + tally.refusedMoney} ${p}_failed=${tally.failed} ` +
        `${p}_overdrawn=${overdrawn} ${p}_oversold=${oversold} ${p}_consistent=${consistent} ` +
        `${p}_cpu_us_per_order=${cpuUs.toFixed(0)}`,
      ok: overdrawn === 0 && oversold === 0 && consistent && tally.failed === 0,
    };
  } finally {
    await test.dispose();
  }
}

const results = [];
const wanted = process.env.BENCH_BACKENDS;
for (const backend of databaseBackends())
  if (wanted === undefined || wanted.split(',').includes(backend.name)) results.push(await run(backend));
console.log(
  `\nRESULT partners=${PARTNERS} clients=${PARTNERS * PER_PARTNER} persons_per_order=${PERSONS} sqlite_synchronous=${SYNC} ${results.map((r) => r.line).join(' ')} node=${process.version} load1=${loadavg()[0]!.toFixed(2)}`,
);
if (!results.every((r) => r.ok)) process.exitCode = 1;
