/**
 * A real agent killed (SIGKILL, from its test-only crash point: gate-agent/src/crash-points.ts) at each point of a
 * count-card entry's life — before the relay pulse, after it, after the passage sensor, after the store, after the
 * send, and after the cloud stored the event but before the agent marked it sent — then started again. Each time:
 * the restart is clean, the cloud stores the passage exactly once (or not at all when the relay never fired), a
 * passage cut short between the relay and the sensor is stored as unconfirmed and uses the entry, and the restarted
 * gate's own view of the card (its record plus the entries it counts as pending) equals the cloud's, so its next
 * offline decision shows the true number of entries left.
 *
 * Online validation is off for this gate, so every count-card decision is the gate's own (decidedOffline).
 * Runs on the embedded broker and on Mosquitto (TEST_MQTT_URL) with a SQLite cloud, and on the embedded broker with
 * a PostgreSQL cloud (TEST_DATABASE_URL).
 */

import { issueTicket, TYPES } from '@scenic/cloud/testing';
import { CRASH_POINT_ENV, type CrashPoint, GateStore } from '@scenic/gate-agent';
import { generateBarcode } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { serviceUrl } from '@scenic/testkit/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateAgentProcess } from './gate-agent-process.js';
import { type Broker, brokers, GateSite } from './gate-site.js';

interface KillCase {
  readonly point: CrashPoint;
  /** Passages of the card the cloud stores for the killed scan. */
  readonly stored: 0 | 1;
  /** Whether that passage is stored as unconfirmed. */
  readonly unconfirmed: boolean;
}

const CASES: readonly KillCase[] = [
  { point: 'before-pulse', stored: 0, unconfirmed: false },
  { point: 'after-pulse', stored: 1, unconfirmed: true },
  { point: 'after-sensor', stored: 1, unconfirmed: true },
  { point: 'after-store', stored: 1, unconfirmed: false },
  { point: 'after-send', stored: 1, unconfirmed: false },
  { point: 'before-mark-sent', stored: 1, unconfirmed: false },
];

const ENTRIES = 5;

/**
 * Every point on the embedded broker and SQLite. The other set-ups change only the cloud's side, so they run the
 * points where the cloud stores something new to it: the unconfirmed passage, and the replayed entry whose record it
 * restates (each kill costs a restart: the whole matrix took four minutes).
 */
const CLOUD_POINTS: readonly CrashPoint[] = ['after-pulse', 'before-mark-sent'];
const runs: { name: string; broker: Broker; database: 'sqlite' | 'postgres'; cases: readonly KillCase[] }[] =
  [
    ...brokers().map((broker, index) => ({
      name: `${broker.name}, SQLite`,
      broker,
      database: 'sqlite' as const,
      cases: index === 0 ? CASES : CASES.filter((kill) => CLOUD_POINTS.includes(kill.point)),
    })),
    ...(serviceUrl('TEST_DATABASE_URL')
      ? [
          {
            name: 'the embedded broker, PostgreSQL',
            broker: brokers()[0]!,
            database: 'postgres' as const,
            cases: CASES.filter((kill) => CLOUD_POINTS.includes(kill.point)),
          },
        ]
      : []),
  ];

