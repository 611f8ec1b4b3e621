/**
 * bench:flood in a few seconds (flood.ts): one gate floods the real cloud at full speed while five others send
 * passages; the API stays fast, their passages are stored within the goal, and the flood is refused, cut off and
 * left as a few rows of the communication log.
 */
import { cpus, loadavg } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runFlood } from './flood.js';

describe('one gate flooding the real cloud', () => {
  it('does not slow /healthz or the other gates’ passages', { timeout: 120_000 }, async () => {
    const result = await runFlood({
      gates: 5,
      passagesPerGate: 5,
      baselineMs: 2_000,
      floodMs: 4_000,
      backoffSec: 1,
    });
    const figures = JSON.stringify({ load: loadavg()[0], baseline: result.baseline, flood: result.flood });
    // The flood costs the cloud next to nothing: without the budget the same flood took it from 0.2 to 0.6 cores
    // (BENCHMARKS.md). This holds on a busy machine too, where the latencies below measure the machine.
    // (The CPU comes from /proc: Linux only.)
    if (!Number.isNaN(result.flood.cloudCores))
      expect(result.flood.cloudCores, figures).toBeLessThanOrEqual(result.baseline.cloudCores + 0.25);
    // The goal of issue #11. /healthz p99 ≤ 50 ms needs the cloud to get a core when it asks: asserted when the
    // machine is not already loaded beyond its cores by other jobs (seen at load 5: p99 129 ms before any flood).
    if (loadavg()[0]! <= cpus().length) expect(result.flood.healthz.p99, figures).toBeLessThanOrEqual(50);
    else console.warn(`bench:flood test: machine loaded, /healthz p99 not asserted: ${figures}`);
    expect(result.flood.passages.p99, figures).toBeLessThanOrEqual(1_000);
    expect(result.flood.passagesLost).toBe(0);
    expect(result.flood.healthzFailed).toBe(0);
    expect(result.flood.passages.count).toBeGreaterThan(50);
    // The flood happened and was refused: cut off at least once, let back in, refused more.
    expect(result.flooder.sent).toBeGreaterThan(5_000);
    expect(result.floods).toBeGreaterThanOrEqual(1);
    expect(result.overBudget).toBeGreaterThan(0);
    // Its log: a row per message let through (each time it is let in, at most its burst of 200) and a few rows for
    // all the rest, whatever it sent.
    expect(result.commLogRows).toBeLessThanOrEqual((result.floods + 1) * 200 + 20);
    expect(result.commLogRows).toBeLessThan(result.flooder.sent / 10);
  });
});
