/**
 * Takings (营业收入流水): the journal every money-moving module writes through `TakingsRecorder` (contract.ts), and
 * the day rollups kept in the same transaction. Shift settlements, day and month settlements, summaries and the live
 * figures read from here.
 */
import type { Connection } from '../../db/scoped.js';
import type { TakingEntry, TakingsRecorder } from './contract.js';
import * as repo from './repo.js';

export type { ShiftOf } from './repo.js';

export class TakingsService implements TakingsRecorder {
  private readonly listeners = new Set<(siteId: string) => void>();

  private readonly writer: ReturnType<typeof repo.takingsWriter>;

  /** `shiftOf`: which open shift (交接班) a cashier's taking belongs to (shifts/resolver.ts); none without it. */
  constructor(shiftOf?: repo.ShiftOf) {
    this.writer = repo.takingsWriter(shiftOf);
  }

  /**
   * Hears of every taking's site as it is recorded — inside its transaction, so before it commits (or rolls back):
   * the live figures take it as a sign to read the site again shortly (live-status/hub.ts). Returns what stops it.
   */
  onRecorded(listener: (siteId: string) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async record(conn: Connection, entry: TakingEntry): Promise<void> {
    if (entry.payments.length === 0 && entry.items.length === 0) return;
    await repo.recordTaking(conn, this.writer, entry);
    // A listener's failure must never undo the sale it hears of.
    for (const listener of this.listeners)
      try {
        listener(entry.siteId);
      } catch {}
  }
}
