/**
 * Token buckets by key (a channel API key's calls): each key may make `burst` calls at once and `ratePerMinute` a
 * minute on average after that; a call beyond it is refused with the seconds until the next token. In memory, per
 * process: with N instances behind a balancer a key gets at most N times its rate, which is what a limit against
 * runaway clients needs (a billing quota would need the database).
 *
 * Why not the two limiters already here: @fastify/rate-limit counts fixed windows (a client may spend two windows'
 * worth across a boundary) with one limit per route, not one per key read from the database; mqtt/budget.ts is a
 * gate's budget with MQTT semantics (QoS 1 waits, floods cut a gate off), which a refused HTTP call has no use for.
 */

export type BucketVerdict = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
  /** The rate and size it was last taken from with. */
  perMs: number;
  burst: number;
}

/** Keys tracked before those whose bucket has filled up again are forgotten. */
const MAX_TRACKED = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /** How many keys have a bucket (for tests and metrics). */
  get tracked(): number {
    return this.buckets.size;
  }

  /** Takes one token from `key`'s bucket, whose rate and size are given with each call (a key's limit may change). */
  take(key: string, ratePerMinute: number, burst: number = ratePerMinute): BucketVerdict {
    const now = this.now();
    const perMs = ratePerMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now, perMs, burst };
    bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    bucket.perMs = perMs;
    bucket.burst = burst;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= MAX_TRACKED) this.sweep(now);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }

  /** Forgets buckets idle long enough to be full again (they would start full anyway). */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets)
      if (bucket.tokens + (now - bucket.at) * bucket.perMs >= bucket.burst) this.buckets.delete(key);
  }
}
