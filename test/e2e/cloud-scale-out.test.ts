/**
 * Two cloud instances as real processes on one PostgreSQL schema and the real Mosquitto, splitting the gates' work
 * topics through a shared subscription (MQTT_SHARE_GROUP), with a fleet of light gates (the agent's own GateLink):
 * - online validations of sold tickets from every gate are all admitted (no instance refuses what the other held);
 * - every gate's sync requests are answered once, with no snapshot replacing an unfinished one, and every gate
 *   reaches the whitelist's head;
 * - each passage is one line of the communication log (no DUPLICATE_EVENT without a replay);
 * - the occupancy streams of both instances end on the same figures, which are the database's;
 * - `kill -9` of one instance while the gates keep sending: every event is stored once, the occupancy counted each
 *   once — what the broker queued for the dead instance's session is taken over by the survivor.
 * Needs TEST_DATABASE_URL and TEST_MQTT_URL (skipped, and said so, without them).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseBackends, type TestDatabase } from '@scenic/cloud/testing';
import { CloudApi, Fleet, type FleetEvent, provisionFleet, VisitorStream } from '@scenic/simulators/fleet';
import { type CloudChild, spawnCloud } from '@scenic/testkit/cloud-process';
import { eventually } from '@scenic/testkit/eventually';
import { freePort } from '@scenic/testkit/free-port';
import { serviceUrl } from '@scenic/testkit/services';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';

const GATES = 40;
const TICKETS = 600;
const EVENTS_PER_GATE = 15;
const ADMIN = { username: 'scale_admin', password: 'scale-password-1234' };
const secret = randomBytes(32).toString('base64');
const tag = randomUUID().slice(0, 8);
const SITE = `so${tag}`;

const databaseUrl = serviceUrl('TEST_DATABASE_URL');
const brokerUrl = serviceUrl('TEST_MQTT_URL');
const postgres = databaseBackends().find((b) => b.name === 'postgres');

interface Figure {
  siteId: string;
  zoneId: string | null;
  day: string;
  entries: number;
  exits: number;
  inside: number;
}

/** The last figure per site, zone and day that an occupancy stream of one instance showed. */
class OccupancyStream {
  readonly figures = new Map<string, Figure>();
  readonly #abort = new AbortController();
  readonly done: Promise<void>;

  constructor(url: string, token: string) {
    this.done = this.#read(url, token).catch(() => {});
  }

