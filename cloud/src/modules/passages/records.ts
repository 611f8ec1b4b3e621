/**
 * Reading the stored passages and denials (通行记录) for the staff console: the list, newest first with keyset
 * paging; one business day's figures per site; and the item shape the push stream sends. A business day is a site's
 * local calendar date, midnight to midnight in the site's own time zone (capacity/local-time.ts); without a site
 * "today" is the date in the installation's VENUE_TIMEZONE.
 */

import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import { clockOf, dayOfIsoDate, instantOf, isoDateOfDay } from '../capacity/local-time.js';
import { siteTimeZones } from '../venues/reads.js';
import { decodePassageCursor, encodePassageCursor } from './cursor.js';
import * as repo from './repo.js';
import type { ListPassagesQuery, PassageItem, PassageSummary } from './schemas.js';

const SITE = { 'zh-CN': '景区', en: 'Site' };

/** The API's view of a stored event. */
export function passageItem(event: repo.ListedEvent): PassageItem {
  return {
    eventId: event.event_id,
    kind: event.kind,
    siteId: event.site_id,
    zoneId: event.zone_id,
    gateId: event.gate_id,
    ticketId: event.ticket_id,
    credentialKind: event.credential_kind,
    direction: event.direction,
    persons: event.persons,
    at: event.at,
    receivedAt: event.received_at,
    decidedOffline: event.decided_offline === null ? null : event.decided_offline === 1,
    entriesLeft: event.entries_left,
    unconfirmed: event.unconfirmed === 1,
    reason: event.reason,
    conflict: event.conflict,
    overdraft: event.overdraft,
  };
}

type Figures = Pick<PassageSummary, 'entries' | 'exits' | 'denials' | 'denialsByReason' | 'conflicts'>;

export class PassageRecords {
  constructor(
    private readonly db: Connection,
    private readonly options: { readonly timeZone: string; readonly now: () => number },
  ) {}

  /** One page, newest first; `next` is the cursor of the following page, null on the last one. */
  /** Of the sites in `scope` only. */
  async list(
    query: ListPassagesQuery,
    scope: SiteScope = ALL_SITES,
  ): Promise<{ items: PassageItem[]; next: string | null }> {
    const { before, limit, ...filter } = query;
    const cursor = before === undefined ? undefined : decodePassageCursor(before);
    // One row more than asked says whether another page follows (no empty last page).
    const rows = await repo.listEvents(this.db, filter, cursor, limit + 1, scope);
    const kept = rows.slice(0, limit);
    const last = kept.at(-1);
    return {
      items: kept.map(passageItem),
      next: rows.length > limit && last ? encodePassageCursor(last.at, last.event_id) : null,
    };
  }

  /**
   * Entries, exits and denials of one business day, per site and in total, from one aggregate statement. Each site
   * counts the events of its own local day; the sites listed are those of the registry (one, or all).
   */
  async summary(
    query: { date?: string; siteId?: string },
    scope: SiteScope = ALL_SITES,
  ): Promise<PassageSummary> {
    const sites = await siteTimeZones(this.db, query.siteId, scope);
    if (query.siteId !== undefined && sites.length === 0)
      throw new AppError('NOT_FOUND', { resource: SITE, id: query.siteId });
    // The request's date is a real calendar date (schemas.ts); today is the site's, or the installation's.
    const today = () =>
      clockOf(query.siteId === undefined ? this.options.timeZone : sites[0]!.timezone).dayNumber(
        this.options.now(),
      );
    const day = (query.date === undefined ? undefined : dayOfIsoDate(query.date)) ?? today();
    const windows = new Map<string, repo.DayWindow & { siteIds: string[] }>();
    for (const site of sites) {
      let window = windows.get(site.timezone);
      if (!window) {
        window = {
          siteIds: [],
          from: instantOf(day, 0, site.timezone),
          to: instantOf(day + 1, 0, site.timezone),
        };
        windows.set(site.timezone, window);
      }
      window.siteIds.push(site.id);
    }
    const rows = await repo.dayTotals(this.db, [...windows.values()]);
    const perSite = sites.map((site) => {
      const window = windows.get(site.timezone)!;
      return {
        siteId: site.id,
        timeZone: site.timezone,
        from: window.from,
        to: window.to,
        ...figuresOf(rows.filter((row) => row.siteId === site.id)),
      };
    });
    return { date: isoDateOfDay(day), ...figuresOf(rows), sites: perSite };
  }
}

function figuresOf(rows: readonly repo.DayTotalsRow[]): Figures {
  let entries = 0;
  let exits = 0;
  let denials = 0;
  let conflicts = 0;
  const byReason = new Map<string, number>();
  for (const row of rows) {
    conflicts += row.conflicts;
    if (row.kind === 'passage') {
      if (row.direction === 'in') entries += row.persons;
      else exits += row.persons;
    } else {
      denials += row.events;
      const reason = row.reason ?? 'UNKNOWN';
      byReason.set(reason, (byReason.get(reason) ?? 0) + row.events);
    }
  }
  const denialsByReason = [...byReason]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  return { entries, exits, denials, denialsByReason, conflicts };
}
