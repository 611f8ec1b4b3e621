import type { Generated } from 'kysely';
import { ownedTables } from '../../db/scoped.js';

/** Table types of the occupancy module (migration 20261125_185200); part of db/schema.ts's Database. */
export interface OccupancyTables {
  occupancy_counters: OccupancyCountersTable;
  occupancy_alerts: OccupancyAlertsTable;
  site_occupancy_settings: SiteOccupancySettingsTable;
  auto_checkout_runs: AutoCheckoutRunsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const occupancyTables = ownedTables<keyof OccupancyTables>();
export type OccupancyDb = ReturnType<typeof occupancyTables>;

/** One row per site (zone_id '' = the whole site) or zone, per occupancy day. */
export interface OccupancyCountersTable {
  site_id: string;
  zone_id: string;
  /** Venue-local occupancy day `YYYY-MM-DD`, or '' when occupancy never resets. */
  day: string;
  /** Persons in and out, as reported. */
  entries: number;
  exits: number;
  /** Persons inside: entries − exits, clamped at 0 as events arrive. */
  inside: number;
  /**
   * Exit persons that would have made `inside` negative and were dropped (also people checked out by the day's
   * automatic check-out walking out after it).
   */
  clamped: number;
  /** Alert level: 0, 80, 90 or 95 (% of capacity). */
  level: number;
  updated_at: number;
}

export interface OccupancyAlertsTable {
  id: Generated<number>;
  site_id: string;
  zone_id: string;
  day: string;
  from_level: number;
  to_level: number;
  inside: number;
  capacity: number;
  at: number;
}

export interface SiteOccupancySettingsTable {
  site_id: string;
  /** People inside at once; null = not limited. */
  capacity: number | null;
  updated_at: number;
}

/**
 * One automatic check-out run per site and local day (migration 20261213_100000): the primary key makes a second
 * run of the same day impossible, whichever instance or restart tries.
 */
export interface AutoCheckoutRunsTable {
  site_id: string;
  /** The venue-local date `YYYY-MM-DD` whose check-out this was. */
  day: string;
  /** The check-out instant (protocol rules/auto-checkout.ts), epoch ms; the run may come later (catch-up). */
  at: number;
  /** The occupancy day whose counters it set (occupancy/day.ts). */
  occupancy_day: string;
  /** Persons still inside the site at `at` who were checked out. */
  checked_out: number;
  /** When the run happened, epoch ms. */
  ran_at: number;
}