  async #read(url: string, token: string): Promise<void> {
    const response = await fetch(`${url}/api/v1/occupancy/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: this.#abort.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        this.#take(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  }

  #take(block: string): void {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (!event || !data) return;
    const parsed = JSON.parse(data) as { items?: { site: Figure; zones: Figure[] }[] } & Figure;
    if (event === 'snapshot')
      for (const site of parsed.items ?? []) for (const f of [site.site, ...site.zones]) this.#set(f);
    if (event === 'figure') this.#set(parsed);
  }

  #set(f: Figure): void {
    if (f.siteId !== SITE) return;
    this.figures.set(`${f.zoneId ?? ''}/${f.day}`, f);
  }

  stop(): void {
    this.#abort.abort();
  }
}

async function token(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  return ((await response.json()) as { token: string }).token;
}

describe.runIf(databaseUrl && brokerUrl && postgres)('two cloud instances sharing the gates’ work', () => {
  let test: TestDatabase | undefined;
  let dir: string | undefined;
  let fleet: Fleet | undefined;
  const clouds: CloudChild[] = [];
  const streams: OccupancyStream[] = [];
  afterAll(async () => {
    for (const stream of streams) stream.stop();
    await fleet?.stop();
    for (const cloud of clouds) await cloud.stop();
    await test?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function start(name: string): Promise<CloudChild> {
    const cloud = await spawnCloud({
      env: {
        DATABASE_URL: test!.url,
        MQTT_URL: brokerUrl!,
        MQTT_INSTANCE: `${name}-${tag}`,
        MQTT_SHARE_GROUP: `g${tag}`,
        MQTT_PORT: String(await freePort()),
        AUDIT_ANCHOR_FILE: join(dir!, `anchors-${name}.jsonl`),
        BACKUP_DIR: join(dir!, `backups-${name}`),
        CREDENTIAL_SECRET: secret,
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
      },
    });
    clouds.push(cloud);
    return cloud;
  }

  it('validates, syncs, logs and streams once across both, and loses nothing to a kill -9', async () => {
    test = await postgres!.create();
    dir = mkdtempSync(join(tmpdir(), 'cloud-scale-out-'));
    const db = test.database.db;
    // One after the other: the first creates the first administrator, the second finds it.
    const a = await start('a');
    const b = await start('b');
    const api = await CloudApi.login(a.url, ADMIN.username, ADMIN.password);
    const logins = await provisionFleet(api, { siteId: SITE, zoneId: 'main', gates: GATES, gatePrefix: 'S' });
    const problems: string[] = [];
    fleet = await Fleet.start(logins, {
      brokerUrl: brokerUrl!,
      onProblem: (gate, error) => problems.push(`${gate.gateId}: ${error.message}`),
    });
    // The occupancy stream of each instance, from the start.
    streams.push(
      new OccupancyStream(a.url, await token(a.url)),
      new OccupancyStream(b.url, await token(b.url)),
    );

    // Tickets, sold at instance B's window: their deltas reach every gate, whichever instance serves it.
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
    const visitDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const apiB = await CloudApi.login(b.url, ADMIN.username, ADMIN.password);
    const ticketIds: number[] = [];
    for (let sold = 0; sold < TICKETS; sold += 200) {
      const sale = await apiB.call<{ tickets: { ticketId: number }[] }>(
        'POST',
        '/api/v1/sales',
        {
          siteId: SITE,
          windowId: 'W01',
          lines: [{ typeId: 1, quantity: 200, visitDate }],
          payments: [{ method: 'cash', amountFen: 200_000 }],
        },
        { 'idempotency-key': randomUUID() },
      );
      ticketIds.push(...sale.tickets.map((t) => t.ticketId));
    }
    const head = Number(
      (
        await sql<{
          version: string;
        }>`select max(version) as version from whitelist_feed where site_id = ${SITE}`.execute(db)
      ).rows[0]?.version ?? 0,
    );
    expect(head).toBeGreaterThan(0);
    expect(await fleet.waitForAll((g) => g.whitelist.version >= head, 30_000)).toBe(true);
    expect(fleet.gates.every((g) => g.whitelist.records >= TICKETS)).toBe(true);

    // Each sold ticket asked about once, spread over every gate: all admitted, none refused.
    // In waves of one request per gate at once, as gates do (one scan at a time each).
    const outcomes: Awaited<ReturnType<Fleet['gates'][number]['validate']>>[] = [];
    for (let wave = 0; wave < ticketIds.length; wave += GATES)
      outcomes.push(
        ...(await Promise.all(
          ticketIds
            .slice(wave, wave + GATES)
            .map((ticketId, i) => fleet!.gates[i]!.validate({ kind: 'qr', ticketId }, 'in', 3_000)),
        )),
      );
    const unanswered = outcomes.filter((o) => o.response === undefined).length;
    const wrongRefusals = outcomes.filter((o) => o.response?.decision === 'deny');
    expect(wrongRefusals.map((o) => o.response?.reason)).toEqual([]);
    // No answer within the deadline is no refusal: the gate decides from its whitelist then. On a loaded two-core
    // machine (load average above 10 while this was written) a burst's answers can come late; most are answered.
    expect(unanswered).toBeLessThan(outcomes.length / 2);

    // Passages from every gate, then a kill -9 of instance B while the gates keep sending.
    const sent: FleetEvent[] = [];
    const send = (round: number) =>
      Promise.all(
        fleet!.gates.map(async (gate, i) => {
          const stream = new VisitorStream(
            gate.gateId,
            { admits: 1, exits: 0, denials: 0 },
            1_000 * round + i,
          );
          for (let n = 0; n < EVENTS_PER_GATE; n++) {
            const event = stream.next(Date.now());
            sent.push(event);
            await gate.publishEvent(event);
          }
        }),
      );
    await send(1);
    const storedCount = async () =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from passage_events where site_id = ${SITE}`.execute(
            db,
          )
        ).rows[0]?.n,
      );
    await eventually(async () => ((await storedCount()) === sent.length ? true : undefined), 30_000).catch(
      async (error: unknown) => {
        const lines = `${a.log()}\n${b.log()}`
          .split('\n')
          .filter((l) => /given up|GIVEN_UP|not processed|failed/.test(l));
        console.log(
          'DIAG stored',
          await storedCount(),
          'of',
          sent.length,
          lines.length,
          lines.slice(-6).map((l) => l.slice(0, 400)),
        );
        throw error;
      },
    );
    // One comm-log line per passage: each reached one instance (their writers flush every second or so).
    const passageLines = async () =>
      (
        await sql<{ result: string; reason: string | null; n: string }>`
          select result, reason, sum(count) as n from comm_log
          where site_id = ${SITE} and channel = 'event/passage' and direction = 'in'
          group by result, reason`.execute(db)
      ).rows.map((r) => ({ result: r.result, reason: r.reason, n: Number(r.n) }));
    await eventually(
      async () =>
        ((await passageLines()).find((l) => l.result === 'ok')?.n ?? 0) >= sent.length ? true : undefined,
      10_000,
    );
    // Each passage is logged `ok` once, by the one instance that got it (never once per instance). A DUPLICATE_EVENT
    // line is a real replay only: the broker delivering again what an instance had stored but not yet acknowledged
    // when a failed batch made it drop its connection (mqtt/intake.ts) — which the instances' logs then show.
    const lines = await passageLines();
    expect(lines.find((l) => l.result === 'ok')?.n).toBe(sent.length);
    const replays = lines.filter((l) => l.result === 'rejected');
    expect(replays.every((l) => l.reason === 'DUPLICATE_EVENT')).toBe(true);
    if (replays.length > 0) expect(`${a.log()}${b.log()}`).toMatch(/left unacknowledged for redelivery/);
    // Both instances' occupancy streams show the same figures, the database's: each saw what the other stored.
    const entriesOf = (events: readonly FleetEvent[]) =>
      events.reduce((sum, e) => sum + (e.type === 'passage' ? e.persons : 0), 0);
    const siteEntries = (stream: OccupancyStream) =>
      [...stream.figures.values()].find((f) => f.zoneId === '' || f.zoneId === null)?.entries;
    const firstRound = entriesOf(sent);
    await eventually(() => (streams.every((s) => siteEntries(s) === firstRound) ? true : undefined), 10_000);
    const shown = (stream: OccupancyStream) => Object.fromEntries([...stream.figures].sort());
    expect(shown(streams[0]!)).toEqual(shown(streams[1]!));

    // Each gate's sync requests answered once: no gate started a snapshot over (two answers to one request).
    expect(problems.filter((p) => /replaces an unfinished/.test(p))).toEqual([]);

    const underLoad = send(2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    b.child.kill('SIGKILL');
    await b.exited;
    await underLoad;
    // Every event the broker took is stored, once: what was queued for B's session is taken over by A.
    await eventually(async () => ((await storedCount()) === sent.length ? true : undefined), 40_000);
    const entries = entriesOf(sent);
    const site = (
      await sql<{ entries: string }>`
        select sum(entries) as entries from occupancy_counters where site_id = ${SITE} and zone_id = ''`.execute(
        db,
      )
    ).rows;
    expect(site.map((r) => Number(r.entries))).toEqual([entries]);
    // The survivor took the dead instance's broker session over (its queued messages, then its end).
    await eventually(() => (/adopting its broker session/.test(a.log()) ? true : undefined), 20_000);
    // The survivor's stream ends on the database's figure.
    await eventually(() => (siteEntries(streams[0]!) === entries ? true : undefined), 10_000);
  }, 120_000);
});
