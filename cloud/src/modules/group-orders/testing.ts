/**
 * Group-order tests: the app over a container whose services read a clock the test moves (holds lapse, cut-offs
 * pass, visit days end), with the seed roles signed in and the park of tickets/testing.ts.
 */
import type { App } from '../../app.js';
import { buildApp } from '../../app.js';
import { type Config, loadConfig } from '../../config.js';
import { type Container, type ContainerOptions, createContainer } from '../../container.js';
import type { DatabaseBackend, TestDatabase } from '../../db/testing.js';
import { seedRoles } from '../../platform/auth/roles-seed.js';
import { createRoleOperators, type TestOperator } from '../../platform/auth/testing.js';
import type { SeedRole } from '../../platform/permissions.js';
import { silentLogger } from '../../testing/app.js';
import { seedVenue } from '../tickets/testing.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export interface GroupTestEnv {
  readonly app: App;
  readonly container: Container;
  readonly test: TestDatabase;
  readonly config: Config;
  readonly operators: Readonly<Record<SeedRole, TestOperator>>;
  as(role: SeedRole): { authorization: string };
  /** The services' clock (epoch ms); tests move it. */
  clock: number;
  dispose(): Promise<void>;
}

export async function createGroupTestEnv(
  backend: DatabaseBackend,
  env: Readonly<Record<string, string>> = {},
  containerOptions: Pick<ContainerOptions, 'liveStatus'> = {},
): Promise<GroupTestEnv> {
  const test = await backend.create();
  const config = loadConfig({
    DATABASE_URL: test.url,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    CREDENTIAL_SECRET: 'group-secret-group-secret-group-secret!',
    ...env,
  });
  await seedRoles(test.database.db);
  const operators = await createRoleOperators(test, config);
  await seedVenue(test.database.db);
  const state: GroupTestEnv = {
    test,
    config,
    operators,
    clock: Date.now(),
    as: (role) => ({ authorization: `Bearer ${operators[role].token}` }),
    dispose: async () => {
      await state.app.close();
      await test.dispose();
    },
  } as GroupTestEnv;
  const container = await createContainer({
    config,
    database: test.database,
    logger: silentLogger,
    now: () => state.clock,
    ...containerOptions,
  });
  Object.assign(state, { container, app: await buildApp(container, { console: false }) });
  return state;
}

/** The local date `days` after today in Asia/Shanghai (the test park's zone). */
export function shanghaiDate(days: number, from: number = Date.now()): string {
  return new Date(from + 8 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);
}

/** Midnight starting `date` in Asia/Shanghai. */
export function shanghaiMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}
