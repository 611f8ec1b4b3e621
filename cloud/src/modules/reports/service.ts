/**
 * The reports (数据管理 and 决策分析): sales history, summaries, the terminal communication reports and the decision
 * analysis, each as a JSON answer and as a report table for the exports. Everything is read, nothing written: the
 * takings' rollups and journal (takings/history.ts), the hourly entries (passages/hourly-reads.ts), the
 * communication log (its service), and names from their owners. Every read is limited to the caller's sites.
 */
import type { Connection } from '../../db/scoped.js';
import type { ReportTable } from '../../platform/exports/report.js';
import type { Language } from '../../platform/language.js';
import { ALL_SITES, coversSite, type SiteScope } from '../../platform/site-scope.js';
import type { CommLogService } from '../comm-log/service.js';
import { siteTimeZone } from '../venues/reads.js';
import {
  type CompareQuery,
  type CompareSeries,
  compareSeries,
  type Heatmap,
  type HeatmapQuery,
  heatmap,
  type TypeMix,
  type TypeMixQuery,
  typeMix,
} from './analysis.js';
import { compareTable, heatmapTable, typeMixTable } from './analysis-tables.js';
import { type ComparisonCalendar, plainCalendar } from './bases.js';
import {
  type CommLogFilter,
  type CommSummaryReport,
  commDetailTable,
  commSummary,
  commSummaryTable,
} from './comm.js';
import { type HistoryFilter, type HistoryPage, historyPage, historyTable } from './history.js';
import { type CalendarSource, plainCalendarSource } from './holiday-calendar.js';
import { rangeOf } from './period.js';
import { type Summary, type SummaryQuery, summarize, summaryTable } from './summary.js';

export interface ReportsDeps {
  readonly commLog: CommLogService;
  /** The installation's zone (VENUE_TIMEZONE): what a report over every site is shown in. */
  readonly defaultTimeZone: string;
  /**
   * Loads the comparison calendar (bases and holidays) for a request's range; default: same date and same weekday,
   * no holiday calendar (same_holiday_day and the holiday series answer 400 REPORT_BASIS_UNAVAILABLE).
   */
  readonly calendar?: CalendarSource;
}

export class ReportsService {
  private readonly calendars: CalendarSource;

  constructor(
    private readonly db: Connection,
    private readonly deps: ReportsDeps,
  ) {
    this.calendars = deps.calendar ?? plainCalendarSource;
  }

  history(
    filter: HistoryFilter,
    page: { before?: number | undefined; limit: number },
    scope: SiteScope = ALL_SITES,
  ): Promise<HistoryPage> {
    return historyPage(this.db, filter, page, scope);
  }

  async historyTable(filter: HistoryFilter, scope: SiteScope, language: Language): Promise<ReportTable> {
    return historyTable(this.db, filter, scope, language, await this.timeZoneOf(filter.siteId, scope));
  }

  summary(query: SummaryQuery, scope: SiteScope = ALL_SITES): Promise<Summary> {
    return summarize(this.db, query, scope);
  }

  async summaryTable(query: SummaryQuery, scope: SiteScope, language: Language): Promise<ReportTable> {
    return summaryTable(
      await this.summary(query, scope),
      language,
      await this.timeZoneOf(query.siteId, scope),
    );
  }

  commSummary(
    query: { from: string; to: string; siteId?: string | undefined; gateId?: string | undefined },
    scope: SiteScope = ALL_SITES,
  ): Promise<CommSummaryReport> {
    return commSummary(this.deps.commLog, query, scope);
  }

  async commSummaryTable(
    query: { from: string; to: string; siteId?: string | undefined; gateId?: string | undefined },
    scope: SiteScope,
  ): Promise<ReportTable> {
    return commSummaryTable(await this.commSummary(query, scope), query.from, query.to);
  }

  /** One page of the message list, with the number of entries and of messages they stand for on this page. */
  async commDetail(
    filter: CommLogFilter,
    page: { limit: number; offset: number },
    scope: SiteScope = ALL_SITES,
  ) {
    const { items, total } = await this.deps.commLog.list(filter, page, scope);
    return {
      items,
      totals: {
        entries: total,
        pageMessages: items.reduce((n, item) => n + item.count, 0),
        pageBytes: items.reduce((n, item) => n + item.size, 0),
      },
    };
  }

  async commDetailTable(filter: CommLogFilter, scope: SiteScope, language: Language): Promise<ReportTable> {
    return commDetailTable(
      this.deps.commLog,
      filter,
      scope,
      language,
      await this.timeZoneOf(filter.siteId, scope),
    );
  }

  async compare(query: CompareQuery, scope: SiteScope = ALL_SITES): Promise<CompareSeries> {
    return compareSeries(this.db, query, await this.calendarOf(query), scope);
  }

  async compareTable(query: CompareQuery, scope: SiteScope, language: Language): Promise<ReportTable> {
    return compareTable(
      await this.compare(query, scope),
      language,
      await this.timeZoneOf(query.siteId, scope),
    );
  }

  async typeMix(query: TypeMixQuery, scope: SiteScope = ALL_SITES): Promise<TypeMix> {
    return typeMix(this.db, query, await this.calendarOf(query), scope);
  }

  async typeMixTable(query: TypeMixQuery, scope: SiteScope, language: Language): Promise<ReportTable> {
    return typeMixTable(
      await this.typeMix(query, scope),
      language,
      await this.timeZoneOf(query.siteId, scope),
    );
  }

  heatmap(query: HeatmapQuery, scope: SiteScope = ALL_SITES): Promise<Heatmap> {
    return heatmap(this.db, query, scope);
  }

  async heatmapTable(query: HeatmapQuery, scope: SiteScope, language: Language): Promise<ReportTable> {
    return heatmapTable(
      await this.heatmap(query, scope),
      language,
      await this.timeZoneOf(query.siteId, scope),
    );
  }

  /**
   * The calendar a comparison needs, loaded fresh for each request (an edited holiday moves the next answer's base);
   * same date and same weekday need no holidays, so they skip the read.
   */
  private async calendarOf(query: {
    from: string;
    to: string;
    basis: CompareQuery['basis'];
    granularity?: CompareQuery['granularity'];
  }): Promise<ComparisonCalendar> {
    if (query.basis !== 'same_holiday_day' && query.granularity !== 'holiday') return plainCalendar;
    return this.calendars.calendarFor(rangeOf(query.from, query.to));
  }

  /** A site's own zone when it is named and in scope, else the installation's. */
  private async timeZoneOf(siteId: string | undefined, scope: SiteScope): Promise<string> {
    if (siteId === undefined || !coversSite(scope, siteId)) return this.deps.defaultTimeZone;
    return (await siteTimeZone(this.db, siteId)) ?? this.deps.defaultTimeZone;
  }
}
