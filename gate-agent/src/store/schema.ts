import type Database from 'better-sqlite3';

/**
 * The gate's local database. One file, WAL, synchronous=FULL: an admitted passage and its outbox event are on disk
 * before the gate says anything more; an admit is written down before the relay fires, so a crash between the relay
 * and the passage sensor leaves it to be settled as an unconfirmed passage at the next start.
 *
 * Schema changes are appended as new steps; `user_version` says how many have run.
 */
const STEPS: readonly string[] = [
  `
  CREATE TABLE whitelist (
    ticket_id     INTEGER PRIMARY KEY,
    type_id       INTEGER NOT NULL,
    barcode       TEXT,
    card_uid      TEXT,
    status        TEXT NOT NULL,
    valid_from    INTEGER NOT NULL,
    valid_to      INTEGER NOT NULL,
    entries_total INTEGER,
    entries_used  INTEGER NOT NULL,
    slot_start    INTEGER,
    slot_end      INTEGER,
    persons       INTEGER NOT NULL
  );
  CREATE INDEX whitelist_barcode ON whitelist (barcode) WHERE barcode IS NOT NULL;
  CREATE INDEX whitelist_card_uid ON whitelist (card_uid) WHERE card_uid IS NOT NULL;

  -- Chunks of a snapshot being received; swapped into whitelist once all chunks are in.
  CREATE TABLE snapshot_staging (
    ticket_id     INTEGER PRIMARY KEY,
    type_id       INTEGER NOT NULL,
    barcode       TEXT,
    card_uid      TEXT,
    status        TEXT NOT NULL,
    valid_from    INTEGER NOT NULL,
    valid_to      INTEGER NOT NULL,
    entries_total INTEGER,
    entries_used  INTEGER NOT NULL,
    slot_start    INTEGER,
    slot_end      INTEGER,
    persons       INTEGER NOT NULL
  );

  -- This gate's passages, for anti-passback and per-day counts; pruned by age.
  CREATE TABLE passages (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    direction TEXT NOT NULL,
    gate_id   TEXT NOT NULL
  );
  CREATE INDEX passages_ticket ON passages (ticket_id, at);
  CREATE INDEX passages_at ON passages (at);

  -- Entries this gate consumed that the cloud's record may not include yet (folded into entriesUsed).
  CREATE TABLE local_admits (
    event_id  TEXT PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    sent      INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX local_admits_ticket ON local_admits (ticket_id);

  -- Events not yet acknowledged by the broker, drained in seq order.
  CREATE TABLE outbox (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    channel  TEXT NOT NULL,
    payload  TEXT NOT NULL,
    at       INTEGER NOT NULL
  );

  -- Acks of executed commands, so a redelivered commandId gets the same answer without running again.
  CREATE TABLE commands (
    command_id TEXT PRIMARY KEY,
    ack        TEXT NOT NULL,
    at         INTEGER NOT NULL
  );

  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- Admits whose turnstile is (about to be) released and whose passage is not settled yet: written before the relay
  -- fires, removed with the passage or the NO_PASSAGE denial. One left at start-up is an admit a crash cut short.
  CREATE TABLE admit_intents (
    event_id       TEXT PRIMARY KEY,
    event          TEXT NOT NULL,
    consumes_entry INTEGER NOT NULL
  );
  `,
  `
  -- A group pass uses one entry per person who went through (its code counts in persons): a local admit, and an
  -- admit intent's consumes_entry, hold how many. Rows written before are one entry each, or none.
  ALTER TABLE local_admits ADD COLUMN entries INTEGER NOT NULL DEFAULT 1;
  `,
  `
  -- What a credential's use so far means for its rules (validity from the first entry, …): the record's optional
  -- usage fields as one JSON object, NULL when it has none (most tickets).
  ALTER TABLE whitelist ADD COLUMN usage TEXT;
  ALTER TABLE snapshot_staging ADD COLUMN usage TEXT;
  `,
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let step = current; step < STEPS.length; step++) {
    db.transaction(() => {
      db.exec(STEPS[step]!);
      db.pragma(`user_version = ${step + 1}`);
    })();
  }
}
