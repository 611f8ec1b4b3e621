/**
 * In-park occupancy (在园人数): persons in minus persons out per site and zone, per occupancy day. Passages move the
 * counters inside the ingestion's transaction (`apply`), so a counter changes exactly when its event is stored.
 * `inside` never goes below zero: an exit that would make it negative (an entry not yet delivered by an offline
 * gate, a visitor who came in without scanning) is clamped, counted in `clamped` and logged. Alert levels are
 * evaluated only for the current occupancy day; a late event for an earlier day updates that day's figures silently.
 */

import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import { ALL_SITES, assertSiteVisible, type SiteScope } from '../../platform/site-scope.js';
import { occupancyDay } from './day.js';
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
    private readonly logger: { warn(details: object, message: string): void },
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
      }
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
        if (movement.direction === 'in') {
          next.entries += movement.persons;
          next.inside += movement.persons;
        } else {
          next.exits += movement.persons;
          const dropped = Math.max(0, movement.persons - row.inside);
          next.inside = row.inside - (movement.persons - dropped);
          if (dropped > 0) {
            next.clamped += dropped;
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
