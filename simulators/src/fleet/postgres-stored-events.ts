/**
 * Stored events from the cloud's PostgreSQL schema, through one connection of the fleet's own (the URL carries the
 * schema as its search_path). Each query is its own statement, so it sees every transaction committed before it.
 */
import pg from 'pg';
import type { StoredEvents } from './stored-events.js';

export class PostgresStoredEvents implements StoredEvents {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresStoredEvents> {
    const client = new pg.Client({ connectionString: url, application_name: 'fleet-stored-events' });
    await client.connect();
    return new PostgresStoredEvents(client);
  }

  async count(siteId: string): Promise<number> {
    // count(*) is a bigint, which pg hands over as text.
    const { rows } = await this.client.query<{ n: string }>(
      'SELECT count(*) AS n FROM passage_events WHERE site_id = $1',
      [siteId],
    );
    return Number(rows[0]!.n);
  }

  async duplicateRows(): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(
      'SELECT count(*) - count(DISTINCT event_id) AS n FROM passage_events',
    );
    return Number(rows[0]!.n);
  }

  async rowsPerEvent(eventIds: readonly string[]): Promise<Map<string, number>> {
    // One array parameter, however many ids: no chunks needed.
    const { rows } = await this.client.query<{ id: string; n: string }>(
      'SELECT event_id AS id, count(*) AS n FROM passage_events WHERE event_id = ANY($1::text[]) GROUP BY event_id',
      [eventIds],
    );
    return new Map(rows.map((row) => [row.id, Number(row.n)]));
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
