/**
 * In-park occupancy (在园人数): persons in minus persons out per site and zone, per occupancy day. Passages move the
 * counters inside the ingestion's transaction (`apply`), so a counter changes exactly when its event is stored.
 * `inside` never goes below zero: an exit that would make it negative (an entry not yet delivered by an offline
 * gate, a visitor who came in without scanning) is clamped, counted in `clamped` and logged. Alert levels are
 * evaluated only for the current occupancy day; a late event for an earlier day updates that day's figures silently.
 *
 * Automatic check-out (自动清场, a site's `autoCheckoutAt`; protocol rules/auto-checkout.ts): once a day, at the site's
 * local check-out time, everyone still inside counts as having left. The run sets `inside` of the site and of each
 * zone to the persons who came in after the check-out instant and have not left (0 when it runs on time), records
 * the run (auto_checkout_runs: one per site and local day, so it never runs twice) with how many it checked out, and
 * from then on a passage from before the instant that arrives late (an offline gate) moves entries or exits but
 * not `inside`: the check-out already counted it. No exit rows are written into passage_events: those are facts a
 * gate reported (reports, the hourly entries, a ticket's history and conflicts read them), and a made-up exit per
 * person would be a passage that never happened. Tickets need no rewrite either: the gates and the cloud's online
 * validation apply the same check-out instant in the rules engine themselves, so a re-entry holder who was inside
 * may come back in without an exit (and no whitelist delta per ticket is sent at 22:00).
 * A run late by hours or days (the cloud was down) runs the latest check-out due, and only that one.
 */

import { checkoutMinute, latestCheckout } from '@scenic/protocol';
import { isUniqueViolation } from '../../db/constraint-errors.js';
import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import { ALL_SITES, assertSiteVisible, type SiteScope } from '../../platform/site-scope.js';
import { occupancyDay, venueClock } from './day.js';
import { type AlertLevel, nextLevel } from './levels.js';
import * as repo from './repo.js';
import { type OccupancyDb, occupancyTables } from './tables.js';

export interface OccupancySettings {
  /** Local hour a new occupancy day starts; null = never reset. */
  readonly resetHour: number | null;
  readonly hysteresisPct: number;
}

export interface OccupancyFigure {
  siteId: string;
  /** null = the whole site. */
  zoneId: string | null;
  day: string;
  entries: number;
  exits: number;
  inside: number;
  clamped: number;
  capacity: number | null;
  /** inside / capacity in %, one decimal; null without a capacity. */
  percent: number | null;
  level: number;
  updatedAt: number | null;
}

export interface OccupancyAlert {
  id: number;
  siteId: string;
  zoneId: string | null;
  day: string;
  fromLevel: number;
  toLevel: number;
  inside: number;
  capacity: number;
  at: number;
}

export interface Movement {
  readonly siteId: string;
  readonly zoneId: string;
  readonly at: number;
  readonly direction: 'in' | 'out';
  readonly persons: number;
}

/** One automatic check-out run (a fact: the site's check-out of one local day). */
export interface AutoCheckoutRun {
  siteId: string;
  /** Venue-local date `YYYY-MM-DD` whose check-out this was. */
  day: string;
  /** The check-out instant, epoch ms. */
  at: number;
  /** The occupancy day whose counters it set. */
  occupancyDay: string;
  /** Persons inside the site at the check-out instant who were checked out. */
  checkedOut: number;
  /** When it ran, epoch ms (later than `at` when it caught up). */
  ranAt: number;
}

export interface SiteOccupancy {
  siteId: string;
  day: string;
  site: OccupancyFigure;
  zones: OccupancyFigure[];
}

export class OccupancyService {
  private readonly db: OccupancyDb;

  constructor(
    db: Connection,
    private readonly settings: OccupancySettings,
    private readonly logger: {
      warn(details: object, message: string): void;
      info?(details: object, message: string): void;
    },
    private readonly now: () => number = Date.now,
  ) {
    this.db = occupancyTables(db);
  }

  /** Moves the site's and the zone's counters for one passage; call inside the passage's transaction. */
  async apply(
    trx: Connection,
    movement: Movement,
  ): Promise<{ figures: OccupancyFigure[]; alerts: OccupancyAlert[] }> {
    const [moved] = await this.applyAll(trx, [movement]);
    return moved ?? { figures: [], alerts: [] };
  }

