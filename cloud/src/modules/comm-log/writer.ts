/**
 * Buffers communication-log records and writes them in batches — one multi-row insert per flush instead of one
 * transaction per message, so a busy fleet does not turn into thousands of tiny commits a second. If the database
 * stalls, the buffer is bounded: beyond `maxBuffered` new records are dropped and counted (and logged once per flush).
 */
import type { Logger } from 'pino';
import type { CommRecord } from '../../mqtt/extensions/types.js';
import type { CommLogRepo } from './repo.js';

export interface CommLogWriterOptions {
  readonly flushIntervalMs?: number;
  /** Flush early when this many records are waiting. */
  readonly batchSize?: number;
  readonly maxBuffered?: number;
}

export class CommLogWriter {
  private buffer: CommRecord[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBuffered: number;

  constructor(
    private readonly repo: CommLogRepo,
    private readonly logger: Logger,
    options: CommLogWriterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 500;
    this.batchSize = options.batchSize ?? 500;
    this.maxBuffered = options.maxBuffered ?? 50_000;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  add(record: CommRecord): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.dropped++;
      return;
    }
    this.buffer.push(record);
    if (this.buffer.length >= this.batchSize) void this.flush();
  }

  /** Writes everything buffered so far; resolves when it is in the database (or failed and was logged). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    if (this.dropped > 0) {
      this.logger.warn({ dropped: this.dropped }, 'communication log buffer full: records dropped');
      this.dropped = 0;
    }
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.repo.insertMany(batch);
    } catch (error) {
      // Put the batch back (oldest first) so a short database outage loses nothing; the bound still applies.
      this.buffer = [...batch, ...this.buffer].slice(0, this.maxBuffered);
      this.logger.error({ err: error, records: batch.length }, 'communication log write failed; will retry');
    }
  }
}
