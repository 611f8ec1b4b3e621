/**
 * The manifest written beside every backup file (`<file>.manifest.json`): what the file holds and how to check it.
 * It is written last, after the file was copied, checked and hashed, so a backup without a manifest is unfinished.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';

export type BackupEngine = 'sqlite' | 'postgres';

export const MANIFEST_FORMAT = 'scenic-backup/1';

/** What a database holds, as a backup records and checks it. */
export interface DatabaseContents {
  /** Rows per table (every table of the database or schema, Kysely's migration tables included). */
  readonly tables: Readonly<Record<string, number>>;
  /** Applied migrations by name, in order. */
  readonly migrations: readonly string[];
  /** The operation log's chain head: after a restore the log ends here (see EMERGENCY.md on anchors). */
  readonly auditHead: { readonly seq: number; readonly hash: string } | null;
}

const verificationSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), at: z.string(), checks: z.array(z.string()) }),
  z.object({ ok: z.literal(false), at: z.string(), error: z.string() }),
]);

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  engine: z.enum(['sqlite', 'postgres']),
  /** The backup file's name, without a folder (the manifest sits beside it). */
  file: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** When the copy's snapshot was taken, in the venue's zone with its offset. */
  createdAt: z.string().min(1),
  createdAtMs: z.number().int(),
  timeZone: z.string().min(1),
  migrations: z.array(z.string()),
  lastMigration: z.string().nullable(),
  tables: z.record(z.string(), z.number().int().nonnegative()),
  auditHead: z.object({ seq: z.number().int().nonnegative(), hash: z.string() }).nullable(),
  /**
   * The credential secret's fingerprint (signing-keys/secrets.ts), never the secret: the backup's signing keys are
   * encrypted and its ID numbers hashed under that secret, which is kept apart from the database on purpose.
   */
  credentialSecret: z.object({ fingerprint: z.string() }).nullable(),
  postgres: z.object({ schema: z.string(), serverVersion: z.string(), pgDumpVersion: z.string() }).optional(),
  /** The check made right after the copy was written: the copy opened, checked and its rows counted. */
  verification: verificationSchema,
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type Verification = z.infer<typeof verificationSchema>;

export const FILE_EXTENSIONS: Readonly<Record<BackupEngine, string>> = {
  sqlite: 'sqlite3',
  postgres: 'pgdump',
};

/** `scenic-backup-20261212-153012+0800.sqlite3`, with `-2`, `-3`… when that name is taken. */
export const BACKUP_FILE_PATTERN = /^scenic-backup-\d{8}-\d{6}[+-]\d{4}(-\d+)?\.(sqlite3|pgdump)$/;

export function backupFileName(compactStamp: string, engine: BackupEngine, attempt = 1): string {
  return `scenic-backup-${compactStamp}${attempt > 1 ? `-${attempt}` : ''}.${FILE_EXTENSIONS[engine]}`;
}

export function manifestPathOf(file: string): string {
  return `${file}.manifest.json`;
}

/** Reads and checks the manifest beside `file`; any problem is BACKUP_INVALID naming the file. */
export async function readManifest(file: string): Promise<BackupManifest> {
  const path = manifestPathOf(file);
  const invalid = (zh: string, en: string) =>
    new AppError('BACKUP_INVALID', { file: basename(file), reason: { 'zh-CN': zh, en } });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT')
      throw invalid(
        `旁边没有清单文件 ${basename(path)}（备份未完成，或只复制了备份文件）`,
        `there is no manifest ${basename(path)} beside it (an unfinished backup, or the file was copied without it)`,
      );
    throw invalid(
      `无法读取清单 ${path}：${(error as Error).message}`,
      `cannot read ${path}: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(`清单 ${basename(path)} 不是有效的 JSON`, `manifest ${basename(path)} is not valid JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || '(root)';
    throw invalid(
      `清单 ${basename(path)} 格式不对（${where}）`,
      `manifest ${basename(path)} is malformed (${where})`,
    );
  }
  return parsed.data;
}
