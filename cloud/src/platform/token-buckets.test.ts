import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets.js';

describe('token buckets by key', () => {
  it('allows the burst, then one call per 1/rate, each key on its own', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    for (let i = 0; i < 3; i++) expect(buckets.take('a', 60, 3)).toEqual({ ok: true });
    expect(buckets.take('a', 60, 3)).toEqual({ ok: false, retryAfterMs: 1_000 });
    expect(buckets.take('b', 60, 3)).toEqual({ ok: true });
    now = 400;
    expect(buckets.take('a', 60, 3)).toEqual({ ok: false, retryAfterMs: 600 });
    now = 1_000;
    expect(buckets.take('a', 60, 3)).toEqual({ ok: true });
    expect(buckets.take('a', 60, 3).ok).toBe(false);
    // Idle long enough, a bucket is full again, never fuller.
    now = 1_000_000;
    for (let i = 0; i < 3; i++) expect(buckets.take('a', 60, 3).ok).toBe(true);
    expect(buckets.take('a', 60, 3).ok).toBe(false);
  });

  it('forgets only full buckets when it tracks too many keys', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    buckets.take('busy', 1, 1);
    for (let i = 0; i < 10_000; i++) buckets.take(`k${i}`, 60_000, 1);
    now = 10;
    // Every other bucket refilled within 10 ms (1,000 a second); 'busy' (one a minute) did not and is kept.
    buckets.take('new', 60_000, 1);
    expect(buckets.take('busy', 1, 1).ok).toBe(false);
    expect(buckets.tracked).toBe(2);
  });
});
