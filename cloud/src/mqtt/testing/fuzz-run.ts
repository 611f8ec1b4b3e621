/**
 * One bounded fuzzing run of the cloud's MQTT side, shared by the in-suite test (mqtt/fuzz.test.ts, a few thousand
 * frames) and `npm run bench:mqtt-fuzz` (100,000): the cloud with its HTTP app on a real port, gates registered the
 * way an administrator does (credentials issued by the gate-access service), either the embedded broker or a private
 * Mosquitto configured from the same credentials, and a write counter on every table.
 *
 * The run sends invalid payloads on every gate → cloud topic of a logged-in gate (fuzz-payloads.ts), then raw hostile
 * packets on new sockets (fuzz-packets.ts), while /healthz is polled. It measures and returns; the caller asserts:
 * every frame sent, frames/s, heap after a full GC before and after, the broker's memory (Mosquitto), /healthz
 * latency and failures, what reached the bus (the communication log's messages by reason: a minute's repeats of one
 * rejection share a row and its count), and what was stored from invalid input — any write to a table other than the
 * communication log, or an inbound log row recorded as an accepted message. A well-behaved gate stays connected
 * throughout and must still be heard afterwards.
 *
 * No figure depends on every frame being processed: a broker may drop a frame (Mosquitto's queue for the cloud, a
 * per-gate budget), and a gate dropped by the broker reconnects and goes on.
 */
import { connect as tcpConnect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CHANNELS, encodeMessage, gateTopic } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { serviceUrl } from '@scenic/testkit/services';
import { type Kysely, sql } from 'kysely';
import type { MqttClient } from 'mqtt';
import { type App, buildApp } from '../../app.js';
import type { Container } from '../../container.js';
import type { Database } from '../../db/schema.js';
import type { TestDatabase } from '../../db/testing.js';
import { GateAccessService } from '../../modules/gate-access/service.js';
import {
  installWriteCounter,
  type WriteCounter,
  type WriteCounts,
} from '../../platform/fuzz/write-counter.js';
import { startTestCloud } from '../../testing/app.js';
import { connectGate, gateState, seedGates } from '../testing.js';
import { type GateLogin, type RawCase, rawCaseFactory } from './fuzz-packets.js';
import { payloadFuzzer, prng } from './fuzz-payloads.js';
import { mosquittoInstalled, type PrivateMosquitto, startPrivateMosquitto } from './mosquitto.js';

export type FuzzBroker = 'embedded' | 'mosquitto';

/** The payload gate (fuzzed on its own topics), the gate kept connected as a bystander, the raw-socket gate. */
const FUZZED = 'G01';
const BYSTANDER = 'G02';
const RAW = 'G03';
const CLOUD_LOGIN = { username: 'sg-cloud', password: 'cloud-secret-for-fuzzing' };

export interface FuzzEnvironment {
  readonly broker: FuzzBroker;
  /** How Mosquitto was reached: a private instance with passwd and acl, or the shared TEST_MQTT_URL broker. */
  readonly brokerSetup: 'embedded' | 'private' | 'shared';
  readonly url: string;
  readonly siteId: string;
  readonly logins: Record<string, GateLogin>;
  readonly cloud: Container;
  readonly app: App;
  readonly healthUrl: string;
  readonly counter: WriteCounter;
  readonly test: TestDatabase;
  /** The broker's process, when it is one of its own (its memory is measured). */
  readonly brokerPid: number | undefined;
  close(): Promise<void>;
}

/** Whether a Mosquitto run is possible here: the binary (private instance) or TEST_MQTT_URL (shared). */
export function mosquittoAvailable(): boolean {
  return mosquittoInstalled() || serviceUrl('TEST_MQTT_URL') !== undefined;
}

