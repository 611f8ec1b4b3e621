import type Database from 'better-sqlite3';

export type MetaKey =
  | 'whitelist_version'
  /** Epoch ms when the whitelist last changed from a snapshot or delta. */
  | 'last_sync_at'
  /** The applied gate_config message, JSON. */
  | 'config'
  /**
   * The running mode and deny-unauthorized flag, for `gate-agent status`; the mode is also restored on the next
   * boot when it is emergency_open, locked or always_closed (GateCore#restoreStickyMode).
   */
  | 'mode'
  | 'deny_unauthorized';

/** Small key/value settings. */
export class Meta {
  readonly #get: Database.Statement<[string], { value: string }>;
  readonly #set: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.#get = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.#set = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  get(key: MetaKey): string | undefined {
    return this.#get.get(key)?.value;
  }

  set(key: MetaKey, value: string): void {
    this.#set.run(key, value);
  }

  number(key: MetaKey, fallback: number): number {
    const value = this.get(key);
    return value === undefined ? fallback : Number(value);
  }
}
