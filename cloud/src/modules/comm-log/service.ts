/** The communication log's rules: listing with filters, per-gate daily summaries in the venue's zone, retention. */

import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import { ALL_SITES, coversSite, type SiteScope } from '../../platform/site-scope.js';
import { siteTimeZone } from '../venues/reads.js';
import { dayNumberOf, dayStarts } from './days.js';
import type { CommLogFilter, CommLogRepo, CommLogRow } from './repo.js';

/** A summary covers at most this many days (one query with one CASE branch per day). */
export const MAX_SUMMARY_DAYS = 93;

export interface DailyGateSummary {
  date: string;
  siteId: string | null;
  gateId: string | null;
  messagesIn: number;
  messagesOut: number;
  rejected: number;
  bytesIn: number;
  bytesOut: number;
  /** Mean of the known latencies (inbound messages with their own timestamp); null when none. */
  avgLatencyMs: number | null;
  maxLatencyMs: number | null;
}

export class CommLogService {
  constructor(
    readonly repo: CommLogRepo,
    private readonly db: Connection,
    private readonly defaultTimeZone: string,
  ) {}

  list(
    filter: CommLogFilter,
    page: { limit: number; offset: number },
    scope: SiteScope = ALL_SITES,
  ): Promise<{ items: CommLogRow[]; total: number }> {
    return this.repo.list(filter, page, scope);
  }

  async summary(
    query: {
      from: string;
      to: string;
      siteId?: string;
      gateId?: string;
    },
    scope: SiteScope = ALL_SITES,
  ): Promise<{ timeZone: string; days: DailyGateSummary[] }> {
    const span = dayNumberOf(query.to) - dayNumberOf(query.from) + 1;
    if (span < 1 || span > MAX_SUMMARY_DAYS) {
      throw new AppError('BAD_REQUEST', {
        reason: {
          'zh-CN': `日期范围须为 1 到 ${MAX_SUMMARY_DAYS} 天`,
          en: `the date range must cover 1 to ${MAX_SUMMARY_DAYS} days`,
        },
      });
    }
    const timeZone = await this.timeZoneOf(query.siteId, scope);
    const { days, starts } = dayStarts(timeZone, query.from, query.to);
    const rows = await this.repo.summarise(starts, { siteId: query.siteId, gateId: query.gateId }, scope);
    const byKey = new Map<string, DailyGateSummary & { latencySum: number; latencyCount: number }>();
    for (const row of rows) {
      const date = days[row.bucket] ?? query.from;
      const key = `${row.bucket}|${row.siteId}|${row.gateId}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = {
          date,
          siteId: row.siteId,
          gateId: row.gateId,
          messagesIn: 0,
          messagesOut: 0,
          rejected: 0,
          bytesIn: 0,
          bytesOut: 0,
          avgLatencyMs: null,
          maxLatencyMs: null,
          latencySum: 0,
          latencyCount: 0,
        };
        byKey.set(key, entry);
      }
      if (row.direction === 'in') {
        entry.messagesIn += row.messages;
        entry.bytesIn += row.bytes;
      } else {
        entry.messagesOut += row.messages;
        entry.bytesOut += row.bytes;
      }
      if (row.result === 'rejected') entry.rejected += row.messages;
      entry.latencySum += row.latencySum ?? 0;
      entry.latencyCount += row.latencyCount;
      if (row.latencyMax !== null)
        entry.maxLatencyMs = Math.max(entry.maxLatencyMs ?? row.latencyMax, row.latencyMax);
    }
    const summaries = [...byKey.values()].map(({ latencySum, latencyCount, ...summary }) => ({
      ...summary,
      avgLatencyMs: latencyCount > 0 ? Math.round(latencySum / latencyCount) : null,
    }));
    summaries.sort(
      (a, b) =>
        a.date.localeCompare(b.date) ||
        (a.siteId ?? '').localeCompare(b.siteId ?? '') ||
        (a.gateId ?? '').localeCompare(b.gateId ?? ''),
    );
    return { timeZone, days: summaries };
  }

  pruneOlderThan(days: number, now = Date.now()): Promise<number> {
    return this.repo.pruneBefore(now - days * 86_400_000);
  }

  /** A site's own zone when it is known, else the installation's VENUE_TIMEZONE. */
  /** A site out of `scope` is answered like an unknown one: the installation's zone. */
  private async timeZoneOf(siteId: string | undefined, scope: SiteScope): Promise<string> {
    if (siteId === undefined || !coversSite(scope, siteId)) return this.defaultTimeZone;
    return (await siteTimeZone(this.db, siteId)) ?? this.defaultTimeZone;
  }
}
