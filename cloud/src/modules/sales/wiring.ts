/**
 * The sale chain — venues → ticket types → capacity → tickets → signing keys → sales, refunds, supplements — built
 * once per app and shared by the modules that sell, refund, supplement, look up and print.
 *
 * Once, because two links keep caches: TicketTypesService keeps the ticket type versions it has read, and SigningKeys
 * the signing key for up to CACHE_MS. A copy per module would still be correct (a committed version never changes; a
 * key rotated elsewhere is picked up within CACHE_MS, which retirement waits out), but each copy would read, decrypt
 * and hold the same things again and warm up on its own. The ticket-types module keeps its own instance (it forgets
 * its own cache entries; a committed version never changes). The credential-keys module rotates through these
 * SigningKeys, so a rotation reaches the very next sale of this process.
 *
 * Route modules are separate Fastify plugins and share nothing but their options, so the set is kept per database
 * handle and config: every module of one app gets the same set, another app its own.
 */
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/database.js';
import { AuthService } from '../../platform/auth/service.js';
import { CapacityService } from '../capacity/service.js';
import { RefundsService } from '../refunds/service.js';
import { SigningKeys } from '../signing-keys/keys.js';
import { credentialSecrets } from '../signing-keys/secrets.js';
import { SupplementsService } from '../supplements/service.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { TicketsService } from '../tickets/service.js';
import { VenuesService } from '../venues/service.js';
import { type SalesDependencies, SalesService } from './service.js';

/**
 * The sales' own dependencies (the secrets are read on first use, so a cloud that never sells creates no file) and
 * the services built on them.
 */
export interface SalesServices extends SalesDependencies {
  readonly auth: AuthService;
  readonly sales: SalesService;
  readonly refunds: RefundsService;
  readonly supplements: SupplementsService;
}

const built = new WeakMap<DatabaseHandle, WeakMap<Config, SalesServices>>();

export function salesServices({
  config,
  database,
}: {
  readonly config: Config;
  readonly database: DatabaseHandle;
}): SalesServices {
  let byConfig = built.get(database);
  if (!byConfig) {
    byConfig = new WeakMap();
    built.set(database, byConfig);
  }
  let services = byConfig.get(config);
  if (!services) {
    services = build(config, database);
    byConfig.set(config, services);
  }
  return services;
}

function build(config: Config, database: DatabaseHandle): SalesServices {
  const db = database.db;
  const venues = new VenuesService(db);
  const ticketTypes = new TicketTypesService(db, venues);
  const capacity = new CapacityService(db, venues);
  const tickets = new TicketsService(db);
  const secrets = () => credentialSecrets(config.credentials);
  const keys = new SigningKeys(db, secrets);
  const auth = new AuthService(db, config.auth);
  const sales = new SalesService(db, { venues, ticketTypes, capacity, tickets, keys, secrets });
  const refunds = new RefundsService(db, { sales, tickets, ticketTypes, capacity, venues, auth });
  const supplements = new SupplementsService(db, { venues, ticketTypes, capacity, tickets, keys, auth });
  return { venues, ticketTypes, capacity, tickets, keys, secrets, auth, sales, refunds, supplements };
}
