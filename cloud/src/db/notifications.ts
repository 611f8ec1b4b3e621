/**
 * Live changes between cloud instances on one PostgreSQL (LISTEN/NOTIFY): what one instance stored and announces to
 * its own push streams (a batch of passages, occupancy figures) it also sends here, and every other instance hands
 * it to its own listeners, so a console connected to any instance sees every change. On SQLite there is one instance
 * and nothing to send: `enabled` is false and `publish` does nothing.
 *
 * Best effort, like the streams it feeds: a notification sent while this instance's listening session is down is
 * missed (the session reconnects every `retryMs`); the consoles' streams read a snapshot when they (re)connect, and
 * the figures carry what orders them (occupancy/hub.ts). The channel is named after the schema, so installations (or
 * tests) sharing a server but not a schema never hear each other. A NOTIFY payload is at most 8000 bytes: a list is
 * sent in as many notifications as it needs.
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from './database.js';

export interface ClusterNotifications {
  /** Whether other instances can be told anything (PostgreSQL). */
  readonly enabled: boolean;
  /** Sends `items` to every other instance's listeners of `topic`, split to fit NOTIFY's payload limit. */
  publish(topic: string, items: readonly unknown[]): void;
  /** Listens to what other instances send on `topic`; returns what stops it. */
  subscribe(topic: string, listener: (items: unknown[]) => void): () => void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface NotificationsLogger {
  warn(details: object, message: string): void;
}

/** Below PostgreSQL's 8000-byte payload limit, with room for the envelope. */
const MAX_PAYLOAD = 7_000;
const DEFAULT_RETRY_MS = 2_000;

export function openNotifications(
  config: DatabaseConfig,
  logger: NotificationsLogger,
  options: { retryMs?: number } = {},
): ClusterNotifications {
  return config.dialect === 'sqlite'
    ? new NoNotifications()
    : new PgNotifications(config.url, logger, options.retryMs ?? DEFAULT_RETRY_MS);
}

class NoNotifications implements ClusterNotifications {
  readonly enabled = false;
  publish(): void {}
  subscribe(): () => void {
    return () => {};
  }
  async start(): Promise<void> {}
  async close(): Promise<void> {}
}

interface Envelope {
  /** The sending instance: it does not hand its own notifications to its listeners again. */
  readonly o: string;
  readonly t: string;
  readonly d: unknown[];
}

class PgNotifications implements ClusterNotifications {
  readonly enabled = true;
  readonly #origin = randomUUID();
  readonly #listeners = new Map<string, Set<(items: unknown[]) => void>>();
  #client: pg.Client | undefined;
  #channel: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #connecting: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly logger: NotificationsLogger,
    private readonly retryMs: number,
  ) {}

  async start(): Promise<void> {
    this.#closed = false;
    await this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#connecting;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  subscribe(topic: string, listener: (items: unknown[]) => void): () => void {
    let set = this.#listeners.get(topic);
    if (!set) {
      set = new Set();
      this.#listeners.set(topic, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  publish(topic: string, items: readonly unknown[]): void {
    const client = this.#client;
    const channel = this.#channel;
    if (!client || !channel || items.length === 0) return;
    for (const payload of this.#payloads(topic, items))
      client.query('select pg_notify($1, $2)', [channel, payload]).catch((error: unknown) => {
        this.logger.warn({ err: error, topic }, 'live change not sent to the other instances');
      });
  }

  /** The items as envelopes of at most MAX_PAYLOAD bytes each (an item too large alone is left out). */
  #payloads(topic: string, items: readonly unknown[]): string[] {
    const payloads: string[] = [];
    const envelope = (d: unknown[]) => JSON.stringify({ o: this.#origin, t: topic, d } satisfies Envelope);
    let batch: unknown[] = [];
    let size = envelope([]).length;
    for (const item of items) {
      const itemSize = JSON.stringify(item).length + 1;
      if (batch.length > 0 && size + itemSize > MAX_PAYLOAD) {
        payloads.push(envelope(batch));
        batch = [];
        size = envelope([]).length;
      }
      if (size + itemSize > MAX_PAYLOAD) {
        this.logger.warn({ topic, bytes: itemSize }, 'live change too large to send to the other instances');
        continue;
      }
      batch.push(item);
      size += itemSize;
    }
    if (batch.length > 0) payloads.push(envelope(batch));
    return payloads;
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #open(): Promise<void> {
    if (this.#closed || this.#client) return;
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on('error', (error) => {
      if (this.#client !== client) return;
      this.logger.warn({ err: error }, 'live-change session failed; reconnecting');
      this.#client = undefined;
      void client.end().catch(() => {});
      this.#retry();
    });
    client.on('notification', (message) => this.#receive(message.payload));
    try {
      await client.connect();
      const { rows } = await client.query<{ schema: string }>('select current_schema() as schema');
      const channel = `sg_live_${createHash('sha256')
        .update(rows[0]?.schema ?? 'public')
        .digest('hex')
        .slice(0, 32)}`;
      await client.query(`listen ${channel}`);
      if (this.#closed) {
        await client.end().catch(() => {});
        return;
      }
      this.#channel = channel;
      this.#client = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'live-change session could not start; retrying');
      await client.end().catch(() => {});
      this.#retry();
    }
  }

  #retry(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#connect(), this.retryMs);
    this.#timer.unref();
  }

  #receive(payload: string | undefined): void {
    if (payload === undefined) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (envelope.o === this.#origin || !Array.isArray(envelope.d)) return;
    for (const listener of this.#listeners.get(envelope.t) ?? []) {
      try {
        listener(envelope.d);
      } catch (error) {
        this.logger.warn({ err: error, topic: envelope.t }, 'live change listener failed');
      }
    }
  }
}
