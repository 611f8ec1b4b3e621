/**
 * Drives the real cloud process for the sales benchmark and the kill test: start `node --import tsx cloud/src/main.ts` on a free
 * port (MQTT_PORT=0, MQTT_WS_PORT=off), sign in as the first administrator, set up a site, window, ticket type and
 * one timed slot over HTTP, then sell into that slot from many concurrent keep-alive clients.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { type CloudChild, spawnCloud } from '@scenic/testkit/cloud-process';

const ADMIN = { username: 'bench_admin', password: 'bench-password-1234' };

export type Cloud = CloudChild;

/** Starts the cloud and waits until /healthz answers. */
export async function startCloud(env: Record<string, string>): Promise<Cloud> {
  return spawnCloud({
    env: {
      MQTT_PORT: '0',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    },
    // BENCH_CPU_PROF_DIR: a V8 CPU profile of the server (on its clean exit), to see where a sale's time goes.
    cpuProfileDir: process.env.BENCH_CPU_PROF_DIR,
  });
}

export async function stopCloud(cloud: Cloud): Promise<void> {
  await cloud.stop();
}

async function call(url: string, method: string, path: string, token: string | null, body?: unknown) {
  const response = await fetch(url + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export async function login(url: string): Promise<string> {
  return (await call(url, 'POST', '/api/v1/auth/login', null, ADMIN)).token as string;
}

export interface Venue {
  readonly siteId: string;
  readonly slotId: string;
  readonly visitDate: string;
  readonly typeId: number;
}

/** Site `bench` without a daily cap, window W01, a 10-yuan single ticket and one slot tomorrow with `cap`. */
export async function setUpVenue(url: string, token: string, cap: number): Promise<Venue> {
  await call(url, 'POST', '/api/v1/sites', token, {
    id: 'bench',
    name: { zh: '压测景区', en: 'Bench park' },
  });
  await call(url, 'POST', '/api/v1/sites/bench/windows', token, {
    id: 'W01',
    name: { zh: '一号', en: 'One' },
  });
  await call(url, 'POST', '/api/v1/ticket-types', token, {
    typeId: 1,
    siteId: 'bench',
    code: 'ADULT',
    name: { zh: '成人票', en: 'Adult' },
    kind: 'single',
    prices: { window: 1_000 },
  });
  const visitDate = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const slots = (await call(url, 'POST', '/api/v1/capacity/slots', token, {
    siteId: 'bench',
    date: visitDate,
    slots: [{ start: '09:00', end: '10:00', cap }],
  })) as unknown as { id: string }[];
  return { siteId: 'bench', slotId: slots[0]!.id, visitDate, typeId: 1 };
}

export interface SellOutcome {
  /** Sales acknowledged with 201, by id. */
  readonly acknowledged: string[];
  readonly exhausted: number;
  /** Anything else: connection errors (expected when the server is killed) and unexpected statuses. */
  readonly failed: number;
  readonly latenciesMs: number[];
  readonly elapsedMs: number;
}

/**
 * `clients` loops selling `quantity` tickets per sale into the slot until it answers CAPACITY_EXHAUSTED, the
 * connection fails, or `signal` aborts.
 */
export async function sellUntilExhausted(
  url: string,
  token: string,
  venue: Venue,
  options: { clients: number; quantity: number; signal?: AbortSignal },
): Promise<SellOutcome> {
  const acknowledged: string[] = [];
  const latenciesMs: number[] = [];
  let exhausted = 0;
  let failed = 0;
  const body = JSON.stringify({
    siteId: venue.siteId,
    windowId: 'W01',
    lines: [
      { typeId: venue.typeId, quantity: options.quantity, visitDate: venue.visitDate, slotId: venue.slotId },
    ],
    payments: [{ method: 'cash', amountFen: 1_000 * options.quantity }],
  });
  // node:http with a keep-alive agent: much less client CPU per request than fetch, so on a small machine the
  // figures describe the server rather than the load generator.
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const target = new URL(`${url}/api/v1/sales`);
  const post = (key: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${token}`,
            'idempotency-key': key,
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const started = performance.now();
  const client = async () => {
    while (!options.signal?.aborted) {
      const sentAt = performance.now();
      let response: { status: number; body: string };
      try {
        response = await post(randomUUID());
      } catch {
        failed++;
        return;
      }
      let json: { id?: string; error?: { code?: string } } = {};
      try {
        json = JSON.parse(response.body);
      } catch {
        // counted as a failure below
      }
      if (response.status === 201 && json.id) {
        latenciesMs.push(performance.now() - sentAt);
        acknowledged.push(json.id);
      } else if (json.error?.code === 'CAPACITY_EXHAUSTED') {
        exhausted++;
        return;
      } else {
        failed++;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  agent.destroy();
  return { acknowledged, exhausted, failed, latenciesMs, elapsedMs: performance.now() - started };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the command name; in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