  /**
   * Moves the counters for several passages in one transaction, with the same result as applying them one by one
   * in this order: each movement's figures are those right after it, and its alerts are the level changes it
   * caused. Each site's settings and each counter are read once and each changed counter written once, so a batch
   * of events costs a few statements instead of a few per event.
   */
  async applyAll(
    trx: Connection,
    movements: readonly Movement[],
  ): Promise<{ figures: OccupancyFigure[]; alerts: OccupancyAlert[] }[]> {
    const now = this.now();
    const sites = new Map<string, { settings: repo.SiteOccupancySettings | undefined; today: string }>();
    const counters = new Map<string, repo.CounterRow>();
    const loadedDays = new Set<string>();
    // Per site and occupancy day: the instant of its latest automatic check-out (null = none).
    const checkouts = new Map<string, number | null>();
    const changed = new Set<repo.CounterRow>();
    const results: { figures: OccupancyFigure[]; alerts: OccupancyAlert[] }[] = [];
    for (const movement of movements) {
      let site = sites.get(movement.siteId);
      if (!site) {
        const settings = await repo.occupancySettingsOf(trx, movement.siteId);
        const today = settings ? occupancyDay(now, settings.timeZone, this.settings.resetHour) : '';
        site = { settings, today };
        sites.set(movement.siteId, site);
      }
      const { settings, today } = site;
      if (!settings) {
        results.push({ figures: [], alerts: [] });
        continue;
      }
      const day = occupancyDay(movement.at, settings.timeZone, this.settings.resetHour);
      const siteDay = `${movement.siteId}\u0000${day}`;
      if (!loadedDays.has(siteDay)) {
        loadedDays.add(siteDay);
        const rows = await repo.countersOfSiteDayByZone(trx, movement.siteId, day);
        for (const [zoneId, row] of rows) counters.set(`${siteDay}\u0000${zoneId}`, row);
        checkouts.set(siteDay, await repo.lastCheckoutOfDay(trx, movement.siteId, day));
      }
      // From before the day's check-out, arriving late: counted, but whoever it moved was checked out since.
      const checkoutAt = checkouts.get(siteDay) ?? null;
      const checkedOut = checkoutAt !== null && movement.at <= checkoutAt;
      const scopes = [
        { zoneId: '', capacity: settings.siteCapacity },
        { zoneId: movement.zoneId, capacity: settings.zoneCapacity.get(movement.zoneId) ?? null },
      ];
      const figures: OccupancyFigure[] = [];
      const alerts: OccupancyAlert[] = [];
      for (const scope of scopes) {
        const key = `${siteDay}\u0000${scope.zoneId}`;
        const row = counters.get(key) ?? emptyRow(movement.siteId, scope.zoneId, day);
        const next = { ...row, updated_at: now };
        if (checkedOut) {
          if (movement.direction === 'in') next.entries += movement.persons;
          else next.exits += movement.persons;
        } else if (movement.direction === 'in') {
          next.entries += movement.persons;
          next.inside += movement.persons;
        } else {
          next.exits += movement.persons;
          const dropped = Math.max(0, movement.persons - row.inside);
          next.inside = row.inside - (movement.persons - dropped);
          if (dropped > 0) {
            next.clamped += dropped;
            // After the day's automatic check-out, the people it checked out walking out is what is expected.
            if (checkoutAt === null)
              this.logger.warn(
                { siteId: movement.siteId, zoneId: scope.zoneId || null, day, dropped },
                'occupancy exit clamped at zero',
              );
          }
        }
        if (day === today) {
          const level: AlertLevel = nextLevel(
            row.level,
            next.inside,
            scope.capacity,
            this.settings.hysteresisPct,
          );
          if (level !== row.level && scope.capacity !== null) {
            const alert = {
              site_id: movement.siteId,
              zone_id: scope.zoneId,
              day,
              from_level: row.level,
              to_level: level,
              inside: next.inside,
              capacity: scope.capacity,
              at: now,
            };
            const id = await repo.insertAlert(trx, alert);
            alerts.push(alertOf({ id, ...alert }));
          }
          next.level = level;
        }
        changed.delete(row);
        changed.add(next);
        counters.set(key, next);
        figures.push(figureOf(next, scope.capacity));
      }
      results.push({ figures, alerts });
    }
    for (const row of changed) await repo.upsertCounter(trx, row);
    return results;
  }

