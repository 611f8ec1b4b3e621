import type { Direction, PassageRecord } from '@scenic/protocol';
import type Database from 'better-sqlite3';

/** How long local passages are kept: a week of anti-passback plus a day for the per-day count's time zones. */
export const PASSAGE_RETENTION_MS = 8 * 86_400_000;

/**
 * This gate's passages per ticket (anti-passback, entries per day) and the entries it consumed that the cloud may
 * not have counted yet.
 */
export class PassageLog {
  readonly #insert: Database.Statement<[number, number, string, string]>;
  readonly #recent: Database.Statement<[number, number], { at: number; direction: string; gate_id: string }>;
  readonly #prune: Database.Statement<[number]>;
  readonly #admit: Database.Statement<[string, number, number, number]>;
  readonly #pending: Database.Statement<[number], { n: number }>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare('INSERT INTO passages (ticket_id, at, direction, gate_id) VALUES (?, ?, ?, ?)');
    this.#recent = db.prepare(
      'SELECT at, direction, gate_id FROM passages WHERE ticket_id = ? AND at >= ? ORDER BY at DESC LIMIT 1000',
    );
    this.#prune = db.prepare('DELETE FROM passages WHERE at < ?');
    this.#admit = db.prepare(
      'INSERT INTO local_admits (event_id, ticket_id, at, entries) VALUES (?, ?, ?, ?)',
    );
    this.#pending = db.prepare('SELECT total(entries) AS n FROM local_admits WHERE ticket_id = ?');
  }

  /** Call inside the caller's transaction. */
  add(ticketId: number, passage: PassageRecord): void {
    this.#insert.run(ticketId, passage.at, passage.direction, passage.gateId);
  }

  /** Call inside the caller's transaction: the entries (1, or a group pass's headcount) used by passage `eventId`. */
  addConsumedEntries(eventId: string, ticketId: number, at: number, entries: number): void {
    this.#admit.run(eventId, ticketId, at, entries);
  }

  recent(ticketId: number, now: number): PassageRecord[] {
    return this.#recent.all(ticketId, now - PASSAGE_RETENTION_MS).map((row) => ({
      at: row.at,
      direction: row.direction as Direction,
      gateId: row.gate_id,
    }));
  }

  /** Entries this gate consumed that are not yet in the cloud's record: add them to record.entriesUsed. */
  pendingEntries(ticketId: number): number {
    return this.#pending.get(ticketId)!.n;
  }

  prune(now: number): number {
    return this.#prune.run(now - PASSAGE_RETENTION_MS).changes;
  }
}
