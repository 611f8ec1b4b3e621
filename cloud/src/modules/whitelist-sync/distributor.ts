/**
 * Whitelist distribution (protocol/README.md §4): the rows of a site's whitelist feed reach its gates as
 * `whitelist_delta`s on the site's `site/whitelist` topic, and a gate's `sync_request` is answered on its own
 * `whitelist` topic with the versions it misses or with a chunked snapshot.
 *
 * Live deltas come from polling the feed heads every `intervalMs` (one small query), not from an in-process signal
 * after commit, so a change committed by any cloud instance — or by a tool writing the database — goes out within
 * about that interval. Each round publishes ONE delta per site covering every version committed since the previous
 * round (more only past the protocol's 500-upsert bound): the broker copies each message to every gate of the site,
 * so at 1,000 admitted scans/s and 500 gates one delta per change would be 500,000 deliveries/s, one per round is
 * under 3,500. A catch-up is cut the same way.
 *
 * Each instance publishes what it sees, with its own round boundaries; a gate applies an overlapping range whole and
 * ignores a repeated one (toVersion ≤ its version), so several instances cost one extra delivery per instance and
 * round rather than coordination. Requests are answered in their own queue, so a large snapshot never holds up the
 * cloud's MQTT client.
 *
 * Housekeeping: every `pruneIntervalMs` the feed rows older than `feedRetentionMs` and the validation reservations
 * that lapsed more than `reservationRetentionMs` ago are deleted in bounded batches. A gate asking for versions
 * before the oldest row kept gets a snapshot.
 */
import { randomUUID } from 'node:crypto';
import type { SyncRequest } from '@scenic/protocol';
import type { Logger } from 'pino';
import type { Connection } from '../../db/scoped.js';
import type { MqttBus } from '../../mqtt/bus.js';
import type { ValidationService } from '../gate-validation/service.js';
import type { TicketsService } from '../tickets/service.js';
import { type WhitelistLag, whitelistLag } from './lag.js';
import { type FeedRecord, rangeDeltas, snapshotChunks } from './messages.js';
import * as repo from './repo.js';

const DAY_MS = 86_400_000;

export interface DistributorOptions {
  /** Feed poll period; default 150 ms. */
  readonly intervalMs?: number;
  /** A gate further behind than this many versions gets a snapshot instead of deltas; default 20,000. */
  readonly maxCatchUp?: number;
  /** Feed rows are kept this long; default 7 days. */
  readonly feedRetentionMs?: number;
  /** Validation reservations are kept this long after they lapse; default 7 days. */
  readonly reservationRetentionMs?: number;
  /** Pruning period; default 10 minutes. The first round runs one period after start. */
  readonly pruneIntervalMs?: number;
  /** Whether this instance runs the periodic prunes (the cloud's leadership); by default it does. */
  readonly leads?: () => boolean;
  /** Rows deleted per statement when pruning; default 2,000. */
  readonly pruneBatch?: number;
  /** Feed versions read per query (live and catch-up); default 2,000. A longer backlog continues with the next page. */
  readonly page?: number;
}

/** How a sync request was answered (tests, logs). */
export type SyncAnswer =
  | { readonly kind: 'deltas'; readonly count: number; readonly versions: number }
  | { readonly kind: 'snapshot'; readonly version: number; readonly chunks: number; readonly records: number }
  | { readonly kind: 'current' };

/** What one pruning round deleted. */
export interface PruneResult {
  readonly feedRows: number;
  readonly reservations: number;
}

/** Statements per table per pruning round, so one round never holds the database for long. */
const MAX_PRUNE_BATCHES = 50;

