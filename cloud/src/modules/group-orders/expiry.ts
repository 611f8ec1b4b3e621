/**
 * The expiry sweep: every `intervalMs` the lapsed holds of group orders give their places back
 * (GroupOrdersService.expireLapsed, one transaction per order). main.ts starts it once the cloud listens and stops
 * it before closing the database; a failed round is logged and the next one tries again (a hold that lapsed stays
 * lapsed: confirming it is refused whether or not the sweep has run).
 */
export interface ExpiryLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export class GroupOrderExpiry {
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();

  constructor(
    private readonly orders: { expireLapsed(): Promise<number> },
    private readonly intervalMs: number,
    private readonly logger: ExpiryLogger,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.sweep(), this.intervalMs);
    this.#timer.unref();
    void this.sweep();
  }

  /** One round after the previous one; resolves when it is done (or its failure logged). */
  sweep(): Promise<void> {
    this.#round = this.#round.then(async () => {
      try {
        const expired = await this.orders.expireLapsed();
        if (expired > 0) this.logger.info({ expired }, 'group order holds expired');
      } catch (error) {
        this.logger.error({ err: error }, 'group order expiry sweep failed');
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
