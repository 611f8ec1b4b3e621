/**
 * Restoring a backup into the database DATABASE_URL names: the backup is verified first (verify.ts), must be of the
 * same engine, must not come from newer code (a migration this code does not know), and needs the credential secret
 * it was taken with (or an explicit `ignoreSecret`). The target must be empty unless `replace`; then what it held is
 * kept aside, never deleted (SQLite: the file renamed; PostgreSQL: the schema renamed), and never while another
 * process (the cloud) has it open. After the restore the rows
 * are counted against the manifest and the schema is migrated to this code's latest.
 */
import type { Migration } from 'kysely';
import { AppError } from '../../platform/errors.js';
import { type DatabaseConfig, openDatabase } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import { migrations as allMigrations } from '../migrations/index.js';
import { countsDiffer, databaseContents } from './contents.js';
import type { BackupManifest } from './manifest.js';
import { restorePostgres } from './postgres.js';
import { restoreSqlite } from './sqlite.js';
import { localStamp } from './stamp.js';
import { verifyBackup } from './verify.js';

export interface RestoreOptions {
  readonly file: string;
  readonly database: DatabaseConfig;
  /** Replace a target that is not empty (what it held is kept aside). */
  readonly replace: boolean;
  /** This server's credential secret fingerprint (signing-keys/secrets.ts), null when it has none. */
  readonly secretFingerprint: string | null;
  /** Restore even when this server does not hold the backup's credential secret. */
  readonly ignoreSecret: boolean;
  readonly timeZone: string;
  readonly pgBinDir?: string | undefined;
  /** The code's migrations (tests pass a subset); default every migration. */
  readonly migrations?: Readonly<Record<string, Migration>>;
  readonly now?: () => number;
}

export interface RestoreReport {
  readonly manifest: BackupManifest;
  readonly checks: readonly string[];
  /** Migrations applied after the restore (the backup was older than the code). */
  readonly migrated: readonly string[];
  /** Where the target's previous contents are now (a file, or a PostgreSQL schema); null when it was empty. */
  readonly replacedAside: string | null;
  /** The backup needed a credential secret this server does not hold, and `ignoreSecret` let it through. */
  readonly secretMissing: boolean;
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const { file, database } = options;
  const migrations = options.migrations ?? allMigrations;
  const { manifest, checks } = await verifyBackup(file, { pgBinDir: options.pgBinDir });
  if (manifest.engine !== database.dialect)
    throw new AppError('BACKUP_ENGINE_MISMATCH', {
      file: manifest.file,
      engine: manifest.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      target: database.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL',
    });
  const unknown = manifest.migrations.filter((name) => !(name in migrations));
  if (unknown.length > 0)
    throw new AppError('BACKUP_TOO_NEW', { file: manifest.file, migrations: unknown.join(', ') });
  const needed = manifest.credentialSecret?.fingerprint ?? null;
  const secretMissing = needed !== null && needed !== options.secretFingerprint;
  if (secretMissing && !options.ignoreSecret)
    throw new AppError('BACKUP_SECRET_MISMATCH', {
      expected: needed,
      actual:
        options.secretFingerprint === null
          ? { 'zh-CN': '没有凭证主密钥', en: 'has no credential secret' }
          : {
              'zh-CN': `的密钥指纹是 ${options.secretFingerprint}`,
              en: `holds another one (fingerprint ${options.secretFingerprint})`,
            },
    });

  const stamp = localStamp((options.now ?? Date.now)(), options.timeZone).compact;
  const { replacedAside } =
    database.dialect === 'sqlite'
      ? await restoreSqlite(file, database.path, { replace: options.replace, stamp })
      : await restorePostgres(file, database.url, manifest.postgres?.schema ?? 'public', {
          replace: options.replace,
          stamp,
          binDir: options.pgBinDir,
        });

  const handle = openDatabase(database);
  try {
    const restored = await databaseContents(handle);
    const differ = countsDiffer(manifest.tables, restored.tables);
    if (differ)
      throw new AppError('BACKUP_FAILED', {
        reason: {
          'zh-CN': `恢复后的数据库与备份不符：${differ.zh}`,
          en: `the restored database differs from the backup: ${differ.en}`,
        },
      });
    const migrated = await migrateToLatest(handle, migrations);
    return {
      manifest,
      checks: [...checks, 'restored: every table has the row count of the manifest'],
      migrated,
      replacedAside,
      secretMissing,
    };
  } finally {
    await handle.close();
  }
}
