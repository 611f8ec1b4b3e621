/**
 * The backups in a folder and which to keep: the newest `keep`, and never the last verified one — when the newest
 * few all failed their check (a damaged database copies badly), the newest good one stays however old it is.
 * Temporary files a crash left behind are cleared after a day.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMPORARY_FILE_PATTERN } from './files.js';
import { BACKUP_FILE_PATTERN, type BackupManifest, manifestPathOf, readManifest } from './manifest.js';

export interface ListedBackup {
  readonly file: string;
  readonly manifest: BackupManifest;
}

/** Finished backups (a file with a readable manifest) in `dir`, newest first; [] when the folder does not exist. */
export async function listBackups(dir: string): Promise<ListedBackup[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const listed: ListedBackup[] = [];
  for (const name of names) {
    if (!BACKUP_FILE_PATTERN.test(name)) continue;
    const file = join(dir, name);
    try {
      listed.push({ file, manifest: await readManifest(file) });
    } catch {
      // Unfinished (no manifest yet) or unreadable: not a backup to count or to delete.
    }
  }
  return listed.sort((a, b) => b.manifest.createdAtMs - a.manifest.createdAtMs);
}

const DAY_MS = 86_400_000;

/** Deletes what retention lets go; returns the backup files deleted. */
export async function pruneBackups(dir: string, keep: number, now: number = Date.now()): Promise<string[]> {
  const backups = await listBackups(dir);
  const kept = new Set(backups.slice(0, keep));
  if (![...kept].some((b) => b.manifest.verification.ok)) {
    const lastGood = backups.find((b) => b.manifest.verification.ok);
    if (lastGood) kept.add(lastGood);
  }
  const deleted: string[] = [];
  for (const backup of backups) {
    if (kept.has(backup)) continue;
    // The manifest first: a file without one is never counted as a backup again.
    await rm(manifestPathOf(backup.file), { force: true });
    await rm(backup.file, { force: true });
    deleted.push(backup.file);
  }
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!TEMPORARY_FILE_PATTERN.test(name)) continue;
    const path = join(dir, name);
    const age =
      now -
      (await stat(path).then(
        (s) => s.mtimeMs,
        () => now,
      ));
    if (age > DAY_MS) await rm(path, { force: true });
  }
  return deleted;
}
