/**
 * The composition root builds every service once: the route modules of one app share them, so a signing key rotated
 * through the container's keys signs the very next sale (a copy of its own would keep signing with the key it
 * cached), and two containers share nothing. On each database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { type Container, createContainer } from './container.js';
import { databaseBackends, type TestDatabase } from './db/testing.js';
import { transaction } from './db/transaction.js';
import { seedVenue, TYPES } from './modules/tickets/testing.js';
import { createRoleOperators } from './platform/auth/testing.js';
import { silentLogger } from './testing/app.js';

const SECRET = 'test-secret-test-secret-test-secret!';
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe.each(databaseBackends())('the container on $name', (backend) => {
  let test: TestDatabase;
  let container: Container;
  let n = 0;
  beforeEach(async () => {
    test = await backend.create();
    const config = loadConfig({ DATABASE_URL: test.url, CREDENTIAL_SECRET: SECRET });
    container = await createContainer({ config, database: test.database, logger: silentLogger });
    await seedVenue(test.database.db);
  });
  afterEach(async () => {
    await container.close();
    await test.dispose();
  });

  it('builds each service once, wired to the same instances', async () => {
    const { services } = container;
    const other = await createContainer({
      config: container.config,
      database: test.database,
      logger: silentLogger,
    });
    expect(other.services.keys).not.toBe(services.keys);
    expect(other.services.sales).not.toBe(services.sales);
    // Services that depend on one another hold the container's one instance.
    expect((services.credentialKeys as unknown as { keys: unknown }).keys).toBe(services.keys);
    expect((services.gateConfig as unknown as { types: unknown }).types).toBe(services.ticketTypes);
    expect((services.gateValidation as unknown as { types: unknown }).types).toBe(services.ticketTypes);
    // The passage stream listens on the hub the ingestion announces to.
    expect((services.passages as unknown as { hub: unknown }).hub).toBe(services.passageHub);
  });

  it('is what the routes use: a key rotated through it signs the next sale at once', async () => {
    const app = await buildApp(container);
    await container.services.operators.seedRoles();
    const operators = await createRoleOperators(test, container.config);
    const sellOne = async (): Promise<number> => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/sales',
        headers: {
          authorization: `Bearer ${operators.cashier.token}`,
          'idempotency-key': `c-${process.pid}-${++n}`,
        },
        payload: {
          siteId: 'park',
          windowId: 'W01',
          lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: tomorrow() }],
          payments: [{ method: 'cash', amountFen: 10_000 }],
        },
      });
      expect(response.statusCode).toBe(201);
      return response.json().tickets[0].keyId;
    };
    try {
      const first = await sellOne();
      const { keys } = container.services;
      const rotated = await transaction(test.database.db, (trx) => keys.insertKey(trx));
      keys.forget();
      expect(rotated.keyId).not.toBe(first);
      expect(await sellOne()).toBe(rotated.keyId);
    } finally {
      await app.close();
    }
  });
});