  /**
   * Runs every site's latest automatic check-out that has not run yet (the leader's job calls it every minute and
   * at start, so a run missed while the cloud was down catches up). Returns the runs made now.
   */
  async checkOutDue(): Promise<AutoCheckoutRun[]> {
    const now = this.now();
    const runs: AutoCheckoutRun[] = [];
    for (const site of await repo.sitesWithAutoCheckout(this.db)) {
      const minute = checkoutMinute(site.auto_checkout_at);
      if (minute === null) continue;
      try {
        const due = latestCheckout(venueClock(site.timezone), minute, now);
        const run = await this.checkOut(site.id, site.timezone, localDate(due.day), due.at);
        if (run) runs.push(run);
      } catch (error) {
        // One site's failure (e.g. a zone this runtime does not know) does not hold up the others.
        this.logger.warn({ err: error, siteId: site.id }, 'automatic check-out failed');
      }
    }
    return runs;
  }

  /**
   * The check-out of the site's local day `day` at instant `at`, unless that day's has run: in one transaction the
   * site's and zones' `inside` become the persons who came in after `at` and are still there (passages of the same
   * occupancy day), and the run is recorded. Null when the day's run exists (here or on another instance).
   */
  async checkOut(siteId: string, timeZone: string, day: string, at: number): Promise<AutoCheckoutRun | null> {
    try {
      return await transaction(this.db, async (trx) => {
        if (await repo.findCheckoutRun(trx, siteId, day)) return null;
        const now = this.now();
        const occupancy = occupancyDay(at, timeZone, this.settings.resetHour);
        const settings = await repo.occupancySettingsOf(trx, siteId);
        const rows = await repo.countersOfSiteDayByZone(trx, siteId, occupancy);
        // Who came in after the instant and is still inside, per zone and for the whole site (''): entries after it,
        // less the exits of the same tickets after their entry. An exit of a ticket with no entry after the instant
        // is someone who was inside at it (checked out already), and one without a ticket cannot be matched: both
        // leave the figure alone.
        const since = new Map<string, number>();
        const enteredSince = new Map<number, number>();
        for (const passage of await repo.sitePassagesAfter(trx, siteId, at)) {
          if (occupancyDay(passage.at, timeZone, this.settings.resetHour) !== occupancy) continue;
          const ticket = passage.ticket_id;
          let delta = 0;
          if (passage.direction === 'in') {
            delta = passage.persons;
            if (ticket !== null) enteredSince.set(ticket, (enteredSince.get(ticket) ?? 0) + passage.persons);
          } else if (ticket !== null) {
            delta = -Math.min(passage.persons, enteredSince.get(ticket) ?? 0);
            if (delta !== 0) enteredSince.set(ticket, (enteredSince.get(ticket) ?? 0) + delta);
          }
          for (const zoneId of ['', passage.zone_id]) since.set(zoneId, (since.get(zoneId) ?? 0) + delta);
        }
        const today = occupancyDay(now, timeZone, this.settings.resetHour);
        let checkedOut = 0;
        for (const row of rows.values()) {
          const inside = Math.min(row.inside, Math.max(0, since.get(row.zone_id) ?? 0));
          if (row.zone_id === '') checkedOut = row.inside - inside;
          if (inside === row.inside) continue;
          const capacity =
            row.zone_id === ''
              ? (settings?.siteCapacity ?? null)
              : (settings?.zoneCapacity.get(row.zone_id) ?? null);
          let level = row.level;
          if (occupancy === today) {
            level = nextLevel(row.level, inside, capacity, this.settings.hysteresisPct);
            if (level !== row.level && capacity !== null)
              await repo.insertAlert(trx, {
                site_id: siteId,
                zone_id: row.zone_id,
                day: occupancy,
                from_level: row.level,
                to_level: level,
                inside,
                capacity,
                at: now,
              });
          }
          await repo.upsertCounter(trx, { ...row, inside, level, updated_at: now });
        }
        const run = {
          site_id: siteId,
          day,
          at,
          occupancy_day: occupancy,
          checked_out: checkedOut,
          ran_at: now,
        };
        await repo.insertCheckoutRun(trx, run);
        this.logger.info?.({ siteId, day, at, checkedOut }, 'automatic check-out');
        return runOf(run);
      });
    } catch (error) {
      // Another instance recorded the same day's run first: it is done, once.
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** The site's latest automatic check-out runs, newest first. */
  async checkoutRuns(
    siteId: string,
    limit: number,
    scope: SiteScope = ALL_SITES,
  ): Promise<AutoCheckoutRun[]> {
    if ((await repo.siteTimeZone(this.db, siteId)) === undefined) throw notFound(siteId);
    assertSiteVisible(scope, siteId, () => notFound(siteId));
    return (await repo.listCheckoutRuns(this.db, siteId, limit)).map(runOf);
  }

  /** Today's figures (each site's own occupancy day) for one site or all, with every active zone. */
  async current(siteId?: string, scope: SiteScope = ALL_SITES): Promise<SiteOccupancy[]> {
    const now = this.now();
    const sites = await repo.sitesWithZones(this.db, siteId, scope);
    if (siteId !== undefined && sites.length === 0) throw notFound(siteId);
    const siteCapacities = await repo.allSiteCapacities(this.db);
    return Promise.all(
      sites.map(async (site) => {
        const day = occupancyDay(now, site.timezone, this.settings.resetHour);
        const rows = new Map((await repo.countersOfDay(this.db, site.id, day)).map((r) => [r.zone_id, r]));
        const figure = (zoneId: string, capacity: number | null) =>
          figureOf(rows.get(zoneId) ?? emptyRow(site.id, zoneId, day), capacity);
        return {
          siteId: site.id,
          day,
          site: figure('', siteCapacities.get(site.id) ?? null),
          zones: site.zones.map((z) => figure(z.id, z.capacity)),
        };
      }),
    );
  }

  async alerts(
    filter: {
      siteId?: string;
      from?: number;
      to?: number;
      limit: number;
    },
    scope: SiteScope = ALL_SITES,
  ): Promise<OccupancyAlert[]> {
    return (await repo.listAlerts(this.db, filter, scope)).map(alertOf);
  }

  /** Sets a site's in-park capacity (null = not limited); audited. */
  async setSiteCapacity(
    siteId: string,
    capacity: number | null,
    context: ChangeContext,
  ): Promise<{ siteId: string; capacity: number | null }> {
    return auditedTransaction(this.db, async (trx) => {
      if ((await repo.siteTimeZone(trx, siteId)) === undefined) throw notFound(siteId);
      assertSiteVisible(context.sites ?? ALL_SITES, siteId, () => notFound(siteId));
      const before = await repo.siteCapacity(trx, siteId);
      const now = this.now();
      await repo.setSiteCapacity(trx, siteId, capacity, now);
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'occupancy.capacity.set',
          entity: 'site',
          entityId: siteId,
          before: { capacity: before },
          after: { capacity },
          ip: context.ip,
        },
        now,
      );
      return { siteId, capacity };
    });
  }
}

