/**
 * Stored events from the cloud's SQLite file, through a read-only connection of the fleet's own: WAL lets a reader
 * in while the cloud writes, and the reader takes no write lock the cloud could wait for.
 */
import Database from 'better-sqlite3';
import type { StoredEvents } from './stored-events.js';

/** Ids per lookup, to stay under SQLite's parameter limit. */
const CHUNK = 500;

export class SqliteStoredEvents implements StoredEvents {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
  }

  async count(siteId: string): Promise<number> {
    return (
      this.db.prepare('SELECT count(*) AS n FROM passage_events WHERE site_id = ?').get(siteId) as {
        n: number;
      }
    ).n;
  }

  async duplicateRows(): Promise<number> {
    return (
      this.db.prepare('SELECT count(*) - count(DISTINCT event_id) AS n FROM passage_events').get() as {
        n: number;
      }
    ).n;
  }

  async rowsPerEvent(eventIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < eventIds.length; i += CHUNK) {
      const chunk = eventIds.slice(i, i + CHUNK);
      const rows = this.db
        .prepare(
          `SELECT event_id AS id, count(*) AS n FROM passage_events WHERE event_id IN (${chunk.map(() => '?').join(',')}) GROUP BY event_id`,
        )
        .all(...chunk) as { id: string; n: number }[];
      for (const row of rows) counts.set(row.id, row.n);
    }
    return counts;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
