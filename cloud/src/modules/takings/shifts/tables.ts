/** The shifts' scope on their tables (the types are ../shift-tables.ts, which db/schema.ts gathers). */
import { ownedTables } from '../../../db/scoped.js';
import type { ShiftTables } from '../shift-tables.js';

export * from '../shift-tables.js';

/** The only way to query these tables (db/scoped.ts). */
export const shiftTables = ownedTables<keyof ShiftTables>();
export type ShiftDb = ReturnType<typeof shiftTables>;
