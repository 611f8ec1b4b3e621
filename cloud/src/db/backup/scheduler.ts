/**
 * Scheduled backups in the running cloud. The next one is due `intervalMs` after the newest backup in the folder —
 * not after the process started — so a venue PC switched off every night still gets its daily backup: the first
 * start of the day finds yesterday's and takes one `firstDelayMs` after start (a process that keeps crashing at
 * start must not write a backup each time). After each backup retention runs; a failed backup is logged as an
 * error and tried again after `retryMs`.
 */

import { listBackups, pruneBackups } from './retention.js';
import type { BackupResult } from './take.js';

export interface BackupSchedule {
  readonly dir: string;
  readonly intervalMs: number;
  readonly keep: number;
  /** The earliest backup after start; default 10 minutes. */
  readonly firstDelayMs?: number;
  /** The wait after a failed backup; default the interval, at most an hour. */
  readonly retryMs?: number;
}

export interface SchedulerLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** setTimeout's longest delay; a longer wait is slept in pieces. */
const MAX_TIMER_MS = 2_147_483_647;

export class BackupScheduler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #due = 0;
  #stopped = false;
  readonly #abort = new AbortController();

  constructor(
    private readonly take: (signal: AbortSignal) => Promise<BackupResult>,
    private readonly schedule: BackupSchedule,
    private readonly logger: SchedulerLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** When the next backup is due (epoch ms); 0 before start. */
  get due(): number {
    return this.#due;
  }

  async start(): Promise<void> {
    const newest = (await listBackups(this.schedule.dir).catch(() => []))[0];
    const earliest = this.now() + (this.schedule.firstDelayMs ?? 600_000);
    this.#arm(Math.max(earliest, newest ? newest.manifest.createdAtMs + this.schedule.intervalMs : 0));
  }

  /** Stops the timer; a backup under way is abandoned (its temporary file removed) and awaited. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort.abort(new Error('the cloud is shutting down'));
    await this.#running;
  }

  #arm(due: number): void {
    if (this.#stopped) return;
    this.#due = due;
    this.#timer = setTimeout(
      () => {
        if (this.now() < this.#due) this.#arm(this.#due);
        else this.#running = this.#round();
      },
      Math.min(Math.max(0, due - this.now()), MAX_TIMER_MS),
    );
    this.#timer.unref();
  }

  async #round(): Promise<void> {
    let next = this.schedule.intervalMs;
    try {
      const { file, manifest } = await this.take(this.#abort.signal);
      const rows = Object.values(manifest.tables).reduce((sum, n) => sum + n, 0);
      this.logger.info({ backup: file, bytes: manifest.bytes, rows }, 'database backup written and verified');
      const deleted = await pruneBackups(this.schedule.dir, this.schedule.keep, this.now());
      if (deleted.length > 0) this.logger.info({ deleted, keep: this.schedule.keep }, 'old backups deleted');
    } catch (error) {
      if (this.#stopped) return;
      next = this.schedule.retryMs ?? Math.min(this.schedule.intervalMs, 3_600_000);
      this.logger.error({ err: error, retryInMs: next }, 'database backup failed');
    }
    this.#arm(this.now() + next);
  }
}
