/**
 * Table types for sites, zones, windows and gates (migrations 20261125_1811xx–1813xx); part of db/schema.ts's
 * Database. The venues module owns them: other modules read them through reads.ts or VenuesService.
 */
import type { Generated } from 'kysely';
import { ownedTables } from '../../db/scoped.js';

export interface VenueTables {
  sites: SitesTable;
  zones: ZonesTable;
  windows: WindowsTable;
  gates: GatesTable;
}

export const venueTables = ownedTables<keyof VenueTables>();
export type VenueDb = ReturnType<typeof venueTables>;

/** A venue (scenic area, park, museum, pool) run by this cloud; gates, capacity and sales hang off it. */
export interface SitesTable {
  id: string;
  name_zh: string;
  name_en: string;
  /** IANA time zone of the venue's local calendar (daily caps, opening hours), e.g. Asia/Shanghai. */
  timezone: string;
  /** Visitors admitted per local calendar day; null = no cap. */
  daily_capacity: number | null;
  /** Epoch milliseconds. */
  created_at: number;
  /** Epoch milliseconds (migration 20261125_181000); 0 when inserted without one. */
  updated_at: Generated<number>;
  /** JSON age discount rules, modules/venues/age-policy.ts; null = none (migration 20261125_181000). */
  age_policy: string | null;
  /**
   * Automatic check-out, local "HH:MM" (protocol rules/auto-checkout.ts); null = none (migration
   * 20261213_100000).
   */
  auto_checkout_at: Generated<string | null>;
}

export interface ZonesTable {
  site_id: string;
  id: string;
  name_zh: string;
  name_en: string;
  /** Visitors allowed inside at once (in-park occupancy); null = not limited. */
  capacity: number | null;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface WindowsTable {
  site_id: string;
  /** The window's code, unique within its site, e.g. `W01`. */
  id: string;
  name_zh: string;
  name_en: string;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface GatesTable {
  /** Unique across the installation: it appears in MQTT topics. */
  id: string;
  site_id: string;
  zone_id: string;
  direction: 'in' | 'out' | 'both';
  kind: 'tripod' | 'flap' | 'swing';
  name_zh: string;
  name_en: string;
  active: number;
  created_at: number;
  updated_at: number;
}