export async function startFuzzEnvironment(broker: FuzzBroker, test: TestDatabase): Promise<FuzzEnvironment> {
  const privateBroker = broker === 'mosquitto' && mosquittoInstalled();
  const sharedUrl = broker === 'mosquitto' && !privateBroker ? serviceUrl('TEST_MQTT_URL') : undefined;
  if (broker === 'mosquitto' && !privateBroker && !sharedUrl) throw new Error('no Mosquitto to fuzz');
  // On a shared broker a site of its own keeps parallel runs apart (and it lets anyone in: no passwords).
  const siteId = sharedUrl ? `fz${Math.random().toString(36).slice(2, 10)}` : 'park';
  const db = test.database.db;
  await seedGates(db, siteId, [FUZZED, BYSTANDER, RAW]);
  const access = new GateAccessService(db);
  const logins: Record<string, GateLogin> = {};
  for (const gateId of [FUZZED, BYSTANDER, RAW]) {
    logins[gateId] = {
      siteId,
      gateId,
      password: sharedUrl ? undefined : (await access.issue(gateId)).password,
    };
  }
  const counter = await installWriteCounter(test.database);
  let mosquitto: PrivateMosquitto | undefined;
  let cloud: Container | undefined;
  let app: App | undefined;
  const close = async () => {
    await app?.close();
    await cloud?.close();
    await mosquitto?.stop();
  };
  try {
    if (privateBroker) mosquitto = await startPrivateMosquitto(db, CLOUD_LOGIN);
    const external = mosquitto?.url ?? sharedUrl;
    // The per-gate budget (mqtt/budget.ts, its own tests) would drop most of a fuzzer's frames before they are read:
    // here every frame is meant to reach the decoding and storing it fuzzes.
    const unbudgeted = { MQTT_GATE_RATE: '100000', MQTT_GATE_BURST: '1000000' };
    cloud = await startTestCloud(
      test.database,
      external ? { ...unbudgeted, MQTT_URL: external, MQTT_PASSWORD: CLOUD_LOGIN.password } : unbudgeted,
    );
    app = await buildApp(cloud, { console: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    return {
      broker,
      brokerSetup: mosquitto ? 'private' : sharedUrl ? 'shared' : 'embedded',
      url: external ?? `mqtt://127.0.0.1:${cloud.mqtt!.broker!.port}`,
      siteId,
      logins,
      cloud,
      app,
      healthUrl: `http://127.0.0.1:${address.port}/healthz`,
      counter,
      test,
      brokerPid: mosquitto?.pid,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface FuzzOptions {
  readonly payloadFrames: number;
  readonly rawFrames: number;
  readonly seed: number;
  /** QoS 1 publishes in flight at once (the rest wait). */
  readonly window?: number;
  /** Raw connections open at once. */
  readonly sockets?: number;
  /** A stalled run (no frame acknowledged for this long) fails instead of hanging. */
  readonly stallMs?: number;
}

export interface FuzzFigures {
  readonly broker: FuzzBroker;
  readonly brokerSetup: FuzzEnvironment['brokerSetup'];
  readonly framesSent: number;
  readonly payloadFrames: number;
  readonly rawFrames: number;
  readonly rawConnections: number;
  readonly seconds: number;
  readonly framesPerSecond: number;
  readonly payloadPerSecond: number;
  readonly rawPerSecond: number;
  /** Generated mutations that decoded as valid after all, and so were not sent. */
  readonly stillValid: number;
  /** Heap used after a full GC, MB: after the warm-up, and at the end. */
  readonly heapBeforeMb: number;
  readonly heapAfterMb: number;
  /** Heap after a full GC between the payload frames and the raw packets. */
  readonly heapBetweenMb: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  /** The private Mosquitto's resident memory, MB (undefined for the embedded or a shared broker). */
  readonly brokerRssBeforeMb: number | undefined;
  readonly brokerRssAfterMb: number | undefined;
  readonly healthChecks: number;
  readonly healthFailures: number;
  readonly healthP50Ms: number;
  readonly healthP99Ms: number;
  readonly healthMaxMs: number;
  /** Inbound communication-log rows written during the run (frames that reached the bus), by reason. */
  readonly reachedBus: number;
  readonly reasons: Record<string, number>;
  /** Rows written to tables other than the communication log, and inbound log rows recorded as accepted. */
  readonly rowsStoredFromInvalid: number;
  readonly writesOutsideLog: Record<string, number>;
  readonly acceptedLogRows: number;
  /** Times the fuzzed gate's connection was dropped (and reconnected), and the bystander's. */
  readonly fuzzedGateDrops: number;
  readonly bystanderDrops: number;
  /** The bystander's valid state, sent after the run, reached the cloud's live status. */
  readonly bystanderHeard: boolean;
  /** Logins refused to clients without valid credentials (wrong password, none), out of those tried. */
  readonly unauthorisedRefused: number;
  readonly unauthorisedTried: number;
}

/** A full collection from inside the process (tests and benches run without --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

function heapMb(): number {
  collectGarbage();
  return mb(process.memoryUsage().heapUsed);
}

async function processRssMb(pid: number | undefined): Promise<number | undefined> {
  if (!pid) return undefined;
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Math.round((Number(kb) / 1024) * 10) / 10 : undefined;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Polls /healthz every `everyMs` until stopped: latencies of the 200s, and how many were not. */
function healthPoller(url: string, everyMs = 50) {
  const latencies: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        const body = (await response.json()) as { status?: string };
        if (response.status === 200 && body.status === 'ok') latencies.push(performance.now() - start);
        else failures++;
      } catch {
        failures++;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...latencies].sort((a, b) => a - b);
      const round = (ms: number) => Math.round(ms * 10) / 10;
      return {
        checks: latencies.length + failures,
        failures,
        p50: round(percentile(sorted, 0.5)),
        p99: round(percentile(sorted, 0.99)),
        max: round(sorted.at(-1) ?? 0),
      };
    },
  };
}

async function maxLogId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('comm_log')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Waits until the cloud has handled what arrived and written its log. */
async function settle(env: FuzzEnvironment): Promise<void> {
  const mqttSide = env.cloud.mqtt!;
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await mqttSide.bus.idle();
    await mqttSide.commLog.flush();
  }
}

/** Frames sent but not yet seen by the cloud's bus, past which the sender waits a moment. */
const LAG_FRAMES = 300;

/** Inbound messages the cloud's bus has recorded so far. */
function seenByBus(env: FuzzEnvironment): number {
  let n = 0;
  for (const count of env.cloud.mqtt!.metrics.snapshot()) if (count.direction === 'in') n += count.messages;
  return n;
}

/** Sends invalid payloads as the fuzzed gate, at most `window` QoS 1 publishes unacknowledged at a time. */
async function sendPayloads(
  client: MqttClient,
  frames: number,
  next: () => { topic: string; channel: keyof typeof CHANNELS; payload: Buffer },
  options: { window: number; stallMs: number; seen: () => number },
): Promise<void> {
  const seenAtStart = options.seen();
  let inFlight = 0;
  let lastProgress = Date.now();
  let wake: (() => void) | undefined;
  const done = () => {
    inFlight--;
    lastProgress = Date.now();
    wake?.();
  };
  const room = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (Date.now() - lastProgress > options.stallMs) {
          clearInterval(timer);
          reject(new Error(`payload fuzzing stalled: ${inFlight} publishes unacknowledged`));
        }
      }, 250);
      wake = () => {
        clearInterval(timer);
        wake = undefined;
        resolve();
      };
    });
  for (let i = 0; i < frames; i++) {
    while (inFlight >= options.window) await room();
    const frame = next();
    const spec = CHANNELS[frame.channel];
    inFlight++;
    // A refused publish (the broker dropped the gate) is resent by mqtt.js after it reconnects, or given up on.
    client.publish(frame.topic, frame.payload, { qos: spec.qos, retain: spec.retained }, done);
    // QoS 0 frames complete when written, and Mosquitto acknowledges QoS 1 on receipt and drops what is queued for
    // the cloud past its limit (max_queued_messages): now and then let the cloud catch up, for up to a second, so the
    // frames reach it rather than a broker's queue. Not indefinitely: a broker or budget may drop frames on purpose.
    if (i % 100 === 99) {
      const deadline = Date.now() + 1_000;
      while (i + 1 - (options.seen() - seenAtStart) > LAG_FRAMES && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  while (inFlight > 0) await room();
}

/**
 * Writes one raw case on a new socket the way a hostile client would: the first frame (usually a CONNECT), then —
 * once the broker answered it, or did not within 300 ms — the rest, keeping the socket open until the broker closes
 * it or 150 ms pass. Closing our side early would let the broker drop the connection before it got to the later
 * frames. Resolves with the frames written.
 */
export function sendRaw(port: number, rawCase: RawCase): Promise<number> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port, noDelay: true });
    let written = 0;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(written);
    };
    const write = (frames: Buffer[]) => {
      for (const frame of frames) {
        if (socket.destroyed) return;
        socket.write(frame);
        written++;
      }
    };
    const rest = () => {
      clearTimeout(timer);
      socket.removeListener('data', rest);
      write(rawCase.frames.slice(1));
      timer = setTimeout(finish, 150);
    };
    socket.on('error', finish);
    socket.on('close', finish);
    socket.once('connect', () => {
      write(rawCase.frames.slice(0, 1));
      if (rawCase.frames.length === 1) {
        timer = setTimeout(finish, 150);
        return;
      }
      socket.on('data', rest);
      timer = setTimeout(rest, 300);
    });
  });
}

