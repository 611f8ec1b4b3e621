import { describe, expect, it, vi } from 'vitest';
import { GroupOrderExpiry } from './expiry.js';
import { cancelFreeUntil, cancellationFee, permilleOf, visitDayEnd, visitorsDueAt } from './policy.js';
import { ORDER_STATES, type OrderAction, TRANSITIONS, transition } from './states.js';

describe('group order states', () => {
  it('allows exactly the listed edges and refuses every other with ORDER_STATE_INVALID', () => {
    const allowed: string[] = [];
    for (const action of Object.keys(TRANSITIONS) as OrderAction[])
      for (const from of ORDER_STATES) {
        try {
          allowed.push(`${action}: ${from} → ${transition(action, from)}`);
        } catch (error) {
          expect(error).toMatchObject({ code: 'ORDER_STATE_INVALID' });
        }
      }
    expect(allowed.sort()).toEqual(
      [
        'confirm: held → confirmed',
        'modify: held → held',
        'modify: confirmed → confirmed',
        'visitors: held → held',
        'visitors: confirmed → confirmed',
        'pick_up: confirmed → picked_up',
        'cancel: held → cancelled',
        'cancel: confirmed → cancelled',
        'expire: held → expired',
        'close: picked_up → closed',
      ].sort(),
    );
  });

  it('ends nowhere after closed, cancelled or expired', () => {
    for (const end of ['closed', 'cancelled', 'expired'] as const)
      for (const action of Object.keys(TRANSITIONS) as OrderAction[])
        expect(() => transition(action, end)).toThrow();
  });
});

describe('group order policy', () => {
  // 2026-12-17 00:00 in Shanghai; day number of 2026-12-17.
  const day = Date.UTC(2026, 11, 17) / 86_400_000;
  const midnight = Date.parse('2026-12-17T00:00:00+08:00');

  it('counts cut-offs back from the visit day’s start in the site’s zone', () => {
    expect(cancelFreeUntil(day, 'Asia/Shanghai', 24)).toBe(midnight - 24 * 3_600_000);
    expect(visitorsDueAt(day, 'Asia/Shanghai', { visitorsDueHours: 6 }, true)).toBe(midnight - 6 * 3_600_000);
    expect(visitorsDueAt(day, 'Asia/Shanghai', { visitorsDueHours: 6 }, false)).toBeNull();
    expect(visitDayEnd(day, 'Asia/Shanghai')).toBe(midnight + 86_400_000);
  });

  it('charges the fee only after the cut-off and only on what was paid, rounded down', () => {
    const order = { paidFen: 70_001, freeUntil: 1_000, feePermille: 100 };
    expect(cancellationFee(order, 999)).toBe(0);
    expect(cancellationFee(order, 1_000)).toBe(7_000);
    expect(cancellationFee({ ...order, paidFen: 0 }, 5_000)).toBe(0);
    expect(permilleOf(999, 1000)).toBe(999);
  });
});

describe('the expiry sweep', () => {
  it('sweeps at start and every interval, logs a failed round and carries on, and stops', async () => {
    vi.useFakeTimers();
    try {
      const expireLapsed = vi
        .fn<() => Promise<number>>()
        .mockResolvedValueOnce(2)
        .mockRejectedValueOnce(new Error('database away'))
        .mockResolvedValue(0);
      const logger = { info: vi.fn(), error: vi.fn() };
      const sweep = new GroupOrderExpiry({ expireLapsed }, 60_000, logger);
      sweep.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(expireLapsed).toHaveBeenCalledTimes(1);
      expect(logger.info).toHaveBeenCalledWith({ expired: 2 }, 'group order holds expired');
      await vi.advanceTimersByTimeAsync(60_000);
      expect(expireLapsed).toHaveBeenCalledTimes(2);
      expect(logger.error).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(expireLapsed).toHaveBeenCalledTimes(3);
      await sweep.stop();
      await vi.advanceTimersByTimeAsync(180_000);
      expect(expireLapsed).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
