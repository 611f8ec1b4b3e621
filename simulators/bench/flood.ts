/**
 * One gate flooding the real cloud (bench:flood and its short test): the cloud process with its embedded broker, one
 * registered gate publishing QoS 0 heartbeats as fast as it can (every other one garbage; flood-gate.ts, a process
 * of its own), and BENCH_GATES other gates each sending passages at a steady rate. Measured in a baseline phase
 * without the flood and then while the gate floods:
 * - `/healthz` round trips, one request after another every 10 ms: p50, p99, max;
 * - other gates' passages from publish to PUBACK — the embedded broker acknowledges a passage only once it is
 *   stored (mqtt/intake.ts), so this is the store delay: p50, p99, max, and any not acknowledged;
 * - what the flood cost: messages the gate got onto its socket, messages the cloud refused for its budget
 *   (`sg_mqtt_messages_total{reason="OVER_BUDGET"}`), times it was cut off (`sg_mqtt_gate_floods_total`), logins
 *   refused while cut off, and the rows of the communication log it left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeMessage, gateTopic, type PassageEvent } from '@scenic/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { percentile, sleep } from '../src/fleet/fleet.js';
import { CloudApi, type GateLogin, provisionFleet } from '../src/fleet/provision.js';
import { CLOUD_ADMIN, type CloudProcess, startCloudProcess } from '../src/fleet/testing/cloud-process.js';

export interface FloodOptions {
  /** Gates sending passages besides the flooding one. */
  readonly gates: number;
  /** Passages per second of each of them. */
  readonly passagesPerGate: number;
  readonly baselineMs: number;
  readonly floodMs: number;
  /** The cloud's MQTT_GATE_BACKOFF_SECONDS: short, so the gate is let back in and floods again many times. */
  readonly backoffSec: number;
  /** Extra cloud environment (e.g. another budget). */
  readonly env?: Record<string, string>;
}

