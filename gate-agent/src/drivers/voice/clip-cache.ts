import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Rendered announcement clips on disk, one WAV per key (voice, speed, amplitude, text), named by its SHA-256. Bounded: texts
 * that carry numbers ("剩余12次") make new clips all day, so beyond `maxClips` the least recently played go
 * (a hit refreshes the clip's mtime). Clips are written under a temporary name and renamed into place, so a
 * half-written one is never served, even after a crash.
 */
export class ClipCache {
  readonly dir: string;
  readonly #maxClips: number;

  constructor(dir: string, maxClips: number) {
    this.dir = dir;
    this.#maxClips = maxClips;
  }

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  pathFor(key: readonly string[]): string {
    return join(this.dir, `${createHash('sha256').update(key.join('\0')).digest('hex')}.wav`);
  }

  /** The clip's path if cached (and marks it recently used), else null. */
  async lookup(clip: string): Promise<string | null> {
    if (!(await nonEmptyFile(clip))) return null;
    const now = new Date();
    await utimes(clip, now, now).catch(() => {});
    return clip;
  }

  /** A fresh temporary path beside `clip` for the renderer to write. */
  partialFor(clip: string): string {
    return `${clip.slice(0, -'.wav'.length)}.${randomBytes(4).toString('hex')}.partial`;
  }

  /** Moves a finished render into place; false (and the partial removed) when the renderer left nothing. */
  async commit(partial: string, clip: string): Promise<boolean> {
    if (!(await nonEmptyFile(partial))) {
      await this.discard(partial);
      return false;
    }
    await rename(partial, clip);
    await this.#trim();
    return true;
  }

  async discard(partial: string): Promise<void> {
    await rm(partial, { force: true });
  }

  async #trim(): Promise<void> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.wav'));
    if (names.length <= this.#maxClips) return;
    const clips = await Promise.all(
      names.map(async (name) => {
        const path = join(this.dir, name);
        const mtime = await stat(path).then(
          (s) => s.mtimeMs,
          () => 0,
        );
        return { path, mtime };
      }),
    );
    clips.sort((a, b) => a.mtime - b.mtime);
    for (const { path } of clips.slice(0, clips.length - this.#maxClips)) await rm(path, { force: true });
  }
}

async function nonEmptyFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}
