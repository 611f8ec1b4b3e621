/**
 * Taking a backup, on either engine: copy into a temporary file beside the others, check the copy (opened and its
 * rows counted against the snapshot that was copied), hash it, give it its name, then write the manifest — the
 * manifest last, so a backup without one is unfinished. A copy that fails its check is still kept, with the failure
 * in its manifest, and the call fails: someone must look, and a damaged copy may still be all there is.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError, isAppError } from '../../platform/errors.js';
import type { DatabaseConfig } from '../database.js';
import { countsDiffer } from './contents.js';
import { fsyncFile, publish, sha256OfFile, temporaryPathFor, writeFileAtomic } from './files.js';
import {
  type BackupManifest,
  backupFileName,
  type DatabaseContents,
  MANIFEST_FORMAT,
  manifestPathOf,
  type Verification,
} from './manifest.js';
import { backupPostgres, inspectPgArchive } from './postgres.js';
import { backupSqlite, inspectSqliteCopy } from './sqlite.js';
import { localStamp } from './stamp.js';

export interface BackupOptions {
  readonly database: DatabaseConfig;
  /** The folder the backup goes to (created if missing). */
  readonly dir: string;
  /** The venue's zone, for the file name and the manifest's times. */
  readonly timeZone: string;
  /** The credential secret's fingerprint (signing-keys/secrets.ts `secretFingerprint`), recorded in the manifest. */
  readonly secretFingerprint: string | null;
  readonly pgBinDir?: string | undefined;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

export interface BackupResult {
  readonly file: string;
  readonly manifest: BackupManifest;
}

export async function takeBackup(options: BackupOptions): Promise<BackupResult> {
  const now = options.now ?? Date.now;
  const { database, dir } = options;
  await mkdir(dir, { recursive: true });
  const createdAtMs = now();
  const stamp = localStamp(createdAtMs, options.timeZone);
  const firstName = backupFileName(stamp.compact, database.dialect);
  const temporary = temporaryPathFor(`${dir}/${firstName}`);
  let file: string;
  let manifest: BackupManifest;
  try {
    let contents: DatabaseContents;
    let postgres: BackupManifest['postgres'];
    if (database.dialect === 'sqlite') {
      contents = await backupSqlite(database.path, temporary, database.busyTimeoutMs, options.signal);
    } else {
      const info = await backupPostgres(database.url, temporary, {
        binDir: options.pgBinDir,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      contents = info.contents;
      postgres = {
        schema: info.schema,
        serverVersion: info.serverVersion,
        pgDumpVersion: info.pgDumpVersion,
      };
    }
    await fsyncFile(temporary);
    const verification = await checkCopy(temporary, database.dialect, contents, options, now);
    const bytes = (await stat(temporary)).size;
    const sha256 = await sha256OfFile(temporary);
    file = await publish(temporary, dir, (attempt) =>
      backupFileName(stamp.compact, database.dialect, attempt),
    );
    manifest = {
      format: MANIFEST_FORMAT,
      engine: database.dialect,
      file: basename(file),
      bytes,
      sha256,
      createdAt: stamp.iso,
      createdAtMs,
      timeZone: options.timeZone,
      migrations: [...contents.migrations],
      lastMigration: contents.migrations.at(-1) ?? null,
      tables: { ...contents.tables },
      auditHead: contents.auditHead,
      credentialSecret:
        options.secretFingerprint === null ? null : { fingerprint: options.secretFingerprint },
      ...(postgres ? { postgres } : {}),
      verification,
    };
    await writeFileAtomic(manifestPathOf(file), `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  if (!manifest.verification.ok)
    throw new AppError('BACKUP_INVALID', {
      file: manifest.file,
      reason: { 'zh-CN': manifest.verification.error, en: manifest.verification.error },
    });
  return { file, manifest };
}

/** Opens the copy and compares what it holds with the snapshot that was copied. */
async function checkCopy(
  path: string,
  engine: DatabaseConfig['dialect'],
  snapshot: DatabaseContents,
  options: BackupOptions,
  now: () => number,
): Promise<Verification> {
  const at = () => localStamp(now(), options.timeZone).iso;
  try {
    const checks: string[] = [];
    let tables: Readonly<Record<string, number>>;
    if (engine === 'sqlite') {
      const copy = await inspectSqliteCopy(path);
      tables = copy.tables;
      checks.push('integrity_check ok', 'foreign_key_check ok');
      if (copy.migrations.join() !== snapshot.migrations.join())
        return { ok: false, at: at(), error: 'the copy lists other migrations than the database' };
    } else {
      tables = (await inspectPgArchive(path, options.pgBinDir)).tables;
      checks.push('pg_restore --list ok', 'every table data section read');
    }
    const differ = countsDiffer(snapshot.tables, tables);
    if (differ) return { ok: false, at: at(), error: differ.en };
    checks.push(`row counts of ${Object.keys(tables).length} tables equal the snapshot's`);
    return { ok: true, at: at(), checks };
  } catch (error) {
    if (isAppError(error)) return { ok: false, at: at(), error: error.messages.en };
    throw error;
  }
}
