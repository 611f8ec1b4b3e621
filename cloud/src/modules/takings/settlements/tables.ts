/** The settlements' scope on their tables (the types are ../settlement-tables.ts, which db/schema.ts gathers). */
import { ownedTables } from '../../../db/scoped.js';
import type { SettlementTables } from '../settlement-tables.js';

export * from '../settlement-tables.js';

/** The only way to query these tables (db/scoped.ts). */
export const settlementTables = ownedTables<keyof SettlementTables>();
export type SettlementDb = ReturnType<typeof settlementTables>;
