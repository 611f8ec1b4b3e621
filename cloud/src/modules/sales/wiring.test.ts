/**
 * The sale chain is built once per app: every module of one app gets the same services, so a signing key rotated
 * through them signs the very next sale (a copy of its own would keep signing with the key it cached). On each
 * database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { databaseBackends } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { seedVenue, TYPES } from '../tickets/testing.js';
import { salesServices } from './wiring.js';

const SECRET = 'test-secret-test-secret-test-secret!';
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe.each(databaseBackends())('sales wiring on $name', (backend) => {
  let env: AuthTestApp;
  let n = 0;
  beforeEach(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: SECRET });
    await seedVenue(env.test.database.db);
  });
  afterEach(() => env.dispose());

  const sellOne = async (): Promise<number> => {
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': `wiring-${process.pid}-${++n}` },
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

  it('gives one set per database and config', () => {
    const context = { config: env.config, database: env.test.database };
    const services = salesServices(context);
    expect(salesServices({ ...context })).toBe(services);
    const otherConfig = loadConfig({ DATABASE_URL: env.test.url, CREDENTIAL_SECRET: SECRET });
    expect(salesServices({ ...context, config: otherConfig })).not.toBe(services);
  });

  it('is the set the sales routes use: a key rotated through it signs the next sale at once', async () => {
    const first = await sellOne();
    const { keys } = salesServices({ config: env.config, database: env.test.database });
    const rotated = await transaction(env.test.database.db, (trx) => keys.insertKey(trx));
    keys.forget();
    expect(rotated.keyId).not.toBe(first);
    expect(await sellOne()).toBe(rotated.keyId);
  });
});
