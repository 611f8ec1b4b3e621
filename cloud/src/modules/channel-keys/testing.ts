/**
 * Tests of the channel API: an app on a fresh database with the seed roles, one operator per role, two sites (`park`
 * with a daily cap, `lake`), and a clock the test can move (`advance`), read by every service.
 */
import { type App, buildApp } from '../../app.js';
import { type Config, loadConfig } from '../../config.js';
import { createContainer } from '../../container.js';
import type { DatabaseBackend, TestDatabase } from '../../db/testing.js';
import { seedRoles } from '../../platform/auth/roles-seed.js';
import { createRoleOperators, type TestOperator } from '../../platform/auth/testing.js';
import type { SeedRole } from '../../platform/permissions.js';
import { silentLogger } from '../../testing/app.js';
import type { CloudServices } from '../services.js';

export interface ChannelTestApp {
  readonly app: App;
  readonly test: TestDatabase;
  readonly config: Config;
  readonly services: CloudServices;
  readonly operators: Readonly<Record<SeedRole, TestOperator>>;
  as(role: SeedRole): { authorization: string };
  /** Moves the services' clock forward. */
  advance(ms: number): void;
  /** Creates a key over the API as an administrator; its whole key (`secret`) and id. */
  createKey(body?: Record<string, unknown>): Promise<{ id: string; secret: string }>;
  dispose(): Promise<void>;
}

export async function createChannelTestApp(backend: DatabaseBackend): Promise<ChannelTestApp> {
  const test = await backend.create();
  let offset = 0;
  try {
    const config = loadConfig({
      DATABASE_URL: test.url,
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      CREDENTIAL_SECRET: 'channel-secret-channel-secret-channel!',
    });
    await seedRoles(test.database.db);
    const operators = await createRoleOperators(test, config);
    const container = await createContainer({
      config,
      database: test.database,
      logger: silentLogger,
      now: () => Date.now() + offset,
    });
    const app = await buildApp(container, { console: false });
    const as = (role: SeedRole) => ({ authorization: `Bearer ${operators[role].token}` });
    for (const payload of [
      { id: 'park', name: { zh: '公园', en: 'Park' }, dailyCapacity: 500 },
      { id: 'lake', name: { zh: '湖', en: 'Lake' } },
    ]) {
      const site = await app.inject({ method: 'POST', url: '/api/v1/sites', headers: as('admin'), payload });
      if (site.statusCode !== 201) throw new Error(site.body);
    }
    return {
      app,
      test,
      config,
      services: container.services,
      operators,
      as,
      advance: (ms) => {
        offset += ms;
      },
      createKey: async (body = {}) => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/channel-keys',
          headers: as('admin'),
          payload: { name: 'Trip OTA', channel: 'ota', siteIds: ['park'], ...body },
        });
        if (response.statusCode !== 201) throw new Error(response.body);
        return { id: response.json().key.id, secret: response.json().secret };
      },
      dispose: async () => {
        await app.close();
        await container.close();
        await test.dispose();
      },
    };
  } catch (error) {
    await test.dispose();
    throw error;
  }
}