async function sendRawCases(
  port: number,
  frames: number,
  nextCase: () => RawCase,
  sockets: number,
): Promise<{ frames: number; connections: number }> {
  let sent = 0;
  let connections = 0;
  const worker = async () => {
    while (sent < frames) {
      const rawCase = nextCase();
      sent += rawCase.frames.length;
      connections++;
      await sendRaw(port, rawCase);
    }
  };
  await Promise.all(Array.from({ length: sockets }, worker));
  return { frames: sent, connections };
}

/** Logins that must be refused: a wrong password, no login at all. */
async function tryUnauthorised(env: FuzzEnvironment): Promise<{ tried: number; refused: number }> {
  const login = env.logins[FUZZED]!;
  if (login.password === undefined) return { tried: 0, refused: 0 };
  const attempts = [
    () => connectGate(env.url, login.siteId, login.gateId, `${login.password}x`, { will: undefined }),
    () =>
      connectGate(env.url, login.siteId, login.gateId, '', {
        will: undefined,
        username: undefined,
        password: undefined,
      }),
  ];
  let refused = 0;
  for (const attempt of attempts) {
    try {
      const client = await attempt();
      client.end(true);
    } catch {
      refused++;
    }
  }
  return { tried: attempts.length, refused };
}

function portOf(url: string): number {
  return Number(new URL(url).port || 1883);
}

