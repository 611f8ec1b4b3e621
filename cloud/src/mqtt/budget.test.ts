import { describe, expect, it } from 'vitest';
import { GateBudget } from './budget.js';

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('per-gate message budget', () => {
  it('lets a burst through, then refills at the rate; a drop does not use up tokens', () => {
    const time = clock();
    const budget = new GateBudget({ ratePerSec: 10, burst: 100, backoffMs: 60_000 }, time.now);
    for (let i = 0; i < 100; i++) expect(budget.take('park/G01', 0)).toEqual({ verdict: 'pass' });
    expect(budget.take('park/G01', 0)).toEqual({ verdict: 'drop' });
    // Another gate has a budget of its own.
    expect(budget.take('park/G02', 0)).toEqual({ verdict: 'pass' });
    time.advance(1_000);
    for (let i = 0; i < 10; i++) expect(budget.take('park/G01', 0)).toEqual({ verdict: 'pass' });
    expect(budget.take('park/G01', 0)).toEqual({ verdict: 'drop' });
  });

  it('never drops a QoS 1 message: it waits for its token, in arrival order, and never counts as a flood', () => {
    const time = clock();
    const budget = new GateBudget({ ratePerSec: 10, burst: 100, backoffMs: 60_000 }, time.now);
    for (let i = 0; i < 100; i++) budget.take('park/G01', 1);
    expect(budget.take('park/G01', 1)).toEqual({ verdict: 'wait', ms: 100 });
    expect(budget.take('park/G01', 1)).toEqual({ verdict: 'wait', ms: 200 });
    // A QoS 0 message behind them is dropped, not queued.
    expect(budget.take('park/G01', 0)).toEqual({ verdict: 'drop' });
    for (let i = 0; i < 1_000; i++) expect(budget.take('park/G01', 1).verdict).toBe('wait');
  });

  it('keeps a gate a little over its rate on dropping the excess, without cutting it off', () => {
    const time = clock();
    const budget = new GateBudget({ ratePerSec: 10, burst: 100, backoffMs: 60_000 }, time.now);
    const verdicts = new Map<string, number>();
    // 15 messages a second for ten minutes against a budget of 10.
    for (let i = 0; i < 15 * 600; i++) {
      time.advance(1_000 / 15);
      const { verdict } = budget.take('park/G01', 0);
      verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
    }
    expect(verdicts.get('flood')).toBeUndefined();
    expect(verdicts.get('drop')).toBeGreaterThan(2_500);
    expect(budget.backedOffUntil('park/G01')).toBeUndefined();
  });

  it('cuts off a flooding gate for the back-off period, then gives it a full budget again', () => {
    const time = clock();
    const budget = new GateBudget({ ratePerSec: 10, burst: 100, backoffMs: 60_000 }, time.now);
    const verdicts: string[] = [];
    for (let i = 0; i < 1_000; i++) verdicts.push(budget.take('park/G01', i % 2 === 0 ? 0 : 1).verdict);
    // The burst passes, then QoS 1 waits and QoS 0 drops until the dropped excess exceeds the burst: one flood.
    expect(verdicts.slice(0, 100).every((v) => v === 'pass')).toBe(true);
    expect(verdicts.slice(100, 102)).toEqual(['drop', 'wait']);
    const flood = verdicts.indexOf('flood');
    expect(flood).toBe(300);
    expect(verdicts.slice(flood + 1).every((v) => v === 'backed-off')).toBe(true);
    expect(budget.backedOffUntil('park/G01')).toBe(time.now() + 60_000);
    expect(budget.take('park/G02', 0).verdict).toBe('pass');

    time.advance(59_999);
    expect(budget.take('park/G01', 0).verdict).toBe('backed-off');
    time.advance(1);
    expect(budget.backedOffUntil('park/G01')).toBeUndefined();
    for (let i = 0; i < 100; i++) expect(budget.take('park/G01', 0).verdict).toBe('pass');
  });

  it('forgets idle gates once it tracks many', () => {
    const time = clock();
    const budget = new GateBudget({ ratePerSec: 10, burst: 100, backoffMs: 60_000 }, time.now);
    for (let i = 0; i < 20_000; i++) budget.take(`park/G${i}`, 0);
    time.advance(60_000);
    budget.take('park/last', 0);
    expect(budget.size).toBeLessThanOrEqual(10_001);
  });
});
