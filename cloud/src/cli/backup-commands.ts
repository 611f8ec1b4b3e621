/**
 * The admin CLI's backup commands (db/backup/). admin.ts runs them before — and instead of — the migration it runs
 * for the other commands: a backup copies the database exactly as it is (the one taken before an upgrade must not
 * be migrated first), and a restore wants an empty target and migrates only after restoring.
 *
 *   backup        [--out <dir>]                     into BACKUP_DIR, then retention (BACKUP_KEEP); into <dir> nothing is deleted
 *   verify-backup <file>
 *   restore       <file> [--yes] [--ignore-secret]  --yes replaces a database that is not empty (kept aside)
 *
 * Exit codes as for the other commands: 0 done, 1 refused or failed, 2 bad usage.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Migration } from 'kysely';
import type { Config } from '../config.js';
import { restoreBackup } from '../db/backup/restore.js';
import { pruneBackups } from '../db/backup/retention.js';
import { takeBackup } from '../db/backup/take.js';
import { verifyBackup } from '../db/backup/verify.js';
import { openDatabase } from '../db/database.js';
import { secretFingerprint } from '../modules/signing-keys/secrets.js';
import { auditedTransaction, recordAudit } from '../platform/audit/record.js';
import { isAppError } from '../platform/errors.js';
import { type CliIo, cliActor, USAGE, UsageError } from './commands.js';

export const BACKUP_COMMANDS: ReadonlySet<string> = new Set(['backup', 'verify-backup', 'restore']);

export interface BackupCliOptions {
  /** The code's migrations (tests pass a subset); default every migration. */
  readonly migrations?: Readonly<Record<string, Migration>>;
  /** Relative paths are taken from here; default the folder the command was run from. */
  readonly baseDir?: string;
}

const OPTIONS_OF: Readonly<Record<string, readonly string[]>> = {
  backup: ['out'],
  'verify-backup': [],
  restore: ['yes', 'ignore-secret'],
};

function parse(command: string, args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      out: { type: 'string' },
      yes: { type: 'boolean' },
      'ignore-secret': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  for (const name of Object.keys(values))
    if (!OPTIONS_OF[command]?.includes(name))
      throw new UsageError(`--${name} is not an option of ${command}`);
  const wantsFile = command !== 'backup';
  if (!wantsFile && positionals.length > 0) throw new UsageError(`backup takes no file: ${positionals[0]}`);
  if (wantsFile && positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0 ? `${command} needs the backup file` : `${command} takes one backup file`,
    );
  return { values, file: positionals[0] };
}

async function existingFile(path: string): Promise<string> {
  const found = await stat(path).catch(() => undefined);
  if (!found) throw new UsageError(`no such file: ${path}`);
  if (!found.isFile()) throw new UsageError(`not a file: ${path}`);
  return path;
}

const rowsOf = (tables: Readonly<Record<string, number>>) =>
  Object.values(tables).reduce((sum, n) => sum + n, 0);

