/**
 * What tests outside this package (the end-to-end suites in test/e2e, which run the cloud's MQTT side with real gate
 * agent processes) use of the cloud, as the package export `@scenic/cloud/testing`: one list, so those suites
 * never reach into the cloud's folders by path and a move inside the cloud changes only this file.
 */

export type { Container } from './container.js';
export { restoreBackup } from './db/backup/restore.js';
export { takeBackup } from './db/backup/take.js';
export { emptyTarget } from './db/backup/testing.js';
export { openDatabase } from './db/database.js';
export type { Database } from './db/schema.js';
export { databaseBackends, type TestDatabase } from './db/testing.js';
export { transaction } from './db/transaction.js';
export type { CommandView } from './modules/commands/schemas.js';
export { CommandsService } from './modules/commands/service.js';
export type { CommandTargetInput } from './modules/commands/targets.js';
export { GateAccessService } from './modules/gate-access/service.js';
export {
  issueTicket,
  SYSTEM_CONTEXT,
  seedGateSite,
  signingKeys,
  TYPES,
} from './modules/gate-validation/testing.js';
export type { TicketHour } from './modules/passages/hourly.js';
export { addTicketHours } from './modules/passages/hourly.js';
export { recordTakings } from './modules/reports/testing.js';
export type { CloudMqtt } from './modules/services.js';
export type { TakingEntry } from './modules/takings/contract.js';
export { toTicketTypeRules } from './modules/ticket-types/gate-rules.js';
export { TicketTypesService } from './modules/ticket-types/service.js';
export { recordOf } from './modules/tickets/repo.js';
export { TicketsService } from './modules/tickets/service.js';
export { VenuesService } from './modules/venues/service.js';
export { startTestMqtt } from './mqtt/testing.js';
export { startTestCloud, testApp } from './testing/app.js';
