import { describe, expect, it } from 'vitest';
import { dayNumberOf } from '../../platform/identity/civil-date.js';
import { instantOf } from '../capacity/local-time.js';
import { defaultRules } from './repo.js';
import { expiryOf, pointsEarned, pointsForFen, pointsToReturn, pointsToReverse } from './rules.js';
import type { PointsRules } from './schemas.js';

const rules = (changes: Partial<PointsRules> = {}): PointsRules => ({
  ...defaultRules('park'),
  enabled: true,
  pointsPerYuan: 1,
  redeemPointsPerYuan: 100,
  ...changes,
});
const day = (text: string) => {
  const [year, month, d] = text.split('-').map(Number);
  return dayNumberOf({ year: year!, month: month!, day: d! });
};
const sale = (changes: Partial<Parameters<typeof pointsEarned>[1]> = {}) => ({
  lines: [{ typeId: 1, amountFen: 9_999 }],
  totalFen: 9_999,
  pointsFen: 0,
  day: day('2026-05-01'),
  member: false,
  ...changes,
});

describe('points rules', () => {
  it('earns on the money paid, rounded down once, per type, with the member and the highest date multiplier', () => {
    expect(pointsEarned(rules(), sale())).toBe(99);
    expect(pointsEarned(rules({ enabled: false }), sale())).toBe(0);
    // Paid ¥80 of ¥100 in money: 80 points; type 2 at 3 per yuan on its share.
    expect(
      pointsEarned(
        rules({ typeRates: [{ typeId: 2, pointsPerYuan: 3 }] }),
        sale({
          lines: [
            { typeId: 1, amountFen: 5_000 },
            { typeId: 2, amountFen: 5_000 },
          ],
          totalFen: 10_000,
          pointsFen: 2_000,
        }),
      ),
    ).toBe(40 + 120);
    const multiplied = rules({
      memberMultiplierPermille: 1_500,
      dateMultipliers: [
        { from: '2026-04-30', to: '2026-05-02', permille: 2_000 },
        { from: '2026-05-01', to: '2026-05-01', permille: 3_000 },
        { from: '2026-05-02', to: '2026-05-09', permille: 5_000 },
      ],
    });
    expect(
      pointsEarned(multiplied, sale({ totalFen: 10_000, lines: [{ typeId: 1, amountFen: 10_000 }] })),
    ).toBe(300);
    expect(
      pointsEarned(
        multiplied,
        sale({ totalFen: 10_000, lines: [{ typeId: 1, amountFen: 10_000 }], member: true }),
      ),
    ).toBe(450);
    expect(pointsEarned(rules(), sale({ pointsFen: 9_999 }))).toBe(0);
  });

  it('converts an amount to whole points at the site rate, or refuses', () => {
    expect(pointsForFen(rules(), 250)).toBe(250);
    expect(pointsForFen(rules({ redeemPointsPerYuan: 10 }), 250)).toBe(25);
    expect(() => pointsForFen(rules({ redeemPointsPerYuan: 10 }), 255)).toThrow(
      expect.objectContaining({ code: 'POINTS_AMOUNT_INVALID' }),
    );
    expect(() => pointsForFen(rules({ redeemPointsPerYuan: null }), 100)).toThrow(
      expect.objectContaining({ code: 'POINTS_NOT_ACCEPTED' }),
    );
  });

  it('reverses refunds cumulatively: never more than earned, exactly all when every ticket is refunded', () => {
    let before = { basisFen: 0, points: 0 };
    const steps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = pointsToReverse(100, 30_000, before, 10_000);
      steps.push(r.points);
      before = { basisFen: before.basisFen + r.basisFen, points: before.points + r.points };
    }
    expect(steps).toEqual([33, 33, 34]);
    expect(pointsToReverse(100, 30_000, before, 10_000)).toEqual({ points: 0, basisFen: 0 });
    // An upgraded ticket's price above the sale's share is capped at what the sale took.
    expect(pointsToReverse(100, 30_000, { basisFen: 0, points: 0 }, 50_000).points).toBe(100);
    expect(pointsToReturn({ points: 300, fen: 300 }, { points: 0, fen: 0 }, 100)).toBe(100);
    expect(pointsToReturn({ points: 25, fen: 250 }, { points: 0, fen: 0 }, 100)).toBe(10);
    expect(pointsToReturn({ points: 25, fen: 250 }, { points: 10, fen: 100 }, 150)).toBe(15);
  });

  it('expires never, N days on, or at the end of the year after the one earned in (venue-local)', () => {
    const at = instantOf(day('2026-12-31'), 23 * 60 + 30, 'Asia/Shanghai');
    expect(expiryOf(rules(), at, 'Asia/Shanghai', day('2026-12-31'))).toBeNull();
    expect(expiryOf(rules({ expiry: 'days', expiryDays: 30 }), at, 'Asia/Shanghai', day('2026-12-31'))).toBe(
      at + 30 * 86_400_000,
    );
    expect(expiryOf(rules({ expiry: 'year_after' }), at, 'Asia/Shanghai', day('2026-12-31'))).toBe(
      Date.UTC(2027, 11, 31, 16, 0),
    );
  });
});
