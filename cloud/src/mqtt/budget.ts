/**
 * Each gate's message budget (a token bucket per gate), checked where a gate's messages enter the cloud before any
 * work is done on them: a broken or hostile gate that publishes as fast as it can must not take the cloud's event
 * loop, database and communication log from every other gate and from the API.
 *
 * - A gate may send `burst` messages at once and `ratePerSec` a second after that.
 * - Beyond it a QoS 0 message (heartbeat, validation request) is dropped: nobody is waiting for it to arrive. A
 *   QoS 1 message (a passage) is not: the broker acknowledges it only after the cloud has taken it, so it waits for
 *   its token instead, which holds the gate's next messages (its outbox sends at most 64 unacknowledged ones).
 * - Every dropped message adds to the gate's excess, which drains at the budget rate. A gate over its rate for a
 *   while only loses its excess messages (it would take more than twice the rate to pile the excess up); once the
 *   excess exceeds `burst` the gate is flooding: it is cut off for `backoffMs` (its messages are refused and the
 *   broker refuses its logins), and starts again with a full budget after that. QoS 1 messages that wait are not
 *   excess: the broker reads no more of that gate's socket until they are taken, so they slow only that gate.
 *
 * Pure state over a clock: the callers (broker.ts, intake.ts) act on the verdicts.
 */

export interface BudgetSettings {
  /** Messages per second a gate may send on average. */
  readonly ratePerSec: number;
  /** Messages a gate may send at once; also the excess beyond which a gate counts as flooding. */
  readonly burst: number;
  /** How long a flooding gate is cut off. */
  readonly backoffMs: number;
}

export type BudgetVerdict =
  | { readonly verdict: 'pass' }
  /** QoS 1 beyond the budget: take it after `ms`. */
  | { readonly verdict: 'wait'; readonly ms: number }
  /** QoS 0 beyond the budget: drop it. */
  | { readonly verdict: 'drop' }
  /** This message made the gate a flooder: refuse it, cut the gate off until `until` and say so (once). */
  | { readonly verdict: 'flood'; readonly until: number }
  /** The gate is cut off: refuse the message. */
  | { readonly verdict: 'backed-off' };

interface Bucket {
  tokens: number;
  excess: number;
  at: number;
  backedOffUntil: number;
}

/** Gates tracked before idle ones (whose bucket is full again) are forgotten. */
const MAX_TRACKED = 10_000;

export class GateBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly settings: BudgetSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = settings.ratePerSec / 1_000;
  }

  /** Gates tracked now. */
  get size(): number {
    return this.buckets.size;
  }

  /** Charges one message of `gate` (any stable key, e.g. `site/gate`) at QoS `qos`. */
  take(gate: string, qos: 0 | 1 | 2): BudgetVerdict {
    const now = this.now();
    let bucket = this.buckets.get(gate);
    if (!bucket) {
      // At most once a second: a sweep that finds nothing idle must not be repeated for every new gate.
      if (this.buckets.size >= MAX_TRACKED && now - this.sweptAt >= 1_000) this.forgetIdle(now);
      bucket = { tokens: this.settings.burst, excess: 0, at: now, backedOffUntil: 0 };
      this.buckets.set(gate, bucket);
    }
    if (bucket.backedOffUntil > now) return { verdict: 'backed-off' };
    if (bucket.backedOffUntil > 0) {
      // Back-off over: a fresh start.
      bucket.backedOffUntil = 0;
      bucket.tokens = this.settings.burst;
      bucket.excess = 0;
      bucket.at = now;
    }
    const refill = (now - bucket.at) * this.perMs;
    bucket.at = now;
    bucket.tokens = Math.min(this.settings.burst, bucket.tokens + refill);
    bucket.excess = Math.max(0, bucket.excess - refill);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { verdict: 'pass' };
    }
    if (qos > 0) {
      // A reservation: the token this message takes arrives when the bucket is back at zero. Waiting messages are
      // not excess: the gate's next ones wait behind them (the broker reads no more of its socket meanwhile), so
      // they cost the cloud no more than the budget.
      bucket.tokens -= 1;
      return { verdict: 'wait', ms: Math.ceil(-bucket.tokens / this.perMs) };
    }
    bucket.excess += 1;
    if (bucket.excess > this.settings.burst) {
      bucket.backedOffUntil = now + this.settings.backoffMs;
      return { verdict: 'flood', until: bucket.backedOffUntil };
    }
    return { verdict: 'drop' };
  }

  /** When the gate's back-off ends, while it is cut off. */
  backedOffUntil(gate: string): number | undefined {
    const until = this.buckets.get(gate)?.backedOffUntil ?? 0;
    return until > this.now() ? until : undefined;
  }

  private forgetIdle(now: number): void {
    this.sweptAt = now;
    const fullAfterMs = this.settings.burst / this.perMs;
    for (const [gate, bucket] of this.buckets) {
      if (bucket.backedOffUntil <= now && now - bucket.at >= fullAfterMs) this.buckets.delete(gate);
    }
  }
}
