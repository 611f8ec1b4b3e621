/**
 * vitest's global setup for scratch databases: names the run (TEST_RUN_ENV, inherited by the test processes), so
 * the PostgreSQL schemas its tests keep for reuse (cloud/src/db/testing.ts) are dropped together when it ends.
 */
import { randomBytes } from 'node:crypto';
import { dropRunSchemas, TEST_RUN_ENV } from './scratch-database.js';

export default function setup(): (() => Promise<void>) | undefined {
  if (process.env[TEST_RUN_ENV]) return undefined; // an outer run owns the schemas and their end
  const run = randomBytes(4).toString('hex');
  process.env[TEST_RUN_ENV] = run;
  return async () => {
    const serverUrl = process.env.TEST_DATABASE_URL?.trim();
    if (serverUrl) await dropRunSchemas(serverUrl, run);
  };
}
