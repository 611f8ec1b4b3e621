/**
 * bench:fleet — the real cloud process (embedded broker) against a fleet of virtual gates in this process, on a fresh
 * SQLite file and then, when TEST_DATABASE_URL is set, on a fresh schema of that PostgreSQL server (each run with
 * its own cloud process and fleet). BENCH_BACKENDS=sqlite or =postgres runs only that one.
 *
 * 1. register BENCH_GATES (500) gates over the HTTP API, issue their logins, connect them all;
 * 2. ingestion: a burst of BENCH_EVENTS (20,000) passage / denial events spread over the gates, plus 1 % of them
 *    sent again (a retransmission after a lost PUBACK); rows counted in the cloud's database until all are stored:
 *    events/s, lost (sent − stored), duplicated (rows beyond one per event id, and resent ids with more than one row);
 * 3. sale → gate: BENCH_SALES (20) sales through the HTTP API one after another, each timed from the request until
 *    every gate of the site holds the whitelist version it produced (needs whitelist distribution in the cloud);
 * 4. online validation at BENCH_VALIDATION_RATE (1,000) scans/s for BENCH_VALIDATION_SEC (5) s: each scan asks the
 *    cloud, then reports its passage or denial with the correlation id (needs the validation module);
 * 5. emergency-open fan-out: POST /api/v1/commands (site target, `wait`) until all gates have acknowledged.
 *
 * Prints a table (a column per database) and one `RESULT` line: SQLite's figures under their plain names,
 * PostgreSQL's prefixed `postgres_`. On PostgreSQL the CPU of the server processes serving the cloud's connections
 * is measured too (from /proc, so only for a server on this machine). Every wait is bounded, so the run ends by
 * itself. BENCH_SALES=0 or BENCH_VALIDATION_SEC=0 skip those phases; FLEET_CLOUD_CPU_PROF_DIR writes a V8 CPU
 * profile of each cloud process there (the run prints each one's pid, which the file name carries);
 * BENCH_RTT_FILE appends every online validation's send time and round trip to that file, on the clock of V8 CPU
 * profiles, so slow round trips can be laid beside what the cloud (and, run with --cpu-prof, the fleet) was doing.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Fleet, percentile, sleep } from '../src/fleet/fleet.js';
import { LightGate } from '../src/fleet/light-gate.js';
import { CloudApi, provisionFleet } from '../src/fleet/provision.js';
import { CLOUD_ADMIN, type CloudProcess, startCloudProcess } from '../src/fleet/testing/cloud-process.js';
import { type FleetBackend, fleetBackends } from '../src/fleet/testing/fleet-database.js';
import { type FleetEvent, VisitorStream } from '../src/fleet/visitors.js';

const GATES = Number(process.env.BENCH_GATES ?? 500);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const RESEND_SHARE = 0.01;
const STORE_TIMEOUT_MS = Number(process.env.BENCH_STORE_TIMEOUT_MS ?? 180_000);
const SALES = Number(process.env.BENCH_SALES ?? 20);
const VALIDATION_RATE = Number(process.env.BENCH_VALIDATION_RATE ?? 1_000);
const VALIDATION_SEC = Number(process.env.BENCH_VALIDATION_SEC ?? 5);
/** BENCH_VALIDATION_SWEEP=100,250,500: validation alone for 3 s at each of these rates before the main run. */
const SWEEP = (process.env.BENCH_VALIDATION_SWEEP ?? '')
  .split(',')
  .filter(Boolean)
  .map(Number)
  .filter((n) => n > 0 && n <= 10_000);
/** Lines `<sent at, monotonic µs> <round trip ms> <answered 1|0>` under a `# <phase>` header per phase. */
const RTT_FILE = process.env.BENCH_RTT_FILE;
const SITE = 'fleet';
const ZONE = 'main';
const BACKENDS = backendsToRun(process.env.BENCH_BACKENDS);