describe.each(runs)(
  'a gate agent killed -9 at each point of an entry, on $name',
  ({ broker, database, cases }) => {
    let site: GateSite;
    const gate = () => site.agent('K1');

    beforeAll(async () => {
      site = await GateSite.start({
        broker,
        database,
        gates: [{ name: 'K1', direction: 'in' }],
        seed: async (db) => {
          // Every count-card decision local: the gate's own count is what is under test.
          const now = Date.now();
          for (const { id } of await db.selectFrom('gates').select('id').execute())
            await db
              .insertInto('gate_configs')
              .values({
                gate_id: id,
                site_id: 'park',
                settings_json: JSON.stringify({ onlineValidation: { enabled: false, deadlineMs: 800 } }),
                version: 0,
                fingerprint: null,
                published_at: null,
                updated_at: now,
              })
              .execute();
        },
      });
    }, 60_000);
    afterAll(() => site?.stop());

    /** Reads the agent's store beside it (read-only, as `gate-agent status` does). */
    function peek<T>(agent: GateAgentProcess, read: (store: GateStore) => T): T {
      const store = new GateStore(agent.storePath, { readonly: true });
      try {
        return read(store);
      } finally {
        store.close();
      }
    }

    async function headVersion(): Promise<number> {
      const row = await site.db
        .selectFrom('whitelist_heads')
        .select('version')
        .where('site_id', '=', 'park')
        .executeTakeFirst();
      return Number(row?.version ?? 0);
    }

    /** Starts the agent's next process (with `env`) and waits until it is connected and has the cloud's whitelist. */
    async function start(agent: GateAgentProcess, env: Record<string, string> = {}): Promise<number> {
      const from = agent.lines.length;
      agent.restart(env);
      await agent.waitFor((line) => line.msg === 'connected to broker', 30_000, from);
      const head = await headVersion();
      await eventually(() => (peek(agent, (s) => s.whitelist.version()) >= head ? true : undefined), 15_000);
      return from;
    }

    it.each(cases)(
      'killed $point: a clean restart, the entry stored as often as it happened, the gate counting what the cloud counts',
      async ({ point, stored, unconfirmed }) => {
        const agent = gate();
        const barcode = generateBarcode();
        const card = await issueTicket(site.db, { barcode, typeId: TYPES.count, entriesTotal: ENTRIES });
        await agent.end();
        await start(agent, { [CRASH_POINT_ENV]: point });
        expect(peek(agent, (s) => s.byBarcode(barcode)?.ticketId)).toBe(card);

        agent.scan(barcode);
        // Killed by its own SIGKILL: no exit code.
        expect(await agent.exit(15_000)).toBeNull();

        const from = await start(agent);
        // The cloud has the entry as many times as it happened, and the gate's view of the card matches the cloud's.
        const truth = await eventually(async () => {
          const row = await site.ticketRow(card);
          const passages = await site.passages(card);
          const view = peek(agent, (s) => ({
            outbox: s.outbox.depth(),
            intents: s.intents.all().length,
            used: (s.byTicketId(card)?.entriesUsed ?? -1) + s.pendingEntries(card),
          }));
          const settled = passages.length === stored && view.outbox === 0 && view.intents === 0;
          return settled && view.used === row.entries_used ? row.entries_used : undefined;
        }, 20_000).catch(async () => {
          const row = await site.ticketRow(card);
          const view = peek(agent, (s) => ({
            record: s.byTicketId(card)?.entriesUsed,
            pending: s.pendingEntries(card),
            outbox: s.outbox.depth(),
          }));
          throw new Error(
            `after a kill ${point}: cloud entries_used ${row.entries_used}, ` +
              `${(await site.passages(card)).length} passage(s); gate ${JSON.stringify(view)}`,
          );
        });
        expect(truth).toBe(stored);
        const passages = await site.passages(card);
        expect(passages.map((p) => p.unconfirmed)).toEqual(stored ? [unconfirmed ? 1 : 0] : []);

        // The restart was clean: nothing logged at error level, and the cut-short admit reported once.
        const restarted = agent.lines.slice(from);
        expect(restarted.filter((line) => Number(line.level) >= 50)).toEqual([]);
        expect(restarted.filter((line) => line.msg === 'unconfirmed passage settled')).toHaveLength(
          unconfirmed ? 1 : 0,
        );

        // The next entry is decided by the gate alone, on the true count.
        expect(await agent.scanOutcome(barcode)).toMatchObject({
          admit: true,
          decidedOffline: true,
          entriesLeft: ENTRIES - stored - 1,
        });
        await eventually(async () =>
          (await site.ticketRow(card)).entries_used === stored + 1 ? true : undefined,
        );
        expect(await site.passages(card)).toHaveLength(stored + 1);
      },
      90_000,
    );
  },
);
