/**
 * The database as Kysely sees it: one interface per table, column names as in SQL. Keep in step with migrations/
 * (a migration adds or changes a table here in the same commit). Conventions: ./README.md.
 *
 * The one union of every module's tables, for the database handle, migrations and tests. Modules never query
 * through it: each owns its tables and queries through its own scope (scoped.ts).
 */

import type { AgencyTables } from '../modules/agencies/tables.js';
import type { CapacityTables } from '../modules/capacity/tables.js';
import type { CardTables } from '../modules/cards/tables.js';
import type { ChannelKeyTables } from '../modules/channel-keys/tables.js';
import type { CommLogTables } from '../modules/comm-log/tables.js';
import type { CommandTables } from '../modules/commands/tables.js';
import type { CustomerTables } from '../modules/customers/tables.js';
import type { GateAccessTables } from '../modules/gate-access/tables.js';
import type { GateConfigTables } from '../modules/gate-config/tables.js';
import type { GateStatusTables } from '../modules/gate-status/tables.js';
import type { ReservationTables } from '../modules/gate-validation/tables.js';
import type { GroupOrderTables } from '../modules/group-orders/tables.js';
import type { HolidayTables } from '../modules/holidays/tables.js';
import type { OccupancyTables } from '../modules/occupancy/tables.js';
import type { PassageTables } from '../modules/passages/tables.js';
import type { PointsTables } from '../modules/points/tables.js';
import type { RefundTables } from '../modules/refunds/tables.js';
import type { SaleTables } from '../modules/sales/tables.js';
import type { SigningKeyTables } from '../modules/signing-keys/tables.js';
import type { StockTables } from '../modules/stock/tables.js';
import type { SupplementTables } from '../modules/supplements/tables.js';
import type { SettlementTables } from '../modules/takings/settlement-tables.js';
import type { ShiftTables } from '../modules/takings/shift-tables.js';
import type { TakingTables } from '../modules/takings/tables.js';
import type { TicketTypeTables } from '../modules/ticket-types/tables.js';
import type { TicketTables } from '../modules/tickets/tables.js';
import type { VenueTables } from '../modules/venues/tables.js';
import type { WebhookTables } from '../modules/webhooks/tables.js';
import type { AuditTables } from '../platform/audit/tables.js';
import type { AuthTables } from '../platform/auth/tables.js';
import { ownedTables } from './scoped.js';

export const appMetaTables = ownedTables<'app_meta'>();

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
    SigningKeyTables,
    SaleTables,
    CardTables,
    RefundTables,
    SupplementTables,
    TakingTables,
    ShiftTables,
    SettlementTables,
    ChannelKeyTables,
    WebhookTables,
    AgencyTables,
    CustomerTables,
    PointsTables,
    GroupOrderTables,
    HolidayTables {
  app_meta: AppMetaTable;
}

/**
 * Small key/value facts about this installation (today the second-approval threshold); owned by the platform and
 * queried through `appMetaTables` only.
 */
export interface AppMetaTable {
  key: string;
  value: string;
  /** Epoch milliseconds. */
  updated_at: number;
}
