import type { CredentialRecord, WhitelistDelta } from '@scenic/protocol';
import type Database from 'better-sqlite3';
import type { Meta } from './meta.js';
import {
  RECORD_COLUMNS,
  RECORD_PLACEHOLDERS,
  type RecordRow,
  recordFromRow,
  rowParams,
} from './record-row.js';

export type DeltaOutcome =
  /** Applied; the local version is now the delta's toVersion. */
  | 'applied'
  /** Already applied before (toVersion ≤ local version). */
  | 'duplicate'
  /** fromVersion is above the local version: something was missed, the caller must resync. */
  | 'gap';

/**
 * The whitelist cache: credential records keyed by ticket id, with indexes by barcode and card UID. Records live in
 * SQLite only — a lookup is one prepared point query — so a million entries cost disk, not memory.
 */
export class WhitelistStore {
  readonly #db: Database.Database;
  readonly #meta: Meta;
  readonly #byTicket: Database.Statement<[number], RecordRow>;
  readonly #byBarcode: Database.Statement<[string], RecordRow>;
  readonly #byCard: Database.Statement<[string], RecordRow>;
  readonly #upsert: Database.Statement<unknown[]>;
  readonly #remove: Database.Statement<[number]>;
  readonly #stage: Database.Statement<unknown[]>;
  readonly #count: Database.Statement<[], { n: number }>;
  readonly #forgetSentAdmits: Database.Statement<[number]>;

  constructor(db: Database.Database, meta: Meta) {
    this.#db = db;
    this.#meta = meta;
    this.#byTicket = db.prepare(`SELECT ${RECORD_COLUMNS} FROM whitelist WHERE ticket_id = ?`);
    this.#byBarcode = db.prepare(`SELECT ${RECORD_COLUMNS} FROM whitelist WHERE barcode = ? LIMIT 1`);
    this.#byCard = db.prepare(`SELECT ${RECORD_COLUMNS} FROM whitelist WHERE card_uid = ? LIMIT 1`);
    this.#upsert = db.prepare(
      `INSERT OR REPLACE INTO whitelist (${RECORD_COLUMNS}) VALUES (${RECORD_PLACEHOLDERS})`,
    );
    this.#remove = db.prepare('DELETE FROM whitelist WHERE ticket_id = ?');
    this.#stage = db.prepare(
      `INSERT OR REPLACE INTO snapshot_staging (${RECORD_COLUMNS}) VALUES (${RECORD_PLACEHOLDERS})`,
    );
    this.#count = db.prepare('SELECT count(*) AS n FROM whitelist');
    // A fresh record from the cloud includes the entries of events it has received: the ones the broker acked.
    this.#forgetSentAdmits = db.prepare('DELETE FROM local_admits WHERE ticket_id = ? AND sent = 1');
  }

  version(): number {
    return this.#meta.number('whitelist_version', 0);
  }

  lastSyncAt(): number | null {
    const at = this.#meta.get('last_sync_at');
    return at === undefined ? null : Number(at);
  }

  count(): number {
    return this.#count.get()!.n;
  }

  byTicketId(ticketId: number): CredentialRecord | null {
    const row = this.#byTicket.get(ticketId);
    return row ? recordFromRow(row) : null;
  }

  byBarcode(barcode: string): CredentialRecord | null {
    const row = this.#byBarcode.get(barcode);
    return row ? recordFromRow(row) : null;
  }

  byCardUid(cardUid: string): CredentialRecord | null {
    const row = this.#byCard.get(cardUid);
    return row ? recordFromRow(row) : null;
  }

  /** Stores a record the cloud sent outside the version sequence (an online validation answer). */
  refreshRecord(record: CredentialRecord): void {
    this.#db.transaction(() => {
      this.#upsert.run(...rowParams(record));
      this.#forgetSentAdmits.run(record.ticketId);
    })();
  }

  /**
   * Applies a delta — one version or a range — if it continues the local version; reports duplicates and gaps
   * without touching anything. A range that starts before the local version and ends after it (two cloud instances
   * cut the same versions differently) is applied whole: its records are as of `toVersion`, and the tickets it does
   * not name did not change after the local version, so the result is exactly the whitelist at `toVersion`.
   */
  applyDelta(delta: WhitelistDelta, now: number): DeltaOutcome {
    return this.#db
      .transaction((): DeltaOutcome => {
        const local = this.version();
        if (delta.toVersion <= local) return 'duplicate';
        if (delta.fromVersion > local) return 'gap';
        for (const record of delta.upserts) {
          this.#upsert.run(...rowParams(record));
          this.#forgetSentAdmits.run(record.ticketId);
        }
        for (const ticketId of delta.removals) this.#remove.run(ticketId);
        this.#meta.set('whitelist_version', String(delta.toVersion));
        this.#meta.set('last_sync_at', String(now));
        return 'applied';
      })
      .immediate();
  }

  /** Starts receiving a snapshot: drops whatever an abandoned one left behind. */
  beginSnapshot(): void {
    this.#db.exec('DELETE FROM snapshot_staging');
  }

  /** Stores one chunk of the snapshot being received; the live whitelist is untouched until commitSnapshot. */
  stageSnapshotChunk(records: readonly CredentialRecord[]): void {
    this.#db.transaction(() => {
      for (const record of records) this.#stage.run(...rowParams(record));
    })();
  }

  /**
   * Replaces the whitelist with the staged snapshot in one transaction: a reader sees the old set or the new one,
   * never a mix. Indexes are rebuilt after the bulk copy, which is several times faster than maintaining them.
   */
  commitSnapshot(version: number, now: number): void {
    this.#db
      .transaction(() => {
        this.#db.exec(`
        DROP INDEX IF EXISTS whitelist_barcode;
        DROP INDEX IF EXISTS whitelist_card_uid;
        DELETE FROM whitelist;
        INSERT INTO whitelist (${RECORD_COLUMNS}) SELECT ${RECORD_COLUMNS} FROM snapshot_staging ORDER BY ticket_id;
        DELETE FROM snapshot_staging;
        CREATE INDEX whitelist_barcode ON whitelist (barcode) WHERE barcode IS NOT NULL;
        CREATE INDEX whitelist_card_uid ON whitelist (card_uid) WHERE card_uid IS NOT NULL;
        DELETE FROM local_admits WHERE sent = 1;
      `);
        this.#meta.set('whitelist_version', String(version));
        this.#meta.set('last_sync_at', String(now));
      })
      .immediate();
  }
}
