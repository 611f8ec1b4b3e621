import type { PassageEvent } from '@scenic/protocol';
import type Database from 'better-sqlite3';

/** An admit written down before its relay fired, read back at start-up. */
export interface AdmitIntent {
  /** The passage as it is reported if nobody can confirm it (`unconfirmed: true`, `at` = the release). */
  readonly event: PassageEvent;
  /**
   * The entries that unconfirmed passage uses: 1 or 0 for one person (the ticket type's policy, decided when the
   * admit was); for a group pass, the persons counted so far plus that policy for the one release nobody saw through.
   */
  readonly entries: number;
}

/**
 * Admits between "release the turnstile" and "the passage is settled". The row is written before the relay fires
 * and removed in the transaction that stores the passage or the NO_PASSAGE denial, so a row that survives a restart
 * is an admit whose outcome nobody saw: its visitor may have walked in.
 */
export class AdmitIntents {
  readonly #add: Database.Statement<[string, string, number]>;
  readonly #remove: Database.Statement<[string]>;
  readonly #update: Database.Statement<[string, number, string]>;
  readonly #all: Database.Statement<[], { event: string; consumes_entry: number }>;

  constructor(db: Database.Database) {
    this.#add = db.prepare('INSERT INTO admit_intents (event_id, event, consumes_entry) VALUES (?, ?, ?)');
    this.#remove = db.prepare('DELETE FROM admit_intents WHERE event_id = ?');
    this.#update = db.prepare('UPDATE admit_intents SET event = ?, consumes_entry = ? WHERE event_id = ?');
    this.#all = db.prepare('SELECT event, consumes_entry FROM admit_intents ORDER BY rowid');
  }

  add(intent: AdmitIntent): void {
    this.#add.run(intent.event.eventId, JSON.stringify(intent.event), intent.entries);
  }

  /** A group pass counted another person and is about to release the turnstile again: the intent as it now is. */
  update(intent: AdmitIntent): void {
    this.#update.run(JSON.stringify(intent.event), intent.entries, intent.event.eventId);
  }

  /** Call inside the transaction that settles the admit. */
  remove(eventId: string): void {
    this.#remove.run(eventId);
  }

  /** Every unsettled admit, oldest first. */
  all(): AdmitIntent[] {
    return this.#all.all().map((row) => ({
      event: JSON.parse(row.event) as PassageEvent,
      entries: row.consumes_entry,
    }));
  }
}
