/**
 * Reads what the cloud stored, straight from its SQLite file (read-only, alongside the running cloud: WAL lets a
 * reader in while it writes). The fleet's test and benchmark count rows here rather than trusting the cloud's own
 * counters, so "stored once" means a row in `passage_events`, whose primary key is the event id.
 */
import Database from 'better-sqlite3';

export class StoredEvents {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
  }

  /** Rows stored for a site. */
  count(siteId: string): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM passage_events WHERE site_id = ?').get(siteId) as {
        n: number;
      }
    ).n;
  }

  /** Rows stored with the same event id more than once (0 when the primary key holds), over the whole table. */
  duplicateRows(): number {
    return (
      this.db.prepare('SELECT count(*) - count(DISTINCT event_id) AS n FROM passage_events').get() as {
        n: number;
      }
    ).n;
  }

  /** How many rows each of `eventIds` has (looked up in chunks to stay under SQLite's parameter limit). */
  rowsPerEvent(eventIds: readonly string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (let i = 0; i < eventIds.length; i += 500) {
      const chunk = eventIds.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT event_id AS id, count(*) AS n FROM passage_events WHERE event_id IN (${chunk.map(() => '?').join(',')}) GROUP BY event_id`,
        )
        .all(...chunk) as { id: string; n: number }[];
      for (const row of rows) counts.set(row.id, row.n);
    }
    return counts;
  }

  close(): void {
    this.db.close();
  }
}
