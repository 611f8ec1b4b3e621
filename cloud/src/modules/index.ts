/**
 * Every route module, registered by app.ts in this order. A new domain adds its `modules/<domain>/routes.ts`
 * (thin routes calling its service) and one line here.
 */
import { healthModule } from './health/routes.js';
import type { AppModule } from './module.js';
import { ticketTypesModule } from './ticket-types/routes.js';
import { venuesModule } from './venues/routes.js';

export const modules: readonly AppModule[] = [healthModule, venuesModule, ticketTypesModule];
