/**
 * The webhook delivery worker: in process, started and stopped with the cloud (main.ts). Every `pollMs` it takes
 * the due deliveries, each by a conditional UPDATE that leases it (so two instances, or two rounds of one, never
 * send the same attempt), and POSTs the event, signed (signature.ts), with a per-request timeout:
 *
 * - a 2xx answer within the timeout: delivered, never sent again (unless an operator redelivers it);
 * - anything else (an error status, a timeout, a refused connection): the attempt is logged and the next one waits
 *   `baseDelayMs · 2^(n−1)`, at most `maxDelayMs`; after `maxAttempts` attempts the delivery has failed and waits
 *   for a manual redelivery.
 *
 * Every attempt carries the same event id (`Webhook-Id`), so a partner that got an event whose answer we never saw
 * (our timeout) deduplicates the retry: from the partner's side each event arrives once. Deliveries to the endpoint
 * of a revoked key are not sent: they are put off without an attempt (a revoked key is never reactivated). An
 * agency's endpoint keeps receiving the events of its other keys, and of orders made before a key was revoked.
 *
 * Once an hour the worker also removes the events older than `retentionMs` that nothing waits to send any more,
 * with their deliveries and attempt log (a pending delivery keeps its event however old it is).
 */
import type { Logger } from 'pino';
import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { channelKeyActive } from '../channel-keys/reads.js';
import { claimDelivery, type DueDelivery, dueDeliveries, pruneEventsBefore } from './repo.js';
import type { WebhooksService } from './service.js';
import { SIGNATURE_HEADERS, signatures } from './signature.js';
import { type WebhookDb, webhookTables } from './tables.js';

export interface WebhookWorkerSettings {
  readonly pollMs: number;
  /** One request's limit, connection to the end of the answer's headers. */
  readonly timeoutMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  /** Deliveries sent at once per round. */
  readonly batch: number;
  /**
   * How long an event is kept once nothing waits to send it (delivered, or given up): the delivery log partners and
   * operators read goes back this far, and the outbox does not grow for ever.
   */
  readonly retentionMs: number;
  /** How often the worker looks for events past their retention. */
  readonly pruneEveryMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookWorkerSettings = {
  pollMs: 2_000,
  timeoutMs: 10_000,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 12,
  batch: 20,
  retentionMs: 30 * 86_400_000,
  pruneEveryMs: 3_600_000,
};

/** Events removed per transaction while pruning: short transactions beside the sales that enqueue new ones. */
const PRUNE_CHUNK = 500;

/** The longest error text kept per attempt. */
const MAX_ERROR = 500;

export class WebhookWorker {
  private readonly db: WebhookDb;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly connection: Connection,
    private readonly webhooks: WebhooksService,
    private readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>,
    readonly settings: WebhookWorkerSettings = DEFAULT_WEBHOOK_SETTINGS,
    private readonly now: () => number = Date.now,
    /** Whether this instance runs the periodic prunes (the cloud's leadership); deliveries go out from every one. */
    private readonly leads: () => boolean = () => true,
  ) {
    this.db = webhookTables(connection);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the round in flight (its requests end within the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then(() => this.pruneIfDue())
        .catch((error) => this.logger.error({ err: error }, 'webhook delivery round failed'))
        .finally(() => this.schedule(this.settings.pollMs));
    }, ms);
    this.timer.unref();
  }

  /** One round: sends every due delivery (up to `batch`) in parallel; returns how many it attempted. */
  async runOnce(): Promise<number> {
    const now = this.now();
    const due = await dueDeliveries(this.db, now, this.settings.batch);
    const claimed: DueDelivery[] = [];
    for (const delivery of due)
      if (await claimDelivery(this.db, delivery, now + this.settings.timeoutMs + 60_000))
        claimed.push(delivery);
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  /** Removes the events past their retention (oldest first, in short transactions); returns how many went. */
  async prune(now = this.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = await pruneEventsBefore(this.db, now - this.settings.retentionMs, PRUNE_CHUNK);
      total += removed;
      if (removed < PRUNE_CHUNK) return total;
    }
  }

  private async pruneIfDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < this.settings.pruneEveryMs || !this.leads()) return;
    this.lastPrune = now;
    const removed = await this.prune(now);
    if (removed > 0) this.logger.info({ removed }, 'webhook events past their retention removed');
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    if (
      delivery.endpoint_key_id !== null &&
      !(await channelKeyActive(this.connection, delivery.endpoint_key_id))
    )
      return this.park(delivery);
    const body = JSON.stringify({
      id: delivery.event_id,
      type: delivery.type,
      createdAt: delivery.event_created_at,
      data: JSON.parse(delivery.payload_json),
    });
    const started = this.now();
    const timestamp = Math.floor(started / 1_000);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const secrets = [this.webhooks.secretOf(delivery.endpoint_id, delivery.secret_enc)];
      // A rotated secret's grace period: the replaced secret signs too, so the partner may still hold it.
      if (delivery.previous_secret_enc !== null && (delivery.previous_secret_until ?? 0) > started)
        secrets.push(this.webhooks.secretOf(delivery.endpoint_id, delivery.previous_secret_enc));
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'scenic-gate-webhooks/1',
          [SIGNATURE_HEADERS.id]: delivery.event_id,
          [SIGNATURE_HEADERS.timestamp]: String(timestamp),
          [SIGNATURE_HEADERS.signature]: signatures(secrets, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      statusCode = response.status;
      // The answer's body is not read: only the status counts, and a slow body must not hold the attempt.
      await response.body?.cancel().catch(() => {});
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (caught) {
      error = describe(caught, this.settings.timeoutMs);
    }
    await this.record(delivery, { statusCode, error, started, finished: this.now() });
  }

  /** A revoked key's delivery: put back without an attempt, far enough ahead not to be read every round. */
  private async park(delivery: DueDelivery): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: this.now() + this.settings.maxDelayMs })
      .where('id', '=', delivery.id)
      .where('status', '=', 'pending')
      .execute();
  }

  private async record(
    delivery: DueDelivery,
    outcome: { statusCode: number | null; error: string | null; started: number; finished: number },
  ): Promise<void> {
    const attempt = delivery.attempts + 1;
    const delivered = outcome.error === null;
    const spent = attempt - delivery.retry_base;
    const delay = Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (spent - 1));
    const status = delivered ? 'delivered' : spent >= this.settings.maxAttempts ? 'failed' : 'pending';
    await transaction(this.db, async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: delivery.id,
          attempt,
          at: outcome.started,
          status_code: outcome.statusCode,
          error: outcome.error,
          duration_ms: Math.max(0, Math.round(outcome.finished - outcome.started)),
        })
        .execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({
          status,
          attempts: attempt,
          next_attempt_at: delivered ? outcome.finished : outcome.finished + delay,
          delivered_at: delivered ? outcome.finished : null,
        })
        .where('id', '=', delivery.id)
        .where('attempts', '=', delivery.attempts)
        .execute();
    });
    if (status === 'failed')
      this.logger.warn({ deliveryId: delivery.id, eventId: delivery.event_id }, 'webhook delivery gave up');
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = error as { name?: string; message?: string; cause?: { code?: string } };
  if (name === 'TimeoutError' || name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const text = [message, cause?.code].filter(Boolean).join(': ') || String(error);
  return text.slice(0, MAX_ERROR);
}
