/**
 * bench:flood in a few seconds (flood.ts): one gate floods the real cloud at full speed while five others send
 * passages; the API stays fast, their passages are stored within the goal, and the flood is refused, cut off and
 * left as a few rows of the communication log.
 */
import { describe, expect, it } from 'vitest';
import { runFlood } from './flood.js';

describe('one gate flooding the real cloud', () => {
  it('does not slow /healthz or the other gates’ passages', { timeout: 120_000 }, async () => {
    const result = await runFlood({
      gates: 5,
      passagesPerGate: 5,
      baselineMs: 1_000,
      floodMs: 4_000,
      backoffSec: 1,
    });
    // The goal of issue #11.
    expect(result.flood.healthz.p99).toBeLessThanOrEqual(50);
    expect(result.flood.passages.p99).toBeLessThanOrEqual(1_000);
    expect(result.flood.passagesLost).toBe(0);
    expect(result.flood.healthzFailed).toBe(0);
    expect(result.flood.passages.count).toBeGreaterThan(50);
    // The flood happened and was refused: cut off at least once, let back in, refused more.
    expect(result.flooder.sent).toBeGreaterThan(5_000);
    expect(result.floods).toBeGreaterThanOrEqual(1);
    expect(result.overBudget).toBeGreaterThan(0);
    // Its log stays a few rows per minute whatever it sent.
    expect(result.commLogRows).toBeLessThan(300);
  });
});
