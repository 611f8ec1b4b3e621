/** Table types for the holiday calendar (migration 20261212_120000); part of db/schema.ts. */
import { ownedTables } from '../../db/scoped.js';

export interface HolidayTables {
  holidays: HolidaysTable;
}

/** The only way to query this table (db/scoped.ts). */
export const holidayTables = ownedTables<keyof HolidayTables>();

export type HolidayKind = 'holiday' | 'workday_swap';

export interface HolidaysTable {
  /** `cn-<year>-<code>` for the seeded calendar, a UUID for what a venue adds. */
  id: string;
  /** The holiday across years (`spring_festival`), what year-on-year comparisons match by. */
  code: string;
  name_zh: string;
  name_en: string;
  /** The holiday's year, even when its break starts in the December before. */
  year: number;
  /** Venue day numbers (days since 1970-01-01), inclusive. */
  first_day: number;
  last_day: number;
  kind: HolidayKind;
  note: string | null;
  created_at: number;
  updated_at: number;
}
