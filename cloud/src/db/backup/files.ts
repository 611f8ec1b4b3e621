/**
 * Files of a backup: written under a temporary name in the target folder and published by a link or rename, so a
 * reader never sees half a file; synced (file and folder) before they count as written; hashed by streaming.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, open, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temporary name beside `final`, hidden and marked, so retention can clear one a crash left behind. */
export function temporaryPathFor(final: string): string {
  return join(dirname(final), `.${basename(final)}.${randomBytes(4).toString('hex')}.tmp`);
}

export const TEMPORARY_FILE_PATTERN = /^\..+\.[0-9a-f]{8}\.tmp$/;

export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes renames and new names in `dir` durable (a power cut after this keeps them). */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems cannot sync a folder (EINVAL); the file itself is synced already.
    if ((error as { code?: string }).code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}

/** Writes `text` to `path` atomically: a synced temporary file renamed over it. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = temporaryPathFor(path);
  try {
    await writeFile(temporary, text, { flag: 'wx', mode: 0o600 });
    await fsyncFile(temporary);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await fsyncDir(dirname(path));
}

/**
 * Gives the finished temporary file its first free name from `names(1)`, `names(2)`, … (a hard link fails rather
 * than replace an existing backup), then drops the temporary name. Returns the path it got.
 */
export async function publish(
  temporary: string,
  dir: string,
  names: (attempt: number) => string,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const path = join(dir, names(attempt));
    try {
      await link(temporary, path);
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST' && attempt < 100) continue;
      throw error;
    }
    await unlink(temporary);
    await fsyncDir(dir);
    return path;
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