export async function runMqttFuzz(env: FuzzEnvironment, options: FuzzOptions): Promise<FuzzFigures> {
  const { siteId } = env;
  const db = env.test.database.db;
  const window = options.window ?? 100;
  const stallMs = options.stallMs ?? 15_000;
  const fuzzed = env.logins[FUZZED]!;
  const bystanderLogin = env.logins[BYSTANDER]!;
  const payloads = payloadFuzzer({ siteId, gateId: FUZZED, otherGateId: BYSTANDER, seed: options.seed });
  const rawCase = rawCaseFactory(prng(options.seed + 7), env.logins[RAW]!, FUZZED);

  // The bystander: a well-behaved gate with its last will, connected throughout; it must never be dropped.
  const bystander = await connectGate(env.url, siteId, BYSTANDER, bystanderLogin.password ?? '', {
    ...(bystanderLogin.password === undefined && { username: undefined, password: undefined }),
  });
  let bystanderDrops = 0;
  bystander.on('close', () => bystanderDrops++);
  // The fuzzed gate has no will (its will is a valid message) and reconnects when the broker drops it.
  const gate = await connectGate(env.url, siteId, FUZZED, fuzzed.password ?? '', {
    will: undefined,
    reconnectPeriod: 200,
    ...(fuzzed.password === undefined && { username: undefined, password: undefined }),
  });
  let drops = 0;
  gate.on('close', () => drops++);
  gate.on('error', () => {});

  try {
    // The gates' configs are written by the publisher's rounds, the first of which an external broker does not wait
    // for: one more round here, so those writes land before the count and not among the fuzz's.
    await env.cloud.mqtt!.gateConfig.refresh();
    await settle(env);
    const writesBefore: WriteCounts = await env.counter.read();
    const logIdBefore = await maxLogId(db);
    const health = healthPoller(env.healthUrl);

    const started = performance.now();
    // Warm-up: pools, compiled code and the broker's buffers settle before the "before" memory reading.
    const warmUp = Math.min(1_000, Math.floor(options.payloadFrames / 10));
    const seen = () => seenByBus(env);
    await sendPayloads(gate, warmUp, () => payloads.next(), { window, stallMs, seen });
    await settle(env);
    const heapBeforeMb = heapMb();
    const rssBeforeMb = mb(process.memoryUsage().rss);
    const brokerRssBeforeMb = await processRssMb(env.brokerPid);

    const payloadStart = performance.now();
    await sendPayloads(gate, options.payloadFrames - warmUp, () => payloads.next(), {
      window,
      stallMs,
      seen,
    });
    const payloadSeconds = (performance.now() - payloadStart) / 1000;
    // Counted before the raw cases: on Mosquitto, which does not bind client ids to logins, one of them logs in
    // with another gate's login and this gate's client id, which takes this gate's session over.
    const fuzzedGateDrops = drops;
    gate.end(true);

    const unauthorised = await tryUnauthorised(env);
    await settle(env);
    const heapBetweenMb = heapMb();

    const rawStart = performance.now();
    const raw = await sendRawCases(portOf(env.url), options.rawFrames, rawCase, options.sockets ?? 32);
    const rawSeconds = (performance.now() - rawStart) / 1000;
    const seconds = (performance.now() - started) / 1000;

    await settle(env);
    const writesAfter = await env.counter.read();
    const healthFigures = await health.stop();
    const heapAfterMb = heapMb();
    const rssAfterMb = mb(process.memoryUsage().rss);
    const brokerRssAfterMb = await processRssMb(env.brokerPid);

    const { comm_log: _log, ...writesOutsideLog } = env.counter.diff(writesBefore, writesAfter);
    const byReason = await sql<{ reason: string | null; result: string; n: number | string }>`
      select reason, result, sum(count) as n from comm_log
      where id > ${logIdBefore} and direction = 'in' group by reason, result`.execute(db);
    const reasons: Record<string, number> = {};
    let reachedBus = 0;
    for (const row of byReason.rows) {
      reasons[row.reason ?? `(${row.result})`] = Number(row.n);
      reachedBus += Number(row.n);
    }
    // An inbound row that is `ok` with a message type means a message was accepted as valid.
    const accepted = await db
      .selectFrom('comm_log')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('id', '>', logIdBefore)
      .where('direction', '=', 'in')
      .where('result', '=', 'ok')
      .where('message_type', 'is not', null)
      .executeTakeFirstOrThrow();
    const acceptedLogRows = Number(accepted.n);
    const outside = Object.values(writesOutsideLog).reduce((a, b) => a + b, 0);

    // Other clients keep working: the bystander, still connected, is heard.
    const since = Date.now();
    await bystander.publishAsync(
      gateTopic(siteId, BYSTANDER, 'state'),
      encodeMessage(gateState(BYSTANDER, true, since), 'state'),
      { qos: 1, retain: true },
    );
    const bystanderHeard = await eventually(
      () => (env.cloud.mqtt!.gateStatus.get(BYSTANDER)?.since === since ? true : undefined),
      10_000,
    ).catch(() => false);

    const framesSent = options.payloadFrames + raw.frames;
    const perSecond = (n: number, s: number) => Math.round(n / Math.max(s, 0.001));
    return {
      broker: env.broker,
      brokerSetup: env.brokerSetup,
      framesSent,
      payloadFrames: options.payloadFrames,
      rawFrames: raw.frames,
      rawConnections: raw.connections,
      seconds: Math.round(seconds * 10) / 10,
      framesPerSecond: perSecond(framesSent, seconds),
      payloadPerSecond: perSecond(options.payloadFrames - warmUp, payloadSeconds),
      rawPerSecond: perSecond(raw.frames, rawSeconds),
      stillValid: payloads.stillValid,
      heapBeforeMb,
      heapAfterMb,
      heapBetweenMb,
      rssBeforeMb,
      rssAfterMb,
      brokerRssBeforeMb,
      brokerRssAfterMb,
      healthChecks: healthFigures.checks,
      healthFailures: healthFigures.failures,
      healthP50Ms: healthFigures.p50,
      healthP99Ms: healthFigures.p99,
      healthMaxMs: healthFigures.max,
      reachedBus,
      reasons,
      rowsStoredFromInvalid: outside + acceptedLogRows,
      writesOutsideLog,
      acceptedLogRows,
      fuzzedGateDrops,
      bystanderDrops,
      bystanderHeard,
      unauthorisedRefused: unauthorised.refused,
      unauthorisedTried: unauthorised.tried,
    };
  } finally {
    gate.end(true);
    bystander.end(true);
  }
}

