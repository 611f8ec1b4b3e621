/**
 * The periodic jobs that must run on one instance only (db/leadership.ts): each is made afresh and started when this
 * instance becomes the leader, and stopped when it steps down or shuts down. A job is made anew each time because
 * some cannot start again once stopped (the backup scheduler aborts its run for good).
 */
import type { Leadership } from './db/leadership.js';

export interface PeriodicJob {
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

export interface LeaderJob {
  readonly name: string;
  /** Makes the job; undefined when this configuration has none (e.g. backups switched off). */
  readonly make: () => PeriodicJob | undefined;
}

export interface LeaderJobsLogger {
  error(details: object, message: string): void;
}

export class LeaderJobs {
  #running: { name: string; job: PeriodicJob }[] = [];
  /** Start and stop run one after another, so a quick loss after a gain never leaves a job behind. */
  #change: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly leadership: Leadership,
    private readonly jobs: readonly LeaderJob[],
    private readonly logger: LeaderJobsLogger,
  ) {}

  /** Follows the leadership from now on (starting the jobs at once if this instance already leads). */
  start(): Promise<void> {
    this.#unsubscribe ??= this.leadership.onChange((leader) => void this.#follow(leader));
    return this.#follow(this.leadership.isLeader);
  }

  /** The names of the jobs running here now. */
  get running(): readonly string[] {
    return this.#running.map((entry) => entry.name);
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#follow(false);
  }

  #follow(leader: boolean): Promise<void> {
    this.#change = this.#change.then(() => (leader ? this.#startAll() : this.#stopAll()));
    return this.#change;
  }

  async #startAll(): Promise<void> {
    if (this.#running.length > 0 || !this.leadership.isLeader) return;
    for (const { name, make } of this.jobs) {
      try {
        const job = make();
        if (!job) continue;
        await job.start();
        this.#running.push({ name, job });
      } catch (error) {
        this.logger.error({ err: error, job: name }, 'periodic job failed to start');
      }
    }
  }

  async #stopAll(): Promise<void> {
    const running = this.#running;
    this.#running = [];
    for (const { name, job } of running.reverse())
      await job
        .stop()
        .catch((error: unknown) =>
          this.logger.error({ err: error, job: name }, 'periodic job failed to stop'),
        );
  }
}
