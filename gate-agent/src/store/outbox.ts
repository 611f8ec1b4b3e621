import type Database from 'better-sqlite3';

/** Channels whose events go through the outbox. */
export type OutboxChannel = 'event/passage' | 'event/denial';

export interface OutboxEntry {
  readonly seq: number;
  readonly eventId: string;
  readonly channel: OutboxChannel;
  /** The encoded message, exactly as it is published (every retry sends the same bytes). */
  readonly payload: string;
}

/**
 * The durable event outbox. Events are appended in the transaction that records what they report, published oldest
 * first, and deleted when the broker's PUBACK arrives — after a crash every remaining one is published again with
 * the same eventId, which the cloud applies once.
 */
export class Outbox {
  readonly #db: Database.Database;
  readonly #append: Database.Statement<[string, string, string, number]>;
  readonly #after: Database.Statement<
    [number, number],
    { seq: number; event_id: string; channel: string; payload: string }
  >;
  readonly #delete: Database.Statement<[number], { event_id: string }>;
  readonly #markAdmitSent: Database.Statement<[string]>;
  readonly #depth: Database.Statement<[], { n: number }>;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#append = db.prepare('INSERT INTO outbox (event_id, channel, payload, at) VALUES (?, ?, ?, ?)');
    this.#after = db.prepare(
      'SELECT seq, event_id, channel, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    this.#delete = db.prepare('DELETE FROM outbox WHERE seq = ? RETURNING event_id');
    this.#markAdmitSent = db.prepare('UPDATE local_admits SET sent = 1 WHERE event_id = ?');
    this.#depth = db.prepare('SELECT count(*) AS n FROM outbox');
  }

  /** Call inside the caller's transaction. */
  append(eventId: string, channel: OutboxChannel, payload: string, at: number): void {
    this.#append.run(eventId, channel, payload, at);
  }

  /** Up to `limit` entries with seq above `afterSeq`, oldest first. */
  pendingAfter(afterSeq: number, limit: number): OutboxEntry[] {
    return this.#after.all(afterSeq, limit).map((row) => ({
      seq: row.seq,
      eventId: row.event_id,
      channel: row.channel as OutboxChannel,
      payload: row.payload,
    }));
  }

  /** The broker acknowledged the entry: it leaves the outbox, and an admit it reported is now the cloud's to count. */
  markSent(seq: number): void {
    this.#db.transaction(() => {
      const row = this.#delete.get(seq);
      if (row) this.#markAdmitSent.run(row.event_id);
    })();
  }

  depth(): number {
    return this.#depth.get()!.n;
  }
}
