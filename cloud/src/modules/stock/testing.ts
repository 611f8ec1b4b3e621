/**
 * A small venue for stock tests: one site, two ticket types (1 adult, 2 child), two cashiers who may sell and one
 * gate attendant who may not, and a StockService over it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { seedRoles } from '../../platform/auth/roles-seed.js';
import { insertTestOperator } from '../../platform/auth/testing.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { createTicketTypeSchema } from '../ticket-types/schemas.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { createSiteSchema } from '../venues/schemas.js';
import { VenuesService } from '../venues/service.js';
import { StockService, type StockServiceOptions } from './service.js';

export const ADULT = 1;
export const CHILD = 2;

export interface StockFixture {
  readonly stock: StockService;
  readonly ticketTypes: TicketTypesService;
  readonly manager: ChangeContext;
  readonly cashiers: readonly [string, string];
  readonly gateStaff: string;
}

export async function createStockFixture(
  db: Kysely<Database>,
  options: StockServiceOptions = {},
): Promise<StockFixture> {
  await seedRoles(db);
  const manager: ChangeContext = { actor: { id: null, username: 'stock-test' }, ip: null };
  const venues = new VenuesService(db);
  const ticketTypes = new TicketTypesService(db, venues);
  await venues.createSite(createSiteSchema.parse({ id: 'park', name: { zh: '公园', en: 'Park' } }), manager);
  for (const [typeId, code] of [
    [ADULT, 'ADULT'],
    [CHILD, 'CHILD'],
  ] as const) {
    await ticketTypes.create(
      createTicketTypeSchema.parse({
        typeId,
        siteId: 'park',
        code,
        name: { zh: code, en: code },
        kind: 'single',
        prices: { window: 5000 },
      }),
      manager,
    );
  }
  const cashiers = [
    await insertTestOperator(db, 'cashier_a', 'cashier'),
    await insertTestOperator(db, 'cashier_b', 'cashier'),
  ] as const;
  const gateStaff = await insertTestOperator(db, 'gate_a', 'gate_staff');
  return { stock: new StockService(db, ticketTypes, options), ticketTypes, manager, cashiers, gateStaff };
}
