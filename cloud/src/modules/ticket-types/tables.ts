/** Table types for ticket types, their versions and prices (migration 20261125_181400); part of db/schema.ts. */

import { ownedTables } from '../../db/scoped.js';
export interface TicketTypeTables {
  ticket_types: TicketTypesTable;
  ticket_type_versions: TicketTypeVersionsTable;
  ticket_type_prices: TicketTypePricesTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const ticketTypeTables = ownedTables<keyof TicketTypeTables>();
export type TicketTypeDb = ReturnType<typeof ticketTypeTables>;

export interface TicketTypesTable {
  /** The numeric type id (1–65535) carried in QR codes and gate rules. */
  id: number;
  site_id: string;
  code: string;
  current_version: number;
  active: number;
  created_at: number;
  updated_at: number;
}

/** Immutable: a change to a ticket type inserts the next version. */
export interface TicketTypeVersionsTable {
  type_id: number;
  version: number;
  name_zh: string;
  name_en: string;
  kind: string;
  entries: number | null;
  persons_min: number;
  persons_max: number;
  real_name: string;
  per_id_daily_limit: number | null;
  validity_json: string;
  rules_json: string;
  refund_json: string;
  age_discounts_json: string;
  created_at: number;
}

export interface TicketTypePricesTable {
  type_id: number;
  version: number;
  channel: string;
  price_fen: number;
}
