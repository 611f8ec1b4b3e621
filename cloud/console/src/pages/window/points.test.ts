import { describe, expect, it } from 'vitest';
import { maxPointsFen, pointsForFen, pointsProblem, stepFen } from './points';

describe('points as a tender', () => {
  it('converts by the site rate and only whole points', () => {
    expect(pointsForFen(3_000, 100)).toBe(3_000);
    expect(pointsForFen(3_000, 10)).toBe(300);
    expect(pointsForFen(3_005, 10)).toBeNull();
    expect(stepFen(10)).toBe(10);
    expect(stepFen(100)).toBe(1);
    expect(stepFen(30)).toBe(10);
    expect(stepFen(7)).toBe(100);
  });

  it('offers at most what the balance covers, in payable steps, never above what is due', () => {
    expect(maxPointsFen({ rate: 10, balance: 1_000 }, 8_000)).toBe(8_000);
    expect(maxPointsFen({ rate: 10, balance: 305 }, 8_000)).toBe(3_050);
    expect(maxPointsFen({ rate: 7, balance: 20 }, 8_000)).toBe(200);
    expect(maxPointsFen({ rate: 10, balance: 0 }, 8_000)).toBe(0);
    expect(maxPointsFen({ rate: 10, balance: 50 }, 0)).toBe(0);
  });

  it('names the problem of an amount', () => {
    const offer = { rate: 10, balance: 300 };
    expect(pointsProblem(3_000, offer)).toBeNull();
    expect(pointsProblem(0, offer)).toBeNull();
    expect(pointsProblem(3_005, offer)).toBe('points_step');
    expect(pointsProblem(3_010, offer)).toBe('points_balance');
  });
});
