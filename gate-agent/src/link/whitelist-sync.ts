import type { SyncReason, WhitelistDelta, WhitelistSnapshot } from '@scenic/protocol';
import type { Log } from '../core/ports.js';
import type { LinkWhitelist } from './ports.js';

/** Deltas kept while waiting for the ones before them (or for a snapshot); beyond this a snapshot is cheaper. */
const MAX_BUFFERED_DELTAS = 2_000;

interface Collecting {
  readonly snapshotId: string;
  readonly version: number;
  readonly chunks: number;
  readonly received: Set<number>;
}

export interface WhitelistSyncOptions {
  readonly whitelist: LinkWhitelist;
  /** Sends a sync_request. */
  readonly request: (reason: SyncReason, full: boolean) => void;
  readonly log: Log;
  readonly now: () => number;
  /** Ask again (full) when a started snapshot sees no chunk for this long. Protocol: 30 s. */
  readonly snapshotTimeoutMs?: number;
}

/**
 * Keeps the local whitelist on the site's version sequence: applies deltas in order, buffers the ones that arrive
 * early and asks for the gap, collects snapshot chunks in the store (the agent's staging table, never in memory)
 * and swaps them in once all are there.
 */
export class WhitelistSync {
  readonly #whitelist: LinkWhitelist;
  readonly #request: WhitelistSyncOptions['request'];
  readonly #log: Log;
  readonly #now: () => number;
  readonly #snapshotTimeoutMs: number;
  readonly #buffered = new Map<number, WhitelistDelta>();
  #collecting: Collecting | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** The local version a gap request was sent for, so a burst of early deltas asks once. */
  #gapAskedAt: number | null = null;
  /** Set by a request sent while a snapshot was being collected: the next other snapshot is its answer. */
  #answerAwaited = false;
  /** The snapshot last ignored, so its every chunk is not logged. */
  #ignored: string | null = null;

  constructor(options: WhitelistSyncOptions) {
    this.#whitelist = options.whitelist;
    this.#request = options.request;
    this.#log = options.log;
    this.#now = options.now;
    this.#snapshotTimeoutMs = options.snapshotTimeoutMs ?? 30_000;
  }

  onDelta(delta: WhitelistDelta): void {
    if (this.#collecting) {
      this.#buffer(delta);
      return;
    }
    const outcome = this.#whitelist.applyDelta(delta, this.#now());
    if (outcome === 'applied') {
      this.#gapAskedAt = null;
      this.#applyBuffered();
    } else if (outcome === 'gap') {
      this.#buffer(delta);
      const local = this.#whitelist.version();
      if (this.#gapAskedAt !== local) {
        this.#gapAskedAt = local;
        this.#log.warn(
          { local, fromVersion: delta.fromVersion },
          'whitelist gap: asking for the missing deltas',
        );
        this.#request('gap', false);
      }
    }
  }

  /**
   * A sync request went out (gate-link.ts). While a snapshot is being collected, the next other snapshot is the
   * answer to this request and replaces it (e.g. after a reconnect the old one may never finish).
   */
  requested(): void {
    if (this.#collecting) this.#answerAwaited = true;
  }

  /**
   * Chunks of the snapshot being collected are staged; the first chunk of another snapshot starts it only when no
   * snapshot is being collected or a request sent since awaits it. Otherwise it is a second answer to the same
   * request (several cloud instances answering): it is ignored, so two snapshots never interleave and restart each
   * other. A snapshot that stalls is given up after the timeout, and the next one is taken.
   */
  onSnapshotChunk(chunk: WhitelistSnapshot): void {
    let collecting = this.#collecting;
    if (!collecting || collecting.snapshotId !== chunk.snapshotId) {
      if (collecting && !this.#answerAwaited) {
        if (this.#ignored !== chunk.snapshotId) {
          this.#ignored = chunk.snapshotId;
          this.#log.info(
            { collecting: collecting.snapshotId, ignored: chunk.snapshotId },
            'another snapshot while one is being collected: ignored',
          );
        }
        return;
      }
      if (collecting)
        this.#log.info(
          { abandoned: collecting.snapshotId },
          'the answer to a newer request replaces a snapshot',
        );
      this.#answerAwaited = false;
      this.#whitelist.beginSnapshot();
      collecting = {
        snapshotId: chunk.snapshotId,
        version: chunk.version,
        chunks: chunk.chunks,
        received: new Set(),
      };
      this.#collecting = collecting;
    }
    if (chunk.chunks !== collecting.chunks || chunk.version !== collecting.version) {
      this.#log.warn(
        { snapshotId: chunk.snapshotId },
        'snapshot chunk disagrees with its first chunk; ignored',
      );
      return;
    }
    this.#armTimer();
    if (collecting.received.has(chunk.chunk)) return;
    this.#whitelist.stageSnapshotChunk(chunk.records);
    collecting.received.add(chunk.chunk);
    if (collecting.received.size < collecting.chunks) return;

    clearTimeout(this.#timer);
    this.#collecting = null;
    this.#whitelist.commitSnapshot(collecting.version, this.#now());
    this.#gapAskedAt = null;
    this.#log.info(
      { version: collecting.version, records: this.#whitelist.count() },
      'whitelist snapshot applied',
    );
    this.#applyBuffered();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #armTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#log.warn({ snapshotId: this.#collecting?.snapshotId }, 'snapshot stalled: asking for a new one');
      this.#collecting = null;
      this.#answerAwaited = false;
      this.#request('snapshot_timeout', true);
    }, this.#snapshotTimeoutMs);
    this.#timer.unref();
  }

  #buffer(delta: WhitelistDelta): void {
    const same = this.#buffered.get(delta.fromVersion);
    if (same && same.toVersion >= delta.toVersion) return;
    if (!same && this.#buffered.size >= MAX_BUFFERED_DELTAS) return;
    this.#buffered.set(delta.fromVersion, delta);
  }

  /**
   * Applies buffered deltas while one continues the local version: of those starting at or before it, the one
   * reaching furthest (ranges from several cloud instances may overlap); those ending at or before it are dropped.
   */
  #applyBuffered(): void {
    for (;;) {
      const local = this.#whitelist.version();
      let next: WhitelistDelta | undefined;
      for (const [from, delta] of this.#buffered) {
        if (delta.toVersion <= local) this.#buffered.delete(from);
        else if (from <= local && (!next || delta.toVersion > next.toVersion)) next = delta;
      }
      if (!next) return;
      this.#buffered.delete(next.fromVersion);
      this.#whitelist.applyDelta(next, this.#now());
    }
  }
}
