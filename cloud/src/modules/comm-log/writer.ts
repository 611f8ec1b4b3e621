/**
 * Buffers communication-log records and writes them in batches — one multi-row insert per flush instead of one
 * transaction per message, so a busy fleet does not turn into thousands of tiny commits a second. If the database
 * stalls, the buffer is bounded: beyond `maxBuffered` new records are dropped and counted (and logged once per flush).
 *
 * Rejected records are not kept one by one: the repeats of one rejection (direction, site, gate, reason, channel)
 * within one minute become one row with a count, gathered here per flush and added to the minute's row in the database. A gate
 * sending garbage at any rate thus adds at most a row per reason and minute, and costs the writer a map lookup per
 * message.
 */
import type { Logger } from 'pino';
import type { CommRecord } from '../../mqtt/extensions/types.js';
import type { CommLogRepo, RepeatedRecord } from './repo.js';

const MINUTE_MS = 60_000;

/**
 * The row a rejected record counts into: one per direction, site, gate, kind and minute (UTC epoch minutes). The
 * kind is the reason, the channel (a protocol channel or none) and whether a subscription was refused — never the
 * message type a gate claimed, which garbage could vary without end.
 */
export function repeatKeyOf(record: CommRecord): string {
  const minute = Math.floor(record.at / MINUTE_MS);
  const kind = `${record.reason ?? ''}|${record.channel ?? ''}|${record.messageType === 'subscribe' ? 'sub' : ''}`;
  return `${record.direction}|${record.siteId ?? ''}|${record.gateId ?? ''}|${kind}|${minute}`;
}

export interface CommLogWriterOptions {
  readonly flushIntervalMs?: number;
  /** Flush early when this many records are waiting. */
  readonly batchSize?: number;
  readonly maxBuffered?: number;
}

export class CommLogWriter {
  private buffer: CommRecord[] = [];
  private repeats = new Map<string, RepeatedRecord>();
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
    if (record.result === 'rejected') {
      const repeatKey = repeatKeyOf(record);
      const repeat = this.repeats.get(repeatKey);
      if (repeat) {
        repeat.count++;
        repeat.size += record.size;
        return;
      }
      if (this.buffered() >= this.maxBuffered) {
        this.dropped++;
        return;
      }
      this.repeats.set(repeatKey, { record, repeatKey, count: 1, size: record.size });
    } else {
      if (this.buffered() >= this.maxBuffered) {
        this.dropped++;
        return;
      }
      this.buffer.push(record);
    }
    if (this.buffered() >= this.batchSize) void this.flush();
  }

  private buffered(): number {
    return this.buffer.length + this.repeats.size;
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
    if (this.buffered() === 0) return;
    const batch = this.buffer;
    const repeats = this.repeats;
    this.buffer = [];
    this.repeats = new Map();
    let written = false;
    try {
      if (batch.length > 0) await this.repo.insertMany(batch);
      written = true;
      if (repeats.size > 0) await this.repo.upsertRepeats([...repeats.values()]);
    } catch (error) {
      // Put back what was not written (oldest first) so a short database outage loses nothing; the bound still
      // applies. Repeats that came in meanwhile join the ones put back.
      if (!written) this.buffer = [...batch, ...this.buffer].slice(0, this.maxBuffered);
      for (const [key, repeat] of repeats) {
        const newer = this.repeats.get(key);
        if (newer) {
          repeat.count += newer.count;
          repeat.size += newer.size;
        }
        this.repeats.set(key, repeat);
      }
      this.logger.error(
        { err: error, records: batch.length, repeats: repeats.size },
        'communication log write failed; will retry',
      );
    }
  }
}
