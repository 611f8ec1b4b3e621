/**
 * The API's types for the web console (`@scenic/cloud/api-types`), read from the same zod schemas and services that
 * validate and answer the requests, so the console cannot drift from the API without a compile error. Types only:
 * the console imports nothing of the cloud's code (import rule `console-takes-only-types-from-cloud`).
 */
import type { z } from 'zod';
import type { meSchema } from './platform/auth/schemas.js';

export type { GateStatus } from './modules/gate-status/hub.js';
export type { OccupancyAlert, OccupancyFigure, SiteOccupancy } from './modules/occupancy/service.js';
export type { Permission } from './platform/permissions.js';

export type Me = z.infer<typeof meSchema>;

export type {
  Availability,
  Calendar as CapacityCalendar,
  CalendarDay as CapacityCalendarDay,
  CreateSlots,
  Slot as CapacitySlot,
} from './modules/capacity/schemas.js';
export type { ImportRejection as StockImportRejection } from './modules/stock/intake.js';
export type {
  Batch as StockBatch,
  BatchCode as StockBatchCode,
  BatchCodePage as StockBatchCodePage,
  BatchReconciliation as StockBatchReconciliation,
  Cashier as StockCashier,
  CashierBalance as StockCashierBalance,
  CodeDetail as StockCodeDetail,
  CreatedBatch as StockCreatedBatch,
  Moved as StockMoved,
  Movement as StockMovement,
  MyBalance as StockMyBalance,
  Reconciliation as StockReconciliation,
  WarehouseBalance as StockWarehouseBalance,
} from './modules/stock/schemas.js';
export type { FeeRate } from './modules/supplements/schemas.js';
export type { SalesChannel } from './modules/ticket-types/channels.js';
export type {
  AgeDiscounts,
  CreateTicketType,
  Definition as TicketTypeDefinition,
  GateRules,
  RefundPolicy,
  TicketKind,
  TicketType,
  TicketTypeVersion,
  UpdateTicketType,
  Validity,
} from './modules/ticket-types/schemas.js';
export type { AgeRule } from './modules/venues/age-policy.js';
// Catalog and stock: ticket types and their versions, fee rates, capacity, pre-printed stock.
export type { Gate, Site, Zone } from './modules/venues/schemas.js';