export async function runBackupCommand(
  argv: readonly string[],
  config: Config,
  io: Pick<CliIo, 'out' | 'err'>,
  options: BackupCliOptions = {},
): Promise<number> {
  const [command = '', ...rest] = argv;
  const baseDir = options.baseDir ?? process.env.INIT_CWD ?? process.cwd();
  try {
    const { values, file } = parse(command, rest);
    switch (command) {
      case 'backup': {
        const dir = values.out === undefined ? config.backup.dir : resolve(baseDir, values.out);
        if (values.out !== undefined) {
          const found = await stat(dir).catch(() => undefined);
          if (found && !found.isDirectory()) throw new UsageError(`--out is not a folder: ${dir}`);
        }
        const fingerprint = secretFingerprint(config.credentials);
        const { file: written, manifest } = await takeBackup({
          database: config.database,
          dir,
          timeZone: config.venueTimezone,
          secretFingerprint: fingerprint,
          pgBinDir: config.backup.pgBinDir,
        });
        io.out(`备份完成 / backup written: ${written} (${manifest.bytes} bytes, ${manifest.createdAt})`);
        io.out(
          `  ${Object.keys(manifest.tables).length} tables, ${rowsOf(manifest.tables)} rows, last migration ${manifest.lastMigration ?? '-'}`,
        );
        if (manifest.verification.ok) io.out(`  verified: ${manifest.verification.checks.join('; ')}`);
        io.out(
          fingerprint === null
            ? '  credential secret: none yet (nothing was signed or hashed with one)'
            : `  credential secret: fingerprint ${fingerprint}, NOT in the backup: keep a copy of ${config.credentials.secret === undefined ? config.credentials.secretFile : 'CREDENTIAL_SECRET'} apart from it (EMERGENCY.md)`,
        );
        if (values.out === undefined) {
          const deleted = await pruneBackups(dir, config.backup.keep);
          for (const path of deleted)
            io.out(`  deleted by retention (BACKUP_KEEP=${config.backup.keep}): ${path}`);
        }
        return 0;
      }
      case 'verify-backup': {
        const path = await existingFile(resolve(baseDir, file ?? ''));
        const { manifest, checks } = await verifyBackup(path, { pgBinDir: config.backup.pgBinDir });
        io.out(`备份完好 / backup OK: ${path} (${manifest.engine}, taken ${manifest.createdAt})`);
        for (const check of checks) io.out(`  ${check}`);
        const needed = manifest.credentialSecret?.fingerprint ?? null;
        const here = secretFingerprint(config.credentials);
        if (needed !== null)
          io.out(
            needed === here
              ? `  credential secret ${needed}: this server holds it`
              : `  credential secret ${needed}: this server does NOT hold it (restore refuses without --ignore-secret)`,
          );
        return 0;
      }
      case 'restore': {
        const path = await existingFile(resolve(baseDir, file ?? ''));
        const report = await restoreBackup({
          file: path,
          database: config.database,
          replace: values.yes === true,
          secretFingerprint: secretFingerprint(config.credentials),
          ignoreSecret: values['ignore-secret'] === true,
          timeZone: config.venueTimezone,
          pgBinDir: config.backup.pgBinDir,
          ...(options.migrations ? { migrations: options.migrations } : {}),
        });
        const { manifest } = report;
        await auditRestore(config, path, report);
        io.out(`恢复完成 / restored: ${path} (taken ${manifest.createdAt})`);
        for (const check of report.checks) io.out(`  ${check}`);
        io.out(
          report.migrated.length > 0
            ? `  migrated to this release: ${report.migrated.join(', ')}`
            : '  schema already at this release',
        );
        if (report.replacedAside) io.out(`  the database that was there is kept as: ${report.replacedAside}`);
        if (report.secretMissing)
          io.out(
            "  WARNING: without the backup's credential secret its signing keys cannot sign: rotate the signing key (POST /api/v1/credential-keys/rotate) and re-issue live tickets",
          );
        if (manifest.auditHead)
          io.out(
            `  the operation log now ends at row ${manifest.auditHead.seq}: anchors beyond it (verify-audit --anchors) are the rows lost since the backup`,
          );
        io.out(
          '  next: start the cloud, then send every gate a full whitelist sync (EMERGENCY.md, "Database lost")',
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err((error as Error).message);
      io.err(USAGE);
      return 2;
    }
    if (isAppError(error)) {
      io.err(`${error.code}: ${error.messages['zh-CN']} / ${error.messages.en}`);
      return 1;
    }
    // A file system or connection failure: one line, not a stack trace.
    io.err(`${command} 失败 / failed: ${(error as Error).message}`);
    return 1;
  }
}

/** The restore in the operation log of the restored database, so its history says where it came from. */
async function auditRestore(
  config: Config,
  file: string,
  report: Awaited<ReturnType<typeof restoreBackup>>,
): Promise<void> {
  const database = openDatabase(config.database);
  try {
    await auditedTransaction(database.db, (trx) =>
      recordAudit(trx, {
        actor: cliActor(),
        action: 'database.restore',
        entity: 'database',
        entityId: report.manifest.file,
        after: {
          file,
          createdAt: report.manifest.createdAt,
          sha256: report.manifest.sha256,
          lastMigration: report.manifest.lastMigration,
          migrated: report.migrated,
          replacedAside: report.replacedAside,
          secretMissing: report.secretMissing,
        },
      }),
    );
  } finally {
    await database.close();
  }
}
