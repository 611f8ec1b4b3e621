/**
 * Table ownership in the cloud's source (table-scopes.ts): scopes are declared in tables.ts files only, and the joins
 * across owners are exactly the read models listed here. A new one is added to READ_MODELS deliberately (and to
 * ARCHITECTURE.md's table of owners).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSources, scanTableScopes } from './table-scopes.js';

const CLOUD_SRC = fileURLToPath(new URL('../../cloud/src', import.meta.url));

const READ_MODELS = [
  "modules/capacity/repo.ts: 'capacity_days' | 'sites'",
  "modules/gate-config/repo.ts: 'gate_configs' | 'gates'",
  "modules/gate-validation/repo.ts: 'gate_configs' | 'gates' | 'sites'",
  "modules/occupancy/repo.ts: 'passage_events'",
  "modules/occupancy/repo.ts: 'site_occupancy_settings' | 'sites' | 'zones'",
  "modules/passages/hourly.ts: 'passage_hourly_entries' | 'tickets'",
  "modules/sales/repo.ts: 'capacity_slots' | 'sale_lines' | 'ticket_type_versions'",
  "modules/stock/repo.ts: 'operators' | 'stock_codes'",
  "modules/tickets/repo.ts: 'ticket_type_versions' | 'tickets'",
];

describe('table scopes', () => {
  it('declares scopes only in tables.ts files and crosses owners only through the listed read models', () => {
    const scopes = scanTableScopes(readSources(CLOUD_SRC));
    expect(scopes.strayScopes).toEqual([]);
    expect(scopes.readModels).toEqual(READ_MODELS);
  });

  it('finds a scope declared outside tables.ts and an unlisted read model, skipping tests, helpers and comments', () => {
    const scopes = scanTableScopes([
      {
        path: 'modules/venues/tables.ts',
        text: 'export const venueTables = ownedTables<keyof VenueTables>();',
      },
      { path: 'db/schema.ts', text: "export const appMetaTables = ownedTables<'app_meta'>();" },
      {
        path: 'modules/reports/repo.ts',
        text: [
          "const mine = ownedTables<'sales'>();",
          "const salesByGate = readModel<'sales' | 'gates'>();",
          '/** Declared with `readModel<…>()` and `ownedTables<…>()`. */',
          "// readModel<'tickets'>() in a comment",
        ].join('\n'),
      },
      { path: 'modules/reports/repo.test.ts', text: "const x = readModel<'tickets' | 'gates'>();" },
      { path: 'modules/reports/testing.ts', text: "const y = ownedTables<'tickets'>();" },
      { path: 'modules/reports/testing/seed.ts', text: "const z = readModel<'tickets' | 'sales'>();" },
      { path: 'db/scoped.ts', text: 'export function readModel<K extends TableName>(): TableScope<K> {}' },
    ]);
    expect(scopes.strayScopes).toEqual(["modules/reports/repo.ts: 'sales'"]);
    expect(scopes.readModels).toEqual(["modules/reports/repo.ts: 'gates' | 'sales'"]);
  });
});