function backendsToRun(wanted: string | undefined): FleetBackend[] {
  const available = fleetBackends();
  if (!wanted) return available;
  const names = wanted.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !available.includes(name as FleetBackend));
  if (unknown.length > 0 || names.length === 0)
    throw new Error(
      `BENCH_BACKENDS=${wanted}: available are ${available.join(', ')} (postgres needs TEST_DATABASE_URL)`,
    );
  return available.filter((name) => names.includes(name));
}

interface Row {
  readonly what: string;
  readonly value: string;
  readonly goal: string;
}

/** What one backend's run measured: the table's rows and its `key=value` fields for the RESULT line. */
interface Run {
  readonly backend: FleetBackend;
  readonly rows: Row[];
  readonly result: string[];
  problems: number;
}

let run: Run;
function record(what: string, value: string, goal = '', key?: string) {
  run.rows.push({ what, value, goal });
  process.stdout.write(`  ${what}: ${value}${goal ? ` (goal ${goal})` : ''}\n`);
  if (key) run.result.push(key);
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds so far of each database server process serving the cloud (none with SQLite, inside the cloud). */
async function serverCpu(cloud: CloudProcess): Promise<Map<number, number>> {
  return new Map((await cloud.database.serverPids()).map((pid) => [pid, cpuSeconds(pid)]));
}

/**
 * Cores used from now until the returned function is called: by the cloud, by the database server processes serving
 * it (a connection that closes in between takes its share with it, so that one is a lower bound) and by this process.
 */
async function cpuShare(cloud: CloudProcess) {
  const pid = cloud.child.pid!;
  const databaseStart = await serverCpu(cloud);
  const cloudStart = cpuSeconds(pid);
  const selfStart = process.cpuUsage();
  const wallStart = performance.now();
  return async () => {
    const wall = (performance.now() - wallStart) / 1_000;
    const self = process.cpuUsage(selfStart);
    const cloudCores = (cpuSeconds(pid) - cloudStart) / wall;
    let database = 0;
    for (const [serverPid, seconds] of await serverCpu(cloud))
      database += seconds - (databaseStart.get(serverPid) ?? 0);
    return {
      cloud: cloudCores,
      database: database / wall,
      fleet: (self.user + self.system) / 1e6 / wall,
    };
  };
}

/** A run on PostgreSQL also shows the server's share: its CPU is part of what an event or a request costs. */
const onPostgres = () => run.backend === 'postgres';

async function ingestion(cloud: CloudProcess, fleet: Fleet) {
  const stored = await cloud.database.openStoredEvents();
  try {
    const before = await stored.count(SITE);
    const perGate = Math.ceil(EVENTS / fleet.size);
    // Encoded before the clock starts, so the figure is the cloud's and the broker's, not the generator's.
    const plans = fleet.gates.map((gate, i) => {
      const stream = new VisitorStream(gate.gateId, undefined, 1_000 + i);
      const events: FleetEvent[] = [];
      for (let n = 0; n < perGate && i * perGate + n < EVENTS; n++) events.push(stream.next(Date.now()));
      const payloads = events.map((event) => ({ type: event.type, payload: LightGate.encodeEvent(event) }));
      // The retransmissions go out after the originals, as a gate's outbox replays after a reconnect.
      const resends = events.filter((_, n) => (i * perGate + n) % Math.round(1 / RESEND_SHARE) === 0);
      return { gate, events, payloads, resends };
    });
    const sent = plans.reduce((n, p) => n + p.events.length, 0);
    const resent = plans.reduce((n, p) => n + p.resends.length, 0);
    const cpu = await cpuShare(cloud);
    const started = performance.now();
    let failed = 0;
    const publishing = Promise.all(
      plans.map(async ({ gate, payloads, resends }) => {
        const all = [
          ...payloads,
          ...resends.map((event) => ({ type: event.type, payload: LightGate.encodeEvent(event) })),
        ];
        await Promise.all(
          all.map(({ type, payload }) =>
            gate.publishEncoded(type, payload).catch(() => {
              failed++;
            }),
          ),
        );
      }),
    ).then(() => performance.now() - started);
    let count = before;
    let storedAt = Number.NaN;
    const deadline = started + STORE_TIMEOUT_MS;
    let lastReport = started;
    while (performance.now() < deadline) {
      count = (await stored.count(SITE)) - before;
      if (count >= sent) {
        storedAt = performance.now() - started;
        break;
      }
      if (performance.now() - lastReport > 5_000) {
        lastReport = performance.now();
        process.stdout.write(
          `    … ${count}/${sent} stored after ${((lastReport - started) / 1000).toFixed(0)} s\n`,
        );
      }
      await sleep(50);
    }
    const usage = await cpu();
    const publishedMs = await Promise.race([publishing, sleep(10_000).then(() => Number.NaN)]);
    // Let the retransmissions that follow the last original through before looking for doubles.
    await sleep(2_000);
    count = (await stored.count(SITE)) - before;
    const resentRows = await stored.rowsPerEvent(plans.flatMap((p) => p.resends.map((e) => e.eventId)));
    const doubled = [...resentRows.values()].filter((n) => n > 1).length;
    const duplicated = (await stored.duplicateRows()) + doubled;
    const lost = sent - count;
    const rate = Number.isNaN(storedAt) ? (count * 1_000) / STORE_TIMEOUT_MS : (sent * 1_000) / storedAt;
    record('events sent (+ resent)', `${sent} (+ ${resent}) over ${fleet.size} gates`);
    record(
      'all PUBACKed by the broker after',
      `${Number.isNaN(publishedMs) ? '—' : publishedMs.toFixed(0)} ms`,
    );
    record(
      'all stored after',
      Number.isNaN(storedAt) ? `not within ${STORE_TIMEOUT_MS / 1000} s` : `${storedAt.toFixed(0)} ms`,
    );
    record('events ingested/s', rate.toFixed(0), '≥ 5,000', `ingested_per_s=${rate.toFixed(0)}`);
    record('lost (sent − stored)', String(lost), '0', `lost=${lost}`);
    record('duplicated', String(duplicated), '0', `duplicated=${duplicated}`);
    record(
      'CPU while ingesting (cores)',
      `cloud ${usage.cloud.toFixed(2)}, ${onPostgres() ? `PostgreSQL ${usage.database.toFixed(2)}, ` : ''}fleet ${usage.fleet.toFixed(2)} of ${cpus().length}`,
    );
    // Other work shares this machine: events per CPU-second the cloud actually got is the figure that carries over.
    const perCpuSecond = rate / usage.cloud;
    record(
      'events per cloud CPU-second',
      perCpuSecond.toFixed(0),
      '',
      `events_per_cloud_cpu_s=${perCpuSecond.toFixed(0)}`,
    );
    if (onPostgres()) {
      const withServer = rate / (usage.cloud + usage.database);
      record(
        'events per CPU-second of cloud + PostgreSQL',
        withServer.toFixed(0),
        '',
        `events_per_cloud_db_cpu_s=${withServer.toFixed(0)} db_cores_ingesting=${usage.database.toFixed(2)}`,
      );
    }
    run.result.push(`events=${sent}`, `resent=${resent}`, `publish_failed=${failed}`);
  } finally {
    await stored.close();
  }
}

/** The site's venue for sales: a window and a single-entry ticket type, valid today. */
async function prepareSales(api: CloudApi): Promise<string> {
  await api.call('POST', `/api/v1/sites/${SITE}/windows`, {
    id: 'W01',
    name: { zh: '一号窗口', en: 'Window 1' },
  });
  await api.call('POST', '/api/v1/ticket-types', {
    typeId: 1,
    siteId: SITE,
    code: 'ADULT',
    name: { zh: '成人票', en: 'Adult' },
    kind: 'single',
    prices: { window: 1_000 },
  });
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

async function sell(api: CloudApi, visitDate: string, quantity: number): Promise<number[]> {
  const sale = await api.call<{ tickets: { ticketId: number }[] }>(
    'POST',
    '/api/v1/sales',
    {
      siteId: SITE,
      windowId: 'W01',
      lines: [{ typeId: 1, quantity, visitDate }],
      payments: [{ method: 'cash', amountFen: 1_000 * quantity }],
    },
    { 'idempotency-key': randomUUID() },
  );
  return sale.tickets.map((t) => t.ticketId);
}

async function deltas(api: CloudApi, fleet: Fleet, visitDate: string): Promise<number[]> {
  const soldTickets: number[] = [];
  const latencies: number[] = [];
  const version = () => Math.max(...fleet.gates.map((g) => g.whitelist.version));
  // Gates first catch up with whatever the site already has (boot sync), so each sale's delta is timed alone.
  await fleet.waitForAll((g) => g.whitelist.version === version(), 10_000);
  let available = true;
  for (let i = 0; i < SALES && available; i++) {
    const from = version();
    const lastArrival = new Map<string, number>();
    const onVersion = (gate: LightGate) => (v: number, at: number) => {
      if (v > from && !lastArrival.has(gate.gateId)) lastArrival.set(gate.gateId, at);
    };
    const listeners = fleet.gates.map((gate) => {
      const listener = onVersion(gate);
      gate.on('whitelist', listener);
      return () => gate.off('whitelist', listener);
    });
    const sentAt = Date.now();
    try {
      soldTickets.push(...(await sell(api, visitDate, 1)));
      const all = await fleet.waitForAll((g) => g.whitelist.version > from, i === 0 ? 10_000 : 5_000);
      if (!all && lastArrival.size === 0) available = false;
      else if (all) latencies.push(Math.max(...lastArrival.values()) - sentAt);
      else
        process.stdout.write(
          `    sale ${i + 1}: only ${lastArrival.size}/${fleet.size} gates got the delta\n`,
        );
    } finally {
      for (const off of listeners) off();
    }
    await sleep(100);
  }
  if (SALES === 0) return soldTickets;
  if (!available) {
    record(
      'sale → all gates delta',
      'not available: no whitelist delta reached any gate within 10 s',
      '',
      'delta=not_available',
    );
  } else {
    latencies.sort((a, b) => a - b);
    record('sales timed', `${latencies.length}/${SALES} reached all ${fleet.size} gates`);
    record('sale → all gates delta p50', `${percentile(latencies, 50)} ms`);
    record(
      'sale → all gates delta p99',
      `${percentile(latencies, 99)} ms`,
      '≤ 1,000 ms',
      `delta_p99_ms=${percentile(latencies, 99)}`,
    );
    run.result.push(`delta_timed=${latencies.length}/${SALES}`);
  }
  return soldTickets;
}

async function validation(cloud: CloudProcess, fleet: Fleet, ticketIds: number[]) {
  // A probe first: with no validation module the cloud never answers, and 5 s of timeouts would say nothing.
  const probe = await Promise.all(
    fleet.gates.slice(0, 5).map((g) => g.validate({ kind: 'qr', ticketId: ticketIds[0] ?? 1 }, 'in', 2_000)),
  );
  if (probe.every((p) => p.response === undefined)) {
    record(
      'online validation',
      'not available: no answer to 5 probes within 2 s',
      '',
      'validation=not_available',
    );
    return;
  }
  // Optional: validation alone at a few lower rates first, to find where the round trip starts to grow.
  for (const rate of SWEEP) {
    const step = await validationsOnly(fleet, ticketIds, rate, 3);
    record(
      `validation alone at ${rate}/s: answered, p50 / p99`,
      `${step.answered}/${step.sent}, ${percentile(step.rtt, 50).toFixed(1)} / ${percentile(step.rtt, 99).toFixed(1)} ms`,
    );
    await sleep(1_000);
  }
  if (VALIDATION_SEC === 0) return;
  // Validation alone first: requests only, no passage events behind them, so the figure is the module's own.
  const aloneCpu = await cpuShare(cloud);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const alone = await validationsOnly(fleet, ticketIds, VALIDATION_RATE, VALIDATION_SEC);
  lag.disable();
  const aloneUsage = await aloneCpu();
  record(
    'validation alone: sent / answered / past deadline',
    `${alone.sent} / ${alone.answered} / ${alone.sent - alone.answered} at ${alone.rate.toFixed(0)} requests/s`,
  );
  record(
    'validation alone round trip p50 / p99 (every request)',
    `${percentile(alone.rtt, 50).toFixed(1)} / ${percentile(alone.rtt, 99).toFixed(1)} ms`,
    '≤ 30 ms (p99)',
    `validation_only_p99_ms=${percentile(alone.rtt, 99).toFixed(1)}`,
  );
  // CPU per request carries over between machines and loads better than the round trip does.
  const perRequestUs = (aloneUsage.cloud * 1e6) / alone.rate;
  record(
    'CPU while validating alone (cores; cloud per request); fleet event-loop delay p99',
    `cloud ${aloneUsage.cloud.toFixed(2)} (${perRequestUs.toFixed(0)} µs), fleet ${aloneUsage.fleet.toFixed(2)}; ${(lag.percentile(99) / 1e6).toFixed(1)} ms`,
    '',
    `validation_cloud_cpu_us=${perRequestUs.toFixed(0)}`,
  );
  if (onPostgres()) {
    const serverUs = (aloneUsage.database * 1e6) / alone.rate;
    record(
      'PostgreSQL CPU while validating alone (cores; per request)',
      `${aloneUsage.database.toFixed(2)} (${serverUs.toFixed(0)} µs)`,
      '',
      `validation_db_cpu_us=${serverUs.toFixed(0)}`,
    );
  }
  const cpu = await cpuShare(cloud);
  const timeline = rttTimeline();
  const report = await fleet.runTraffic({
    ratePerGate: VALIDATION_RATE / fleet.size,
    durationMs: VALIDATION_SEC * 1_000,
    mix: { admits: 1, exits: 0, denials: 0 },
    validateShare: 1,
    ticketIds,
    seed: 7,
    drainMs: 30_000,
    ...(timeline && { onValidation: timeline.add }),
  });
  timeline?.write(`scans ${VALIDATION_RATE}/s`);
  const usage = await cpu();
  // Over every request: one not answered by its deadline counts as the deadline (a gate waited that long).
  const deadline = fleet.gates[0]?.config.deadlineMs ?? 800;
  const rtt = [
    ...report.validation.rttMs,
    ...new Array<number>(report.validation.timedOut).fill(deadline),
  ].sort((a, b) => a - b);
  const offered = (report.validation.sent * 1_000) / report.elapsedMs;
  record(
    'scans with validation (ask, then report the passage): sent / answered / past deadline',
    `${report.validation.sent} / ${report.validation.answered} / ${report.validation.timedOut} at ${offered.toFixed(0)} scans/s`,
  );
  record(
    'validation round trip p50',
    `${percentile(rtt, 50).toFixed(1)} ms`,
    '',
    `validation_p50_ms=${percentile(rtt, 50).toFixed(1)}`,
  );
  record(
    'validation round trip p99 (every request)',
    `${percentile(rtt, 99).toFixed(1)} ms`,
    '≤ 30 ms',
    `validation_p99_ms=${percentile(rtt, 99).toFixed(1)}`,
  );
  record(
    'CPU while validating (cores)',
    `cloud ${usage.cloud.toFixed(2)}, ${onPostgres() ? `PostgreSQL ${usage.database.toFixed(2)}, ` : ''}fleet ${usage.fleet.toFixed(2)}`,
  );
  run.result.push(`validation_timeouts=${report.validation.timedOut}`);
}

/** One phase's BENCH_RTT_FILE lines (none when it is not set), appended under `# <header>` by `write`. */
function rttTimeline() {
  if (!RTT_FILE) return undefined;
  const file = RTT_FILE;
  const lines: string[] = [];
  return {
    add: (askedAtUs: bigint, rttMs: number, answered: boolean) => {
      lines.push(`${askedAtUs} ${rttMs.toFixed(2)} ${answered ? 1 : 0}`);
    },
    write: (header: string) => appendFileSync(file, `# ${header}\n${lines.join('\n')}\n`),
  };
}

/**
 * `rate` requests/s round-robin over the gates for `seconds`, each waiting up to its gate's deadline. The round
 * trips are those of every request: one not answered counts with the time it waited (its deadline).
 */
async function validationsOnly(fleet: Fleet, ticketIds: number[], rate: number, seconds: number) {
  const rtt: number[] = [];
  let answered = 0;
  const timeline = rttTimeline();
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  while (sent < total && performance.now() - started < seconds * 1_000 + 5_000) {
    const due = Math.min(total, Math.floor((rate * (performance.now() - started)) / 1_000));
    for (; sent < due; sent++) {
      const gate = fleet.gates[sent % fleet.size]!;
      const ticketId = ticketIds[sent % ticketIds.length] ?? 1;
      const at = process.hrtime.bigint();
      pending.push(
        gate.validate({ kind: 'qr', ticketId }, 'in').then((outcome) => {
          rtt.push(outcome.rttMs);
          if (outcome.response) answered++;
          timeline?.add(at / 1000n, outcome.rttMs, outcome.response !== undefined);
        }),
      );
    }
    await sleep(10);
  }
  await Promise.all(pending);
  timeline?.write(`${rate}/s`);
  rtt.sort((a, b) => a - b);
  return { sent, answered, rtt, rate: (sent * 1_000) / (performance.now() - started) };
}

async function fanOut(api: CloudApi, fleet: Fleet) {
  let lastReceipt = 0;
  const onCommand = (receipt: { receivedAt: number }) => {
    lastReceipt = Math.max(lastReceipt, receipt.receivedAt);
  };
  for (const gate of fleet.gates) gate.on('command', onCommand);
  const sentAt = Date.now();
  const started = performance.now();
  const view = await api.call<{
    status: string;
    summary: { gates: number; ok: number; pending: number; timeout: number };
    results: { latencyMs: number | null }[];
  }>('POST', '/api/v1/commands?wait=10000', {
    action: { kind: 'emergency_open' },
    target: { kind: 'site', siteId: SITE },
    ttlSec: 30,
  });
  const answeredMs = performance.now() - started;
  for (const gate of fleet.gates) gate.off('command', onCommand);
  const acked = view.summary.ok;
  const lastAck = Math.max(...view.results.map((r) => r.latencyMs ?? Number.POSITIVE_INFINITY));
  const opened = fleet.gates.filter((g) => g.currentMode === 'emergency_open').length;
  record('emergency open acked', `${acked}/${view.summary.gates} (${opened} gates in emergency_open)`);
  record('last gate received the command after', `${lastReceipt - sentAt} ms`);
  // The HTTP answer comes once every ack is stored (the acks' latencyMs are stamped on receipt, before storing), so
  // it is the time until the cloud holds all of them, counted from the operator's request.
  const complete = acked === view.summary.gates;
  record(
    'fan-out: all acks stored, HTTP answer after',
    `${complete ? answeredMs.toFixed(0) : 'not all'} ms (last ack received after ${Number.isFinite(lastAck) ? lastAck : '—'} ms)`,
    '≤ 1,000 ms',
    `fanout_ms=${complete ? answeredMs.toFixed(0) : 'incomplete'} fanout_last_ack_ms=${Number.isFinite(lastAck) ? lastAck : 'incomplete'}`,
  );
  run.result.push(`fanout_acked=${acked}/${view.summary.gates}`);
  await api.call('POST', '/api/v1/commands?wait=10000', {
    action: { kind: 'normal' },
    target: { kind: 'site', siteId: SITE },
  });
}

const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/** Every phase against a fresh cloud process and fleet on `backend`. */
async function runOn(backend: FleetBackend): Promise<Run> {
  run = { backend, rows: [], result: [], problems: 0 };
  const cloud = await startCloudProcess({ backend });
  process.stdout.write(`\n[${backend}] cloud pid ${cloud.child.pid}\n`);
  record('load average at the start', loadAverage());
  let fleet: Fleet | undefined;
  try {
    const api = await CloudApi.login(cloud.url, CLOUD_ADMIN.username, CLOUD_ADMIN.password);
    let started = performance.now();
    const logins = await provisionFleet(api, {
      siteId: SITE,
      zoneId: ZONE,
      gates: GATES,
      gatePrefix: 'F',
    });
    record('gates registered with logins in', `${(performance.now() - started).toFixed(0)} ms`);
    started = performance.now();
    // A gate's late error (a stray reconnect after the fleet stopped) must not count against the next backend's run.
    const thisRun = run;
    fleet = await Fleet.start(logins, {
      brokerUrl: cloud.brokerUrl,
      onProblem: (gate, error) => {
        if (thisRun.problems++ < 10) process.stderr.write(`  ${gate.gateId}: ${error.message}\n`);
      },
    });
    record('gates connected in', `${(performance.now() - started).toFixed(0)} ms`);
    const configured = await fleet.waitForAll((g) => g.config.version !== null, 30_000);
    const withConfig = fleet.gates.filter((g) => g.config.version !== null).length;
    record(
      'gates with their config',
      `${withConfig}/${fleet.size} after ${(performance.now() - started).toFixed(0)} ms${configured ? '' : ' (gave up at 30 s)'}`,
    );

    await ingestion(cloud, fleet);
    const visitDate = await prepareSales(api);
    const sold = await deltas(api, fleet, visitDate);
    // Enough tickets that the validation traffic is not mostly the same few tickets refused as used.
    const forValidation = [
      ...sold,
      ...(await sell(api, visitDate, 200)),
      ...(await sell(api, visitDate, 200)),
    ];
    // Their deltas (200 records each, to every gate) must be in and decoded before anything is timed.
    await sleep(1_000);
    const head = Math.max(...fleet.gates.map((g) => g.whitelist.version));
    await fleet.waitForAll((g) => g.whitelist.version >= head, 10_000);
    await sleep(1_000);
    await validation(cloud, fleet, forValidation);
    await fanOut(api, fleet);
  } catch (error) {
    // The cause of a failed request (a 500) is in the cloud's log, not in the answer.
    process.stderr.write(`\n[${backend}] the cloud's log, last lines:\n${cloud.log().slice(-8_000)}\n`);
    throw error;
  } finally {
    await fleet?.stop();
    await cloud.stop();
  }
  record('load average at the end', loadAverage());
  return run;
}

/** One table, a value column per backend; rows one run has and the other has not (a skipped phase) show —. */
function printTable(runs: readonly Run[]) {
  const measures: string[] = [];
  const goals = new Map<string, string>();
  for (const r of runs) {
    // A measure only this run has goes right after the one it followed in this run.
    let previous = -1;
    for (const row of r.rows) {
      let at = measures.indexOf(row.what);
      if (at === -1) {
        at = previous + 1;
        measures.splice(at, 0, row.what);
      }
      previous = at;
      if (row.goal || !goals.has(row.what)) goals.set(row.what, row.goal);
    }
  }
  const names = runs.map((r) => r.backend);
  process.stdout.write(
    `\n| measure | ${names.join(' | ')} | goal |\n|---|${names.map(() => '---|').join('')}---|\n`,
  );
  for (const what of measures) {
    const values = runs.map((r) => r.rows.find((row) => row.what === what)?.value ?? '—');
    process.stdout.write(`| ${what} | ${values.join(' | ')} | ${goals.get(what)} |\n`);
  }
}

/** SQLite's fields keep the names they always had; PostgreSQL's carry a `postgres_` prefix. */
function resultFields(r: Run): string {
  const prefix = r.backend === 'sqlite' ? '' : `${r.backend}_`;
  return [...r.result.flatMap((key) => key.split(' ')), `problems=${r.problems}`]
    .map((field) => prefix + field)
    .join(' ');
}

async function main() {
  process.stdout.write(
    `bench:fleet — ${GATES} gates, ${EVENTS} events on ${BACKENDS.join(', ')}; ${cpus().length} cores, load ${loadAverage()} at start\n`,
  );
  const runs: Run[] = [];
  for (const backend of BACKENDS) runs.push(await runOn(backend));
  printTable(runs);
  process.stdout.write(
    `\nRESULT gates=${GATES} ${runs.map(resultFields).join(' ')} cores=${cpus().length} load1=${loadavg()[0]!.toFixed(2)}\n`,
  );
}

main().then(
  // Exit explicitly: a stray socket of a gate that was still reconnecting must not keep a finished bench alive.
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      `bench:fleet failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
