/**
 * The database as Kysely sees it: one interface per table, column names as in SQL. Keep in step with migrations/
 * (a migration adds or changes a table here in the same commit). Conventions: ./README.md.
 */

import type { Generated } from 'kysely';
import type { CapacityTables } from '../modules/capacity/tables.js';
import type { CommLogTables } from '../modules/comm-log/tables.js';
import type { CommandTables } from '../modules/commands/tables.js';
import type { GateAccessTables } from '../modules/gate-access/tables.js';
import type { GateConfigTables } from '../modules/gate-config/tables.js';
import type { GateStatusTables } from '../modules/gate-status/tables.js';
import type { OccupancyTables } from '../modules/occupancy/tables.js';
import type { PassageTables } from '../modules/passages/tables.js';
import type { RefundTables } from '../modules/refunds/tables.js';
import type { SaleTables } from '../modules/sales/tables.js';
import type { StockTables } from '../modules/stock/tables.js';
import type { SupplementTables } from '../modules/supplements/tables.js';
import type { TicketTypeTables } from '../modules/ticket-types/tables.js';
import type { ReservationTables } from '../modules/tickets/reservation-tables.js';
import type { TicketTables } from '../modules/tickets/tables.js';
import type { VenueTables } from '../modules/venues/tables.js';
import type { AuditTables } from '../platform/audit/tables.js';
import type { AuthTables } from '../platform/auth/tables.js';

export interface Database
  extends AuthTables,
    AuditTables,
    VenueTables,
    TicketTypeTables,
    GateAccessTables,
    GateConfigTables,
    ReservationTables,
    GateStatusTables,
    CommLogTables,
    CommandTables,
    PassageTables,
    OccupancyTables,
    StockTables,
    CapacityTables,
    TicketTables,
    SaleTables,
    RefundTables,
    SupplementTables {
  sites: SitesTable;
  app_meta: AppMetaTable;
}

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
}

/** Small key/value facts about this installation (e.g. when it was set up), readable by any module. */
export interface AppMetaTable {
  key: string;
  value: string;
  /** Epoch milliseconds. */
  updated_at: number;
}
