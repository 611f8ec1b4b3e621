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
    ).toEqual({ validFrom: Date.UTC(2026, 10, 30, 16), validTo: Date.UTC(2026, 11, 1, 16) });
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
    ).toEqual({ validFrom: Date.UTC(2026, 11, 1, 3, 7), validTo: Date.UTC(2026, 11, 2, 16) });
  });

  it('follows daylight saving changes', () => {
    // Europe/Berlin switches to summer time on 2027-03-28.
    const window = validityWindow(
      { from: 'visit_date', length: { unit: 'day', count: 1 } },
      day('2027-03-28'),
      0,
      'Europe/Berlin',
    );
    expect(window).toEqual({ validFrom: Date.UTC(2027, 2, 27, 23), validTo: Date.UTC(2027, 2, 28, 22) });
  });
});
