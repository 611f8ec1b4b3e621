/**
 * Whitelist distribution (protocol/README.md §4): every row of a site's whitelist feed reaches its gates as a
 * `whitelist_delta` on the site's `site/whitelist` topic, and a gate's `sync_request` is answered on its own
 * `whitelist` topic with the deltas it misses or with a chunked snapshot.
 *
 * Live deltas come from polling the feed heads every `intervalMs` (one small query), not from an in-process signal
 * after commit, so a change committed by any cloud instance — or by a tool writing the database — goes out within
 * about that interval. Each instance publishes what it sees; with several instances a gate receives a delta more
 * than once and ignores the repeats (toVersion ≤ its version), which is cheaper than coordinating who publishes.
 * Requests are answered in their own queue, so a large snapshot never holds up the cloud's MQTT client.
 */
import { randomUUID } from 'node:crypto';
import type { SyncRequest } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import type { MqttBus } from '../../mqtt/bus.js';
import { TicketsService } from '../tickets/service.js';
import { type WhitelistLag, whitelistLag } from './lag.js';
import { deltaOf, snapshotChunks } from './messages.js';
import * as repo from './repo.js';

export interface DistributorOptions {
  /** Feed poll period; default 150 ms. */
  readonly intervalMs?: number;
  /** A gate further behind than this many versions gets a snapshot instead of deltas; default 2,000. */
  readonly maxCatchUp?: number;
}

/** How a sync request was answered (tests, logs). */
export type SyncAnswer =
  | { readonly kind: 'deltas'; readonly count: number }
  | { readonly kind: 'snapshot'; readonly version: number; readonly chunks: number; readonly records: number }
  | { readonly kind: 'current' };

/** Live deltas fetched per site per round; a longer backlog continues in the next round. */
const PAGE = 500;

export class WhitelistDistributor {
  private readonly tickets: TicketsService;
  private readonly published = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly maxCatchUp: number;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private answering: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly bus: MqttBus,
    private readonly logger: Logger,
    options: DistributorOptions = {},
  ) {
    this.tickets = new TicketsService(db);
    this.intervalMs = options.intervalMs ?? 150;
    this.maxCatchUp = options.maxCatchUp ?? 2_000;
  }

  /** Starts following the feeds from their current heads; gates catch up on older versions by asking. */
  async start(): Promise<void> {
    for (const [siteId, version] of await repo.heads(this.db)) this.published.set(siteId, version);
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
    await this.answering;
  }

  /** Publishes the feed rows committed since the last round, in version order, per site. */
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
      let last = this.published.get(siteId) ?? 0;
      if (head <= last) continue;
      try {
        const page = await this.tickets.feedSince(siteId, last, PAGE);
        for (const entry of page.entries) {
          await this.bus.publish({ siteId, channel: 'site/whitelist' }, deltaOf(entry));
          last = entry.version;
          this.published.set(siteId, last);
        }
      } catch (error) {
        // Left where it stopped: the next round publishes from the first version not sent.
        this.logger.warn({ err: error, siteId, version: last }, 'whitelist delta not published; retrying');
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
    const head = (await this.tickets.feedSince(siteId, 0, 0)).headVersion;
    if (!request.full && have > 0 && have <= head) {
      if (have === head) return { kind: 'current' };
      if (head - have <= this.maxCatchUp) {
        const page = await this.tickets.feedSince(siteId, have, head - have);
        const complete =
          page.entries.length === head - have &&
          page.entries.every((entry, i) => entry.version === have + 1 + i);
        if (complete) {
          for (const entry of page.entries)
            await this.bus.publish({ siteId, gateId, channel: 'whitelist' }, deltaOf(entry));
          return { kind: 'deltas', count: page.entries.length };
        }
      }
    }
    // New gate, asked for in full, too far behind, or ahead of this database (restored from a backup): a snapshot.
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

  /** How far each gate of the site is behind the feed head, from the versions gates report in state and heartbeat. */
  lag(siteId: string): Promise<WhitelistLag> {
    return whitelistLag(this.db, siteId);
  }
}
