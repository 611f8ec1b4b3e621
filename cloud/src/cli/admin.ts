/**
 * `npm run admin -- <command>`: operator accounts and the audit check from a shell on the server, e.g. when nobody
 * can sign in any more. Uses the same configuration (DATABASE_URL, …) as the cloud and migrates first. Commands and
 * exit codes: commands.ts.
 */
import { buffer } from 'node:stream/consumers';
import { pino } from 'pino';
import { createContainer } from '../container.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { runAdminCommand } from './commands.js';
import { readCliConfig } from './read-config.js';

async function main(): Promise<number> {
  const config = readCliConfig();
  if (!config) return 2;
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database);
    const { services } = await createContainer({ config, database, logger: pino({ level: 'warn' }) });
    await services.operators.seedRoles();
    return await runAdminCommand(
      process.argv.slice(2),
      { db: database.db, operators: services.operators },
      {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        readStdin: async () => (await buffer(process.stdin)).toString('utf8'),
      },
    );
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
