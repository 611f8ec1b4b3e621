import type { CommandAck } from '@scenic/protocol';
import type Database from 'better-sqlite3';

/** Acks are remembered at least this long (protocol: 24 h) so redelivered commands are answered, not re-run. */
export const COMMAND_RETENTION_MS = 48 * 3_600_000;

export class CommandLog {
  readonly #get: Database.Statement<[string], { ack: string }>;
  readonly #put: Database.Statement<[string, string, number]>;
  readonly #prune: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.#get = db.prepare('SELECT ack FROM commands WHERE command_id = ?');
    this.#put = db.prepare('INSERT OR IGNORE INTO commands (command_id, ack, at) VALUES (?, ?, ?)');
    this.#prune = db.prepare('DELETE FROM commands WHERE at < ?');
  }

  ackFor(commandId: string): CommandAck | undefined {
    const row = this.#get.get(commandId);
    return row ? (JSON.parse(row.ack) as CommandAck) : undefined;
  }

  remember(ack: CommandAck): void {
    this.#put.run(ack.commandId, JSON.stringify(ack), ack.at);
  }

  prune(now: number): void {
    this.#prune.run(now - COMMAND_RETENTION_MS);
  }
}
