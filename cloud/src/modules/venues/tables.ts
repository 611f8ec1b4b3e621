/**
 * Table types for zones, windows and gates (migrations 20261125_1811xx–1813xx); part of db/schema.ts's Database.
 * The `sites` table itself is declared in schema.ts.
 */

export interface VenueTables {
  zones: ZonesTable;
  windows: WindowsTable;
  gates: GatesTable;
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
