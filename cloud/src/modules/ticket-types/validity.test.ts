import { describe, expect, it } from 'vitest';
import { dayOfIsoDate } from '../capacity/local-time.js';
import { validityWindow } from './validity.js';

const day = (iso: string) => dayOfIsoDate(iso)!;

describe('validityWindow', () => {
  it('covers the visit date in the venue zone', () => {
    expect(
      validityWindow(
        { from: 'visit_date', length: { unit: 'day', count: 1 } },
        day('2026-12-01'),
        0,
        'Asia/Shanghai',
      ),
    ).toEqual({
      validFrom: Date.UTC(2026, 10, 30, 16),
      validTo: Date.UTC(2026, 11, 1, 16),
      activation: null,
    });
  });

  it('counts calendar months and clamps to the month end', () => {
    const window = validityWindow(
      { from: 'visit_date', length: { unit: 'month', count: 1 } },
      day('2027-01-31'),
      0,
      'UTC',
    );
    expect(window.validTo).toBe(Date.UTC(2027, 1, 28));
  });

  it('starts at the sale minute for validity from the sale', () => {
    const soldAt = Date.UTC(2026, 11, 1, 3, 7, 42, 500);
    expect(
      validityWindow(
        { from: 'sale', length: { unit: 'day', count: 2 } },
        day('2026-12-05'),
        soldAt,
        'Asia/Shanghai',
      ),
    ).toEqual({
      validFrom: Date.UTC(2026, 11, 1, 3, 7),
      validTo: Date.UTC(2026, 11, 2, 16),
      activation: null,
    });
  });

  it('follows daylight saving changes', () => {
    // Europe/Berlin switches to summer time on 2027-03-28.
    const window = validityWindow(
      { from: 'visit_date', length: { unit: 'day', count: 1 } },
      day('2027-03-28'),
      0,
      'Europe/Berlin',
    );
    expect(window).toEqual({
      validFrom: Date.UTC(2027, 2, 27, 23),
      validTo: Date.UTC(2027, 2, 28, 22),
      activation: null,
    });
  });

  it('from first use: activation by default within 365 days, the envelope ends a period after the last day', () => {
    // Visit date 2026-12-01 in Shanghai: activate by 365 days later (2027-12-01 00:00 local), 30 days from it.
    const window = validityWindow(
      { from: 'first_use', length: { unit: 'day', count: 30 } },
      day('2026-12-01'),
      0,
      'Asia/Shanghai',
    );
    expect(window).toEqual({
      validFrom: Date.UTC(2026, 10, 30, 16),
      validTo: Date.UTC(2027, 11, 29, 16),
      activation: { by: Date.UTC(2027, 10, 30, 16), unit: 'day', count: 30 },
    });
  });

  it('from first use: the earlier of activateWithinDays and activateBy (inclusive date) bounds the activation', () => {
    const within = validityWindow(
      { from: 'first_use', length: { unit: 'month', count: 12 }, activateWithinDays: 90 },
      day('2026-12-01'),
      0,
      'Asia/Shanghai',
    );
    expect(within.activation?.by).toBe(Date.UTC(2027, 1, 28, 16)); // 2027-03-01 00:00 local: day 91
    const byDate = validityWindow(
      {
        from: 'first_use',
        length: { unit: 'month', count: 12 },
        activateWithinDays: 90,
        activateBy: '2026-12-31',
      },
      day('2026-12-01'),
      0,
      'Asia/Shanghai',
    );
    expect(byDate.activation?.by).toBe(Date.UTC(2026, 11, 31, 16)); // the end of 31 December, local
    // Entered on 31 December: a year card valid until the end of 30 December 2027.
    expect(byDate.validTo).toBe(Date.UTC(2027, 11, 30, 16));
  });
});
