/**
 * Shared set-up of the end-to-end suites: a SQLite cloud database seeded with site `park` (zone `north`, the
 * tickets module's ticket types and whatever the suite adds), the cloud's MQTT runtime on a broker, and real gate
 * agent processes (gate-agent-process.ts) that have applied the cloud's config and whitelist snapshot.
 *
 * Brokers: the embedded aedes broker on a free port, and Mosquitto when TEST_MQTT_URL names one. Gate ids carry a
 * per-run suffix so retained configs of other runs on a shared broker never reach these gates; on a shared broker
 * the retained configs of this run are cleared at the end.
 */
import { randomUUID } from 'node:crypto';
import {
  type CloudMqtt,
  CommandsService,
  type CommandTargetInput,
  type CommandView,
  type Container,
  type Database,
  databaseBackends,
  GateAccessService,
  issueTicket,
  SYSTEM_CONTEXT,
  seedGateSite,
  startTestCloud,
  type TestDatabase,
} from '@scenic/cloud/testing';
import { type CommandAction, gateTopic } from '@scenic/protocol';
import { serviceUrl } from '@scenic/testkit/services';
import type { Kysely } from 'kysely';
import mqtt from 'mqtt';
import { GateAgentProcess } from './gate-agent-process.js';

export interface Broker {
  readonly name: string;
  /** An external broker the cloud and the gates connect to; undefined = the cloud's embedded broker. */
  readonly url: string | undefined;
}

/** The brokers every end-to-end suite runs on: embedded always, the shared Mosquitto when TEST_MQTT_URL is set. */
export function brokers(): Broker[] {
  const shared = serviceUrl('TEST_MQTT_URL');
  return [
    { name: 'the embedded broker', url: undefined },
    ...(shared ? [{ name: 'Mosquitto', url: shared }] : []),
  ];
}

export interface GateSpec {
  /** Without the run suffix: `E1` becomes `E1-<run>`. */
  readonly name: string;
  /** Registry direction and the agent's scan direction. */
  readonly direction: 'in' | 'out';
}

export interface GateSiteOptions {
  readonly broker: Broker;
  readonly gates: readonly GateSpec[];
  /** Adds ticket types or anything else the gates' first config should carry, before the agents start. */
  readonly seed?: (db: Kysely<Database>) => Promise<void>;
  /** Passed to every agent (see AgentOptions.maxReconnectMs). */
  readonly maxReconnectMs?: number;
  /** The embedded broker's port (a restarted cloud takes the same one); 0 = a free port. */
  readonly port?: number;
  /** The cloud's database: SQLite (the default) or PostgreSQL when TEST_DATABASE_URL names one. */
  readonly database?: 'sqlite' | 'postgres';
  /** The cloud services' clock; default Date.now. */
  readonly now?: () => number;
}

export class GateSite {
  readonly run = randomUUID().slice(0, 6);
  readonly agents = new Map<string, GateAgentProcess>();
  test!: TestDatabase;
  cloud!: CloudMqtt;
  /** Every service of the running cloud (its MQTT side is `cloud`). */
  container!: Container;

  private constructor(private readonly options: GateSiteOptions) {}

  get db(): Kysely<Database> {
    return this.test.database.db;
  }

  /** The full gate id of a spec name. */
  id(name: string): string {
    return `${name}-${this.run}`;
  }

  agent(name: string): GateAgentProcess {
    const agent = this.agents.get(this.id(name));
    if (!agent) throw new Error(`no gate ${name}`);
    return agent;
  }

  /** Seeds, starts the cloud and every agent, and waits until each applied its config and whitelist snapshot. */
  static async start(options: GateSiteOptions): Promise<GateSite> {
    const site = new GateSite(options);
    await site.boot();
    return site;
  }

  private async boot(): Promise<void> {
    const backend = databaseBackends().find((b) => b.name === (this.options.database ?? 'sqlite'));
    if (!backend) throw new Error(`no ${this.options.database} database for this run`);
    this.test = await backend.create();
    const { gates, broker } = this.options;
    await seedGateSite(
      this.db,
      gates.map((gate) => this.id(gate.name)),
    );
    for (const gate of gates)
      await this.db
        .updateTable('gates')
        .set({ direction: gate.direction })
        .where('id', '=', this.id(gate.name))
        .execute();
    await this.options.seed?.(this.db);
    // A signing key exists before the agents start, so their first config already carries it.
    await issueTicket(this.db);
    await this.startCloud();
    const access = new GateAccessService(this.db);
    for (const gate of gates) {
      const gateId = this.id(gate.name);
      // The embedded broker wants each gate's own login; the test Mosquitto is open.
      const login = broker.url ? undefined : await access.issue(gateId);
      this.agents.set(
        gateId,
        GateAgentProcess.start(gateId, {
          siteId: 'park',
          url: this.brokerUrl,
          ...(login ? { username: login.username, password: login.password } : {}),
          direction: gate.direction,
          ...(this.options.maxReconnectMs === undefined
            ? {}
            : { maxReconnectMs: this.options.maxReconnectMs }),
        }),
      );
    }
    // Every agent running the cloud's config with the whitelist snapshot it asked for at boot.
    await Promise.all([...this.agents.values()].map((agent) => GateSite.ready(agent)));
  }

  /** Waits until the agent's current process has applied a config and a whitelist snapshot. */
  static async ready(agent: GateAgentProcess, from = 0): Promise<void> {
    await agent.waitFor((line) => line.msg === 'gate config applied', 30_000, from);
    await agent.waitFor((line) => line.msg === 'whitelist snapshot applied', 30_000, from);
  }

  get brokerUrl(): string {
    return this.options.broker.url ?? `mqtt://127.0.0.1:${this.cloud.broker!.port}`;
  }

  /** Starts the cloud's MQTT runtime; with the embedded broker on the port of the previous start, if any. */
  async startCloud(): Promise<void> {
    const url = this.options.broker.url;
    const port = this.cloud?.broker?.port ?? this.options.port ?? 0;
    this.container = await startTestCloud(
      this.test.database,
      {
        ...(url ? { MQTT_URL: url } : { MQTT_PORT: String(port) }),
        // The master secret of the fixtures' signing key (gate-validation/testing.ts `signingKeys`), so the cloud's
        // own services can sign tickets with it too (a group order's pick-up).
        CREDENTIAL_SECRET: '\u0007'.repeat(32),
      },
      this.options.now ? { now: this.options.now } : {},
    );
    this.cloud = this.container.mqtt!;
  }

  /** Issues a command through the cloud's commands service and waits up to `waitMs` for the acks. */
  command(action: CommandAction, target: CommandTargetInput, waitMs = 10_000): Promise<CommandView> {
    const commands = new CommandsService(this.db, () => this.cloud.controlRoom.commands);
    return commands.issue({ action, target, ttlMs: 30_000 }, waitMs, SYSTEM_CONTEXT);
  }

  ticketRow(id: number) {
    return this.db
      .selectFrom('tickets')
      .select(['status', 'entries_used'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  /** The cloud's stored passages (not denials) of one ticket, in the order the gates recorded them. */
  passages(ticketId: number) {
    return this.db
      .selectFrom('passage_events')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .where('kind', '=', 'passage')
      .orderBy('at')
      .execute();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.stop()));
    const url = this.options.broker.url;
    if (url) {
      // Leave no retained configs behind on the shared broker.
      const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
      for (const gateId of this.agents.keys())
        await client.publishAsync(gateTopic('park', gateId, 'config'), '', { qos: 1, retain: true });
      await client.endAsync();
    }
    await this.cloud?.close();
    await this.test?.dispose();
  }
}