export interface Latencies {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface PhaseResult {
  /** The cloud process's CPU over the phase, in cores (from /proc; NaN elsewhere). */
  readonly cloudCores: number;
  readonly healthz: Latencies;
  /** `/healthz` requests not answered 200 within 10 s. */
  readonly healthzFailed: number;
  readonly passages: Latencies;
  /** Passages not acknowledged within 10 s of the phase's end. */
  readonly passagesLost: number;
}

export interface FloodResult {
  readonly baseline: PhaseResult;
  readonly flood: PhaseResult;
  readonly flooder: { readonly sent: number; readonly connects: number; readonly refused: number };
  readonly overBudget: number;
  readonly floods: number;
  /** Communication-log rows of the flooding gate. */
  readonly commLogRows: number;
}

const SITE = 'flood';
const METRICS_TOKEN = 'flood-bench-metrics-token';
const HEALTHZ_EVERY_MS = 10;

export async function runFlood(options: FloodOptions): Promise<FloodResult> {
  const cloud = await startCloudProcess({
    env: { METRICS_TOKEN, MQTT_GATE_BACKOFF_SECONDS: String(options.backoffSec), ...options.env },
  });
  const clients: MqttClient[] = [];
  let flooder: ChildProcess | undefined;
  try {
    const api = await CloudApi.login(cloud.url, CLOUD_ADMIN.username, CLOUD_ADMIN.password);
    const logins = await provisionFleet(api, {
      siteId: SITE,
      zoneId: 'main',
      gates: options.gates + 1,
      gatePrefix: 'F',
    });
    const [floodLogin, ...others] = logins as [GateLogin, ...GateLogin[]];
    for (const login of others) clients.push(await connect(cloud.brokerUrl, login));

    progress('baseline');
    const baseline = await phase(cloud, clients, others, options, options.baselineMs);
    progress('starting the flooding gate');
    flooder = startFlooder(cloud.brokerUrl, floodLogin);
    await flooding(flooder);
    progress('flood');
    // Let it get going.
    await sleep(200);
    const flood = await phase(cloud, clients, others, options, options.floodMs);
    progress('stopping the flooding gate');
    const flooderReport = await stopFlooder(flooder);
    flooder = undefined;
    progress('reading metrics and the communication log');

    const metrics = await (
      await fetch(`${cloud.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        signal: AbortSignal.timeout(30_000),
      })
    ).text();
    const log = await api.call<{ total: number }>(
      'GET',
      `/api/v1/comm-log?gateId=${floodLogin.gateId}&direction=in&limit=1`,
    );
    return {
      baseline,
      flood,
      flooder: flooderReport,
      overBudget: sumMetric(metrics, /^sg_mqtt_messages_total\{[^}]*reason="OVER_BUDGET"[^}]*\} (\d+)$/gm),
      floods: sumMetric(metrics, /^sg_mqtt_gate_floods_total (\d+)$/gm),
      commLogRows: log.total,
    };
  } finally {
    if (flooder) await stopFlooder(flooder).catch(() => undefined);
    await Promise.all(clients.map((client) => client.endAsync(true)));
    await cloud.stop();
  }
}

function progress(step: string): void {
  if (process.env.BENCH_QUIET !== '1') process.stderr.write(`  … ${step}\n`);
}

async function connect(url: string, login: GateLogin): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    clientId: `sg-${login.siteId}-${login.gateId}`,
    username: login.username,
    password: login.password,
    clean: false,
    reconnectPeriod: 500,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  // As the gate agent does: no Nagle delay behind an unacknowledged write.
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  return client;
}

async function phase(
  cloud: CloudProcess,
  clients: readonly MqttClient[],
  logins: readonly GateLogin[],
  options: FloodOptions,
  durationMs: number,
): Promise<PhaseResult> {
  const end = performance.now() + durationMs;
  const cpuBefore = cpuSeconds(cloud.child.pid);
  const healthz: number[] = [];
  let healthzFailed = 0;
  const probing = (async () => {
    while (performance.now() < end) {
      const started = performance.now();
      try {
        const response = await fetch(`${cloud.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        if (!response.ok) healthzFailed++;
      } catch {
        // No answer within 10 s: counted as failed, with the time it was given.
        healthzFailed++;
      }
      healthz.push(performance.now() - started);
      await sleep(HEALTHZ_EVERY_MS);
    }
  })();

  const delays: number[] = [];
  const pending = new Set<Promise<void>>();
  let sent = 0;
  const everyMs = 1_000 / options.passagesPerGate;
  const timers = clients.map((client, index) => {
    const gateId = logins[index]!.gateId;
    const topic = gateTopic(SITE, gateId, 'event/passage');
    const send = () => {
      const started = performance.now();
      sent++;
      const acked = client
        .publishAsync(topic, encodeMessage(passage(gateId), 'event/passage'), { qos: 1 })
        .then(() => {
          delays.push(performance.now() - started);
        });
      pending.add(acked);
      void acked.finally(() => pending.delete(acked));
    };
    // Spread over the interval, so the gates do not send in lockstep.
    const start = setTimeout(
      () => {
        send();
        timers.push(setInterval(send, everyMs));
      },
      (everyMs * index) / clients.length,
    );
    return start;
  });
  await sleep(durationMs);
  for (const timer of timers) clearTimeout(timer);
  await probing;
  const cloudCores = (cpuSeconds(cloud.child.pid) - cpuBefore) / (durationMs / 1_000);
  progress(`phase over: ${sent} passages sent, ${delays.length} acknowledged; waiting for the rest`);
  await Promise.race([Promise.allSettled([...pending]), sleep(10_000)]);
  return {
    cloudCores: Math.round(cloudCores * 100) / 100,
    healthz: summary(healthz),
    healthzFailed,
    passages: summary(delays),
    passagesLost: sent - delays.length,
  };
}

function passage(gateId: string): PassageEvent {
  return {
    type: 'passage',
    v: 1,
    eventId: randomUUID(),
    gateId,
    at: Date.now(),
    ticketId: 4242,
    credentialKind: 'barcode',
    direction: 'in',
    persons: 1,
    entriesLeft: null,
    decidedOffline: true,
    correlationId: null,
  };
}

function startFlooder(url: string, login: GateLogin): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./flood-gate.ts', import.meta.url))],
    {
      env: {
        PATH: process.env.PATH ?? '',
        FLOOD_URL: url,
        FLOOD_SITE: login.siteId,
        FLOOD_GATE: login.gateId,
        FLOOD_USERNAME: login.username,
        FLOOD_PASSWORD: login.password,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}

/** Resolves once the flooding gate is connected and publishing (a loaded machine takes seconds to start it). */
function flooding(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error('the flooding gate did not connect within 60 s')),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (!out.includes('flooding\n')) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', () => reject(new Error('the flooding gate exited')));
  });
}

async function stopFlooder(child: ChildProcess): Promise<FloodResult['flooder']> {
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.kill('SIGTERM');
  const killer = setTimeout(() => {
    progress('the flooding gate did not stop: killing it');
    child.kill('SIGKILL');
  }, 5_000);
  await exited;
  // Its report may still be in the pipe when it exits.
  if (!out.includes('\n')) await Promise.race([once(child.stdout!, 'end'), sleep(1_000)]);
  progress(`flooding gate stopped: ${out.trim()}`);
  clearTimeout(killer);
  const line = out.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as FloodResult['flooder'];
  } catch {
    return { sent: 0, connects: 0, refused: 0 };
  }
}

/** User + system CPU seconds of a process so far, from /proc (Linux); NaN where that cannot be read. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function summary(values: number[]): Latencies {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

function sumMetric(text: string, pattern: RegExp): number {
  let sum = 0;
  for (const match of text.matchAll(pattern)) sum += Number(match[1]);
  return sum;
}