export class WhitelistDistributor {
  private readonly published = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly maxCatchUp: number;
  private readonly feedRetentionMs: number;
  private readonly reservationRetentionMs: number;
  private readonly pruneIntervalMs: number;
  private readonly pruneBatch: number;
  private readonly leads: () => boolean;
  private readonly page: number;
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private pruning: Promise<unknown> = Promise.resolve();
  private answering: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Connection,
    private readonly tickets: TicketsService,
    /** Lapsed online-validation reservations are pruned on the same round as the feed. */
    private readonly reservations: Pick<ValidationService, 'pruneReservations'>,
    private readonly bus: MqttBus,
    private readonly logger: Logger,
    options: DistributorOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = options.intervalMs ?? 150;
    this.maxCatchUp = options.maxCatchUp ?? 20_000;
    this.feedRetentionMs = options.feedRetentionMs ?? 7 * DAY_MS;
    this.reservationRetentionMs = options.reservationRetentionMs ?? 7 * DAY_MS;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 600_000;
    this.pruneBatch = options.pruneBatch ?? 2_000;
    this.leads = options.leads ?? (() => true);
    this.page = options.page ?? 2_000;
  }

  /** Starts following the feeds from their current heads; gates catch up on older versions by asking. */
  async start(): Promise<void> {
    for (const [siteId, version] of await repo.heads(this.db)) this.published.set(siteId, version);
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, this.intervalMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => {
      if (!this.leads()) return;
      this.pruning = this.pruning.then(() => this.prune());
    }, this.pruneIntervalMs);
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    await this.polling;
    await this.pruning;
    await this.answering;
  }

  /** Publishes the feed rows committed since the last round: per site one delta covering them all. */
  async poll(): Promise<void> {
    if (this.stopped) return;
    let heads: Map<string, number>;
    try {
      heads = await repo.heads(this.db);
    } catch (error) {
      this.logger.error({ err: error }, 'whitelist feed heads could not be read');
      return;
    }
    for (const [siteId, head] of heads) {
      const last = this.published.get(siteId) ?? 0;
      if (head <= last) continue;
      try {
        const upto = Math.min(head, last + this.page);
        const rows = await repo.feedBetween(this.db, siteId, last, upto);
        if (rows.length === 0) {
          // Pruned before they were published (this instance fell behind by more than the retention): moving on
          // lets the next delta show gates the gap, and they ask for a snapshot.
          this.logger.warn({ siteId, from: last, to: upto }, 'whitelist feed rows gone before publishing');
          this.published.set(siteId, upto);
          continue;
        }
        for (const delta of rangeDeltas(last, rows)) {
          await this.bus.publish({ siteId, channel: 'site/whitelist' }, delta);
          this.published.set(siteId, delta.toVersion);
        }
      } catch (error) {
        // Left where it stopped: the next round publishes from the first version not sent.
        this.logger.warn(
          { err: error, siteId, version: this.published.get(siteId) ?? 0 },
          'whitelist delta not published; retrying',
        );
      }
    }
  }

  /** Queues the answer to a gate's sync_request; resolves when it was sent. */
  answer(siteId: string, gateId: string, request: SyncRequest): Promise<SyncAnswer | undefined> {
    const next = this.answering.then(() =>
      this.serve(siteId, gateId, request).catch((error: unknown) => {
        this.logger.error({ err: error, siteId, gateId }, 'whitelist sync request not answered');
        return undefined;
      }),
    );
    this.answering = next;
    return next;
  }

  private async serve(siteId: string, gateId: string, request: SyncRequest): Promise<SyncAnswer> {
    const have = request.haveVersion;
    const head = await repo.headOf(this.db, siteId);
    if (!request.full && have > 0 && have <= head) {
      if (have === head) return { kind: 'current' };
      const missing = head - have <= this.maxCatchUp ? await this.catchUp(siteId, have, head) : null;
      if (missing) {
        const deltas = rangeDeltas(have, missing);
        for (const delta of deltas) await this.bus.publish({ siteId, gateId, channel: 'whitelist' }, delta);
        return { kind: 'deltas', count: deltas.length, versions: head - have };
      }
    }
    // New gate, asked for in full, too far behind (or behind the pruned feed), or ahead of this database (restored
    // from a backup): a snapshot.
    const snapshot = await this.tickets.snapshot(siteId);
    const snapshotId = `snap-${snapshot.version}-${randomUUID().slice(0, 8)}`;
    const chunks = snapshotChunks(snapshotId, snapshot.version, snapshot.records);
    for (const chunk of chunks) await this.bus.publish({ siteId, gateId, channel: 'whitelist' }, chunk);
    this.logger.info(
      { siteId, gateId, version: snapshot.version, records: snapshot.records.length, reason: request.reason },
      'whitelist snapshot sent',
    );
    return {
      kind: 'snapshot',
      version: snapshot.version,
      chunks: chunks.length,
      records: snapshot.records.length,
    };
  }

  /** Every feed row in (have, head], page by page; null when any is gone (pruned), which calls for a snapshot. */
  private async catchUp(siteId: string, have: number, head: number): Promise<FeedRecord[] | null> {
    const rows: FeedRecord[] = [];
    for (let after = have; after < head; after += this.page) {
      const page = await repo.feedBetween(this.db, siteId, after, Math.min(head, after + this.page));
      for (const row of page) {
        if (row.version !== have + 1 + rows.length) return null;
        rows.push(row);
      }
    }
    return rows.length === head - have ? rows : null;
  }

  /**
   * One pruning round: feed rows older than the retention, site by site, and lapsed reservations, each in batches
   * of `pruneBatch` rows and at most MAX_PRUNE_BATCHES statements (the rest waits for the next round).
   */
  async prune(): Promise<PruneResult> {
    let feedRows = 0;
    let reservations = 0;
    if (this.stopped) return { feedRows, reservations };
    const now = this.now();
    try {
      for (const siteId of (await repo.heads(this.db)).keys()) {
        for (let batch = 0; batch < MAX_PRUNE_BATCHES; batch++) {
          const deleted = await repo.pruneFeed(this.db, siteId, now - this.feedRetentionMs, this.pruneBatch);
          feedRows += deleted;
          if (deleted === 0) break;
        }
      }
      for (let batch = 0; batch < MAX_PRUNE_BATCHES; batch++) {
        const deleted = await this.reservations.pruneReservations(
          now - this.reservationRetentionMs,
          this.pruneBatch,
        );
        reservations += deleted;
        if (deleted < this.pruneBatch) break;
      }
    } catch (error) {
      this.logger.error({ err: error }, 'whitelist feed or reservation pruning failed; retrying next round');
    }
    if (feedRows + reservations > 0)
      this.logger.info({ feedRows, reservations }, 'whitelist feed and lapsed reservations pruned');
    return { feedRows, reservations };
  }

  /** How far each gate of the site is behind the feed head, from the versions gates report in state and heartbeat. */
  lag(siteId: string): Promise<WhitelistLag> {
    return whitelistLag(this.db, siteId);
  }
}
