/**
 * The automatic check-out job (自动清场): every minute (and once at start, which catches up a check-out missed while
 * the cloud was down) each site's latest check-out that has not run yet runs (OccupancyService.checkOutDue). It is
 * a leader job (leader-jobs.ts), and each run is recorded per site and local day in the run's own transaction, so a
 * restart, a failover or two instances at once still check a day out once. A failed round is logged and the next
 * one tries again; it never stops the cloud.
 */
import type { AutoCheckoutRun, OccupancyService } from './service.js';

export interface AutoCheckoutLogger {
  error(details: object, message: string): void;
}

/** A minute: check-out times are whole minutes, and gates apply them on their own at the exact instant anyway. */
export const AUTO_CHECKOUT_INTERVAL_MS = 60_000;

export class AutoCheckoutJob {
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();

  constructor(
    private readonly occupancy: Pick<OccupancyService, 'checkOutDue'>,
    private readonly logger: AutoCheckoutLogger,
    private readonly intervalMs: number = AUTO_CHECKOUT_INTERVAL_MS,
    /** Told of each run made (the composition root pushes the site's new figures to the control room). */
    private readonly onRun: (run: AutoCheckoutRun) => Promise<void> | void = () => undefined,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.run(), this.intervalMs);
    this.#timer.unref();
    void this.run();
  }

  /** One round after the one running, if any; resolves when done (or its failure logged). */
  run(): Promise<void> {
    this.#round = this.#round.then(async () => {
      try {
        for (const run of await this.occupancy.checkOutDue()) await this.onRun(run);
      } catch (error) {
        this.logger.error({ err: error }, 'automatic check-out round failed');
      }
    });
    return this.#round;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#round;
  }
}