function notFound(siteId: string): AppError {
  return new AppError('NOT_FOUND', { resource: { 'zh-CN': '景区', en: 'Site' }, id: siteId });
}

function emptyRow(siteId: string, zoneId: string, day: string): repo.CounterRow {
  return {
    site_id: siteId,
    zone_id: zoneId,
    day,
    entries: 0,
    exits: 0,
    inside: 0,
    clamped: 0,
    level: 0,
    updated_at: 0,
  };
}

function figureOf(row: repo.CounterRow, capacity: number | null): OccupancyFigure {
  return {
    siteId: row.site_id,
    zoneId: row.zone_id === '' ? null : row.zone_id,
    day: row.day,
    entries: row.entries,
    exits: row.exits,
    inside: row.inside,
    clamped: row.clamped,
    capacity,
    percent: capacity ? Math.round((row.inside * 1000) / capacity) / 10 : null,
    level: row.level,
    updatedAt: row.updated_at === 0 ? null : row.updated_at,
  };
}

function runOf(row: repo.CheckoutRunRow): AutoCheckoutRun {
  return {
    siteId: row.site_id,
    day: row.day,
    at: Number(row.at),
    occupancyDay: row.occupancy_day,
    checkedOut: Number(row.checked_out),
    ranAt: Number(row.ran_at),
  };
}

/** The `YYYY-MM-DD` of a local day number (days since 1970-01-01 in the venue's calendar). */
function localDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function alertOf(row: repo.AlertRow): OccupancyAlert {
  return {
    id: row.id,
    siteId: row.site_id,
    zoneId: row.zone_id === '' ? null : row.zone_id,
    day: row.day,
    fromLevel: row.from_level,
    toLevel: row.to_level,
    inside: row.inside,
    capacity: row.capacity,
    at: row.at,
  };
}
