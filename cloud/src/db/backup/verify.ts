/**
 * Checking a backup at any later time (before a restore, after copying it to another disk): the manifest beside it,
 * the file's size and SHA-256 against the manifest, then the copy itself opened and its rows counted — SQLite's
 * integrity and foreign-key checks, or pg_restore reading the archive's every data section.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../platform/errors.js';
import { countsDiffer } from './contents.js';
import { sha256OfFile } from './files.js';
import { type BackupManifest, readManifest } from './manifest.js';
import { inspectPgArchive } from './postgres.js';
import { inspectSqliteCopy } from './sqlite.js';

export interface VerifiedBackup {
  readonly manifest: BackupManifest;
  /** What was checked, one line each, for the person at the terminal. */
  readonly checks: readonly string[];
}

export async function verifyBackup(
  file: string,
  options: { readonly pgBinDir?: string | undefined } = {},
): Promise<VerifiedBackup> {
  const invalid = (zh: string, en: string) =>
    new AppError('BACKUP_INVALID', { file: basename(file), reason: { 'zh-CN': zh, en } });
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
  if (size === undefined) throw invalid('文件不存在或不是普通文件', 'there is no such file');
  const manifest = await readManifest(file);
  if (!manifest.verification.ok)
    throw invalid(
      `备份时的校验就未通过：${manifest.verification.error}`,
      `it failed verification when it was taken: ${manifest.verification.error}`,
    );
  if (size !== manifest.bytes)
    throw invalid(
      `文件有 ${size} 字节，清单记录为 ${manifest.bytes} 字节：文件被截断或改动过`,
      `the file has ${size} bytes where the manifest says ${manifest.bytes}: it was cut short or changed`,
    );
  if ((await sha256OfFile(file)) !== manifest.sha256)
    throw invalid(
      '文件的 SHA-256 与清单不符：文件已损坏或被改动过',
      "the file's SHA-256 differs from the manifest's: it was damaged or changed",
    );
  const checks = [`size ${size} bytes and SHA-256 match the manifest`];
  let tables: Readonly<Record<string, number>>;
  if (manifest.engine === 'sqlite') {
    const copy = await inspectSqliteCopy(file);
    if (copy.migrations.join() !== manifest.migrations.join())
      throw invalid(
        '数据库中的迁移记录与清单不符',
        "the migrations recorded in it differ from the manifest's",
      );
    tables = copy.tables;
    checks.push('opened read-only: integrity_check and foreign_key_check ok');
  } else {
    const archive = await inspectPgArchive(file, options.pgBinDir);
    if (archive.schema !== (manifest.postgres?.schema ?? null))
      throw invalid(
        `其中的模式 ${archive.schema} 与清单不符`,
        `it holds schema ${archive.schema}, not the manifest's ${manifest.postgres?.schema}`,
      );
    tables = archive.tables;
    checks.push('pg_restore read its table of contents and every data section');
  }
  const differ = countsDiffer(manifest.tables, tables);
  if (differ) throw invalid(differ.zh, differ.en);
  const rows = Object.values(tables).reduce((sum, n) => sum + n, 0);
  checks.push(`${Object.keys(tables).length} tables, ${rows} rows: the counts equal the manifest's`);
  return { manifest, checks };
}
