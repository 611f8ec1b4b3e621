/**
 * What the cloud stored, read straight from the database it writes (SQLite file or PostgreSQL schema, see
 * testing/fleet-database.ts), alongside the running cloud. The fleet's test and benchmark count rows here rather than
 * trusting the cloud's own counters, so "stored once" means a row in `passage_events`, whose primary key is the
 * event id.
 */
export interface StoredEvents {
  /** Rows stored for a site. */
  count(siteId: string): Promise<number>;
  /** Rows stored with the same event id more than once (0 when the primary key holds), over the whole table. */
  duplicateRows(): Promise<number>;
  /** How many rows each of `eventIds` has; ids without a row are absent from the map. */
  rowsPerEvent(eventIds: readonly string[]): Promise<Map<string, number>>;
  close(): Promise<void>;
}
