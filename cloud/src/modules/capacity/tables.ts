/** Table types for daily capacity and timed-entry slots (migration 20261125_183000); part of db/schema.ts. */

import { ownedTables } from '../../db/scoped.js';
export interface CapacityTables {
  capacity_days: CapacityDaysTable;
  capacity_slots: CapacitySlotsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const capacityTables = ownedTables<keyof CapacityTables>();
export type CapacityDb = ReturnType<typeof capacityTables>;

/** Persons sold for one venue-local day; the cap is the site's daily_capacity. Created on the first sale. */
export interface CapacityDaysTable {
  site_id: string;
  /** Venue-local day number (days since 1970-01-01 in the site's zone). */
  day: number;
  sold: number;
}

/** A timed-entry slot (分时段) of one local day. */
export interface CapacitySlotsTable {
  id: string;
  site_id: string;
  day: number;
  /** Minutes since local midnight, [start, end). */
  start_minute: number;
  end_minute: number;
  /** The same bounds as epoch ms in the site's zone at creation. */
  start_at: number;
  end_at: number;
  cap: number;
  sold: number;
  created_at: number;
  updated_at: number;
}