/** The figures as one `key=value` line (the bench's RESULT line, a test's log). */
export function figuresLine(f: FuzzFigures): string {
  const reasons = Object.entries(f.reasons)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `${reason}:${n}`)
    .join(',');
  return [
    `broker=${f.broker}(${f.brokerSetup})`,
    `frames=${f.framesSent}`,
    `payload_frames=${f.payloadFrames}`,
    `raw_frames=${f.rawFrames}`,
    `raw_connections=${f.rawConnections}`,
    `seconds=${f.seconds}`,
    `frames_per_s=${f.framesPerSecond}`,
    `payload_per_s=${f.payloadPerSecond}`,
    `raw_per_s=${f.rawPerSecond}`,
    `heap_before_mb=${f.heapBeforeMb}`,
    `heap_between_mb=${f.heapBetweenMb}`,
    `heap_after_mb=${f.heapAfterMb}`,
    `rss_before_mb=${f.rssBeforeMb}`,
    `rss_after_mb=${f.rssAfterMb}`,
    ...(f.brokerRssBeforeMb !== undefined
      ? [`broker_rss_before_mb=${f.brokerRssBeforeMb}`, `broker_rss_after_mb=${f.brokerRssAfterMb}`]
      : []),
    `healthz_checks=${f.healthChecks}`,
    `healthz_failures=${f.healthFailures}`,
    `healthz_p50_ms=${f.healthP50Ms}`,
    `healthz_p99_ms=${f.healthP99Ms}`,
    `healthz_max_ms=${f.healthMaxMs}`,
    `reached_bus=${f.reachedBus}`,
    `rows_stored_from_invalid=${f.rowsStoredFromInvalid}`,
    `still_valid_skipped=${f.stillValid}`,
    `fuzzed_gate_drops=${f.fuzzedGateDrops}`,
    `bystander_drops=${f.bystanderDrops}`,
    `bystander_heard=${f.bystanderHeard}`,
    `unauthorised_refused=${f.unauthorisedRefused}/${f.unauthorisedTried}`,
    `reasons=${reasons}`,
  ].join(' ');
}
