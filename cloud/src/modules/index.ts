/**
 * Every route module, registered by app.ts in this order. A new domain adds its `modules/<domain>/routes.ts`
 * (thin routes calling its service) and one line here.
 */

import { authModule } from '../platform/auth/routes.js';
import { agenciesModule } from './agencies/routes.js';
import { auditModule } from './audit/routes.js';
import { capacityModule } from './capacity/routes.js';
import { cardReturnsModule, cardsModule } from './cards/routes.js';
import { channelModule } from './channel/routes.js';
import { channelKeysModule } from './channel-keys/routes.js';
import { commLogModule } from './comm-log/routes.js';
import { commandsModule } from './commands/routes.js';
import { customersModule } from './customers/routes.js';
import { gateAccessModule } from './gate-access/routes.js';
import { gateConfigModule } from './gate-config/routes.js';
import { gateStatusModule } from './gate-status/routes.js';
import { groupOrdersModule } from './group-orders/routes.js';
import { healthModule } from './health/routes.js';
import { holidaysModule } from './holidays/routes.js';
import { liveStatusModule } from './live-status/routes.js';
import { lookupModule } from './lookup/routes.js';
import { metricsModule } from './metrics/routes.js';
import type { AppModule } from './module.js';
import { occupancyModule } from './occupancy/routes.js';
import { operatorsModule } from './operators/routes.js';
import { passagesModule } from './passages/routes.js';
import { pointsModule } from './points/routes.js';
import { printingModule } from './printing/routes.js';
import { refundsModule } from './refunds/routes.js';
import { reportsModule } from './reports/routes.js';
import { salesModule } from './sales/routes.js';
import { signingKeysModule } from './signing-keys/routes.js';
import { stockModule } from './stock/routes.js';
import { supplementsModule } from './supplements/routes.js';
import { settlementsModule } from './takings/settlements/routes.js';
import { shiftsModule } from './takings/shifts/routes.js';
import { ticketTypesModule } from './ticket-types/routes.js';
import { ticketsModule } from './tickets/routes.js';
import { venuesModule } from './venues/routes.js';
import { webhooksModule } from './webhooks/routes.js';
import { whitelistSyncModule } from './whitelist-sync/routes.js';

export const modules: readonly AppModule[] = [
  healthModule,
  authModule,
  operatorsModule,
  auditModule,
  venuesModule,
  ticketTypesModule,
  gateAccessModule,
  gateStatusModule,
  gateConfigModule,
  whitelistSyncModule,
  commLogModule,
  commandsModule,
  occupancyModule,
  liveStatusModule,
  passagesModule,
  metricsModule,
  capacityModule,
  stockModule,
  ticketsModule,
  salesModule,
  printingModule,
  refundsModule,
  cardsModule,
  cardReturnsModule,
  supplementsModule,
  groupOrdersModule,
  lookupModule,
  signingKeysModule,
  channelKeysModule,
  channelModule,
  webhooksModule,
  agenciesModule,
  customersModule,
  pointsModule,
  holidaysModule,
  shiftsModule,
  settlementsModule,
  reportsModule,
];
