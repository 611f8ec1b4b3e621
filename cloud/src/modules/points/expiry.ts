/**
 * The points expiry job: every `intervalMs` (and once at start) the points service writes off the lots that expired
 * (PointsService.expireDue). Each lot is written off in its own transaction, only if nothing took from it meanwhile,
 * so several cloud instances running the job at once expire each lot once. A failed round is logged and the next one
 * tries again; it never stops the cloud.
 */
import type { PointsService } from './service.js';

export interface ExpiryLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Hourly: expiry falls at a venue midnight, and an hour late is still the same business day's morning. */
export const POINTS_EXPIRY_INTERVAL_MS = 3_600_000;

export class PointsExpiryJob {
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();

  constructor(
    private readonly points: Pick<PointsService, 'expireDue'>,
    private readonly logger: ExpiryLogger,
    private readonly intervalMs: number = POINTS_EXPIRY_INTERVAL_MS,
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
        const lots = await this.points.expireDue();
        if (lots > 0) this.logger.info({ lots }, 'points expired');
      } catch (error) {
        this.logger.error({ err: error }, 'points expiry failed');
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
