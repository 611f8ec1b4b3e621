/**
 * Table types of the day and month settlements (migration 20261212_110000); part of db/schema.ts. The settlements
 * query them through `settlementTables` (settlements/tables.ts).
 */
export interface SettlementTables {
  settlement_days: SettlementDaysTable;
  settlement_months: SettlementMonthsTable;
}

/** A site's closed day (日结): its report frozen when it closed. */
export interface SettlementDaysTable {
  site_id: string;
  day: number;
  closed_at: number;
  closed_by_id: string | null;
  closed_by_username: string;
  /** The day's report as it closed: what the report route answers for a closed day, byte for byte. */
  report_json: string;
  /** The day's own takings figures at the close (the rollups then), against which later takings are found. */
  figures_json: string;
  /** Takings of this day recorded after its close, already carried into a later closed day. */
  carried_out_json: string;
  /** 1 while takings of this day may still be recorded (it closed before it ended), so later closes look at it. */
  late_open: number;
}

/** A site's closed month (月结). */
export interface SettlementMonthsTable {
  site_id: string;
  /** `YYYY-MM`. */
  month: string;
  closed_at: number;
  closed_by_id: string | null;
  closed_by_username: string;
  report_json: string;
}
