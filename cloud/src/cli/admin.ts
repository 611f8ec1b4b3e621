/**
 * `npm run admin -- <command>`: operator accounts, the audit check and backups from a shell on the server, e.g. when
 * nobody can sign in any more. Uses the same configuration (DATABASE_URL, …) as the cloud. The backup commands run
 * on the database as it is (backup-commands.ts); the others migrate first. Commands and exit codes: commands.ts.
 */
import { buffer } from 'node:stream/consumers';
import { pino } from 'pino';
import { createContainer } from '../container.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { BACKUP_COMMANDS, runBackupCommand } from './backup-commands.js';
import { type CliIo, runAdminCommand } from './commands.js';
import { readCliConfig } from './read-config.js';

async function main(): Promise<number> {
  const config = readCliConfig();
  if (!config) return 2;
  const argv = process.argv.slice(2);
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readStdin: async () => (await buffer(process.stdin)).toString('utf8'),
  };
  if (BACKUP_COMMANDS.has(argv[0] ?? '')) return runBackupCommand(argv, config, io);
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database);
    const { services } = await createContainer({ config, database, logger: pino({ level: 'warn' }) });
    await services.operators.seedRoles();
    return await runAdminCommand(argv, { db: database.db, operators: services.operators }, io);
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
