import { isoWeekdayOfDay } from '@scenic/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  civilDateOfDayNumber,
  dayNumberOf,
  formatIsoDate,
  parseIsoDate,
} from '../../platform/identity/civil-date.js';
import {
  type CalendarPeriod,
  changeBasisPoints,
  changeRatio,
  dayKindOf,
  previousPeriod,
  sameDateLastYear,
  sameWeekdayLastYear,
  shareBasisPoints,
  shiftMonths,
  wholeMonths,
  yearOnYearBases,
} from './comparison.js';

const d = (iso: string) => dayNumberOf(parseIsoDate(iso)!);
const iso = (day: number) => formatIsoDate(civilDateOfDayNumber(day));

const period = (
  code: string,
  year: number,
  first: string,
  last: string,
  kind: CalendarPeriod['kind'] = 'holiday',
): CalendarPeriod => ({
  id: `${kind === 'holiday' ? '' : 'w-'}${code}-${year}-${first}`,
  code,
  name: { 'zh-CN': code, en: code },
  year,
  firstDay: d(first),
  lastDay: d(last),
  kind,
});

/** The State Council's 2024–2026 Spring Festival and National Day breaks (as seeded), and 2025's New Year. */
const CALENDAR: CalendarPeriod[] = [
  period('spring_festival', 2024, '2024-02-10', '2024-02-17'),
  period('spring_festival', 2025, '2025-01-28', '2025-02-04'),
  period('spring_festival', 2025, '2025-01-26', '2025-01-26', 'workday_swap'),
  period('spring_festival', 2026, '2026-02-15', '2026-02-23'),
  period('spring_festival', 2026, '2026-02-14', '2026-02-14', 'workday_swap'),
  period('new_year', 2025, '2025-01-01', '2025-01-01'),
  period('new_year', 2026, '2026-01-01', '2026-01-03'),
  period('national_day', 2025, '2025-10-01', '2025-10-08'),
  period('national_day', 2026, '2026-10-01', '2026-10-07'),
  period('mid_autumn', 2026, '2026-09-25', '2026-09-27'),
];

const anyDay = fc.integer({ min: d('1990-01-01'), max: d('2100-12-31') });

describe('year-on-year base days', () => {
  it('same date: the same calendar date a year earlier, 29 February on 28 February', () => {
    expect(iso(sameDateLastYear(d('2026-12-07')))).toBe('2025-12-07');
    expect(iso(sameDateLastYear(d('2024-02-29')))).toBe('2023-02-28');
    expect(iso(sameDateLastYear(d('2025-02-28')))).toBe('2024-02-28');
    expect(iso(sameDateLastYear(d('2025-03-01')))).toBe('2024-03-01');
    expect(iso(sameDateLastYear(d('2026-01-01')))).toBe('2025-01-01');
    expect(iso(sameDateLastYear(d('2000-02-29')))).toBe('1999-02-28');
  });

  it('same date: keeps month and day for every date but 29 February (property)', () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        const now = civilDateOfDayNumber(day);
        const base = civilDateOfDayNumber(sameDateLastYear(day));
        expect(base.year).toBe(now.year - 1);
        expect(base.month).toBe(now.month);
        expect(base.day).toBe(now.month === 2 && now.day === 29 ? 28 : now.day);
      }),
    );
  });

  it('same weekday: 364 days back, always the same weekday, 52 weeks (property)', () => {
    expect(iso(sameWeekdayLastYear(d('2026-12-07')))).toBe('2025-12-08');
    fc.assert(
      fc.property(anyDay, (day) => {
        expect(isoWeekdayOfDay(sameWeekdayLastYear(day))).toBe(isoWeekdayOfDay(day));
        expect(day - sameWeekdayLastYear(day)).toBe(364);
      }),
    );
  });

  it('same date and same weekday map a range day by day, whatever the calendar', () => {
    const range = { from: d('2024-02-27'), to: d('2024-03-02') };
    expect(yearOnYearBases(range, 'same_date', []).map((b) => [iso(b.day), iso(b.base), b.match])).toEqual([
      ['2024-02-27', '2023-02-27', 'same_date'],
      ['2024-02-28', '2023-02-28', 'same_date'],
      ['2024-02-29', '2023-02-28', 'same_date'],
      ['2024-03-01', '2023-03-01', 'same_date'],
      ['2024-03-02', '2023-03-02', 'same_date'],
    ]);
    const weekdays = yearOnYearBases(range, 'same_weekday', []);
    expect(weekdays.map((b) => b.match)).toEqual(Array(5).fill('same_weekday'));
    expect(weekdays.map((b) => b.day - b.base)).toEqual(Array(5).fill(364));
  });

  it('same holiday day: day 3 of this Spring Festival against day 3 of last year’s', () => {
    const bases = yearOnYearBases(
      { from: d('2026-02-15'), to: d('2026-02-23') },
      'same_holiday_day',
      CALENDAR,
    );
    expect(bases.map((b) => [iso(b.day), iso(b.base), b.match, b.holiday?.dayOfHoliday])).toEqual([
      ['2026-02-15', '2025-01-28', 'same_holiday_day', 1],
      ['2026-02-16', '2025-01-29', 'same_holiday_day', 2],
      ['2026-02-17', '2025-01-30', 'same_holiday_day', 3],
      ['2026-02-18', '2025-01-31', 'same_holiday_day', 4],
      ['2026-02-19', '2025-02-01', 'same_holiday_day', 5],
      ['2026-02-20', '2025-02-02', 'same_holiday_day', 6],
      ['2026-02-21', '2025-02-03', 'same_holiday_day', 7],
      ['2026-02-22', '2025-02-04', 'same_holiday_day', 8],
      // 2026's break has nine days, 2025's eight: the ninth falls back to the same weekday, and says so.
      ['2026-02-23', '2025-02-24', 'weekday_fallback', 9],
    ]);
    expect(bases[2]).toMatchObject({
      holiday: { id: 'spring_festival-2026-2026-02-15', code: 'spring_festival' },
      baseHolidayId: 'spring_festival-2025-2025-01-28',
      baseInHoliday: { code: 'spring_festival' },
    });
    expect(bases[8]).toMatchObject({
      fallback: 'beyond_base_holiday',
      baseHolidayId: 'spring_festival-2025-2025-01-28',
    });
    expect(bases[8]?.baseInHoliday).toBeUndefined();
  });

  it('same holiday day: days outside a holiday fall back to the same weekday, labelled, and say when the base is a holiday', () => {
    // 2026-01-27 is a plain Tuesday; 364 days back is 2025-01-28, New Year’s Eve of 2025.
    const [plain] = yearOnYearBases(
      { from: d('2026-01-27'), to: d('2026-01-27') },
      'same_holiday_day',
      CALENDAR,
    );
    expect(plain).toEqual({
      day: d('2026-01-27'),
      base: d('2025-01-28'),
      match: 'weekday_fallback',
      fallback: 'not_a_holiday',
      baseInHoliday: { id: 'spring_festival-2025-2025-01-28', code: 'spring_festival' },
    });
    // A make-up working day is no holiday.
    const [swap] = yearOnYearBases(
      { from: d('2026-02-14'), to: d('2026-02-14') },
      'same_holiday_day',
      CALENDAR,
    );
    expect(swap).toMatchObject({ match: 'weekday_fallback', fallback: 'not_a_holiday' });
  });

  it('same holiday day: a holiday without a break the year before falls back (2026 Mid-Autumn: 2025’s was inside National Day)', () => {
    const bases = yearOnYearBases(
      { from: d('2026-09-25'), to: d('2026-09-27') },
      'same_holiday_day',
      CALENDAR,
    );
    expect(bases.map((b) => [b.match, b.fallback, b.holiday?.code, b.holiday?.dayOfHoliday])).toEqual([
      ['weekday_fallback', 'no_base_holiday', 'mid_autumn', 1],
      ['weekday_fallback', 'no_base_holiday', 'mid_autumn', 2],
      ['weekday_fallback', 'no_base_holiday', 'mid_autumn', 3],
    ]);
    // New Year 2026 has three days, 2025 had one.
    const newYear = yearOnYearBases(
      { from: d('2026-01-01'), to: d('2026-01-03') },
      'same_holiday_day',
      CALENDAR,
    );
    expect(newYear.map((b) => [iso(b.base), b.match])).toEqual([
      ['2025-01-01', 'same_holiday_day'],
      ['2025-01-03', 'weekday_fallback'],
      ['2025-01-04', 'weekday_fallback'],
    ]);
  });

  it('same holiday day across a range that starts before and ends after a break', () => {
    const bases = yearOnYearBases(
      { from: d('2026-09-29'), to: d('2026-10-09') },
      'same_holiday_day',
      CALENDAR,
    );
    expect(bases).toHaveLength(11);
    expect(bases.filter((b) => b.match === 'same_holiday_day').map((b) => iso(b.base))).toEqual([
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
    ]);
    // 2026-10-08 is a plain Thursday whose base (2025-10-09) is past 2025's break.
    expect(bases[9]).toMatchObject({ match: 'weekday_fallback', fallback: 'not_a_holiday' });
    expect(bases[9]?.baseInHoliday).toBeUndefined();
    // 2026-09-30 (plain) against 2025-10-01 (National Day): flagged.
    expect(bases[1]).toMatchObject({ fallback: 'not_a_holiday', baseInHoliday: { code: 'national_day' } });
  });

  it('same holiday day: every base of a holiday day is that day’s offset into last year’s break (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: d('2024-01-01'), max: d('2026-12-31') }), (day) => {
        const [base] = yearOnYearBases({ from: day, to: day }, 'same_holiday_day', CALENDAR);
        if (base?.match !== 'same_holiday_day') return;
        const now = CALENDAR.find((p) => p.id === base.holiday?.id)!;
        const last = CALENDAR.find((p) => p.id === base.baseHolidayId)!;
        expect(last.code).toBe(now.code);
        expect(last.year).toBe(now.year - 1);
        expect(base.base - last.firstDay).toBe(day - now.firstDay);
        expect(base.base).toBeLessThanOrEqual(last.lastDay);
      }),
    );
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => yearOnYearBases({ from: 10, to: 9 }, 'same_date', [])).toThrow(RangeError);
    expect(() => previousPeriod({ from: 1.5, to: 9 }, 'previous_days')).toThrow(RangeError);
  });
});

describe('period-over-period (环比) base periods', () => {
  it('previous days: the same length just before', () => {
    expect(previousPeriod({ from: d('2026-12-01'), to: d('2026-12-07') }, 'previous_days')).toEqual({
      kind: 'previous_days',
      from: d('2026-11-24'),
      to: d('2026-11-30'),
    });
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 400 }), (from, extra) => {
        const previous = previousPeriod({ from, to: from + extra }, 'previous_days')!;
        expect(previous.to).toBe(from - 1);
        expect(previous.to - previous.from).toBe(extra);
      }),
    );
  });

  it('previous month: whole months against the whole months before, a partial month shifted a month', () => {
    const of = (from: string, to: string) => {
      const p = previousPeriod({ from: d(from), to: d(to) }, 'previous_month')!;
      return [iso(p.from), iso(p.to)];
    };
    expect(of('2026-03-01', '2026-03-31')).toEqual(['2026-02-01', '2026-02-28']);
    expect(of('2024-03-01', '2024-03-31')).toEqual(['2024-02-01', '2024-02-29']);
    expect(of('2026-01-01', '2026-01-31')).toEqual(['2025-12-01', '2025-12-31']);
    // A quarter against the quarter before.
    expect(of('2026-04-01', '2026-06-30')).toEqual(['2026-01-01', '2026-03-31']);
    expect(of('2026-03-01', '2026-03-15')).toEqual(['2026-02-01', '2026-02-15']);
    expect(of('2026-03-29', '2026-03-31')).toEqual(['2026-02-28', '2026-02-28']);
    expect(of('2026-12-07', '2026-12-07')).toEqual(['2026-11-07', '2026-11-07']);
  });

  it('whole months and month shifts', () => {
    expect(wholeMonths({ from: d('2026-02-01'), to: d('2026-02-28') })).toBe(1);
    expect(wholeMonths({ from: d('2026-02-01'), to: d('2026-02-27') })).toBe(0);
    expect(wholeMonths({ from: d('2025-11-01'), to: d('2026-02-28') })).toBe(4);
    expect(iso(shiftMonths(d('2026-03-31'), -1))).toBe('2026-02-28');
    expect(iso(shiftMonths(d('2024-03-31'), -1))).toBe('2024-02-29');
    expect(iso(shiftMonths(d('2026-01-15'), -1))).toBe('2025-12-15');
    expect(iso(shiftMonths(d('2026-01-31'), -13))).toBe('2024-12-31');
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -36, max: 36 }), (day, months) => {
        const from = civilDateOfDayNumber(day);
        const to = civilDateOfDayNumber(shiftMonths(day, months));
        expect((to.year - from.year) * 12 + (to.month - from.month)).toBe(months);
        expect(to.day).toBeLessThanOrEqual(from.day);
      }),
    );
  });

  it('previous holiday: the break before this one, none outside a break or before the first', () => {
    const national = previousPeriod(
      { from: d('2026-10-01'), to: d('2026-10-07') },
      'previous_holiday',
      CALENDAR,
    );
    expect(national).toMatchObject({
      from: d('2026-09-25'),
      to: d('2026-09-27'),
      holiday: { code: 'mid_autumn' },
    });
    // A part of a break works too; make-up days are not breaks.
    const spring = previousPeriod(
      { from: d('2026-02-17'), to: d('2026-02-18') },
      'previous_holiday',
      CALENDAR,
    );
    expect(spring?.holiday?.id).toBe('new_year-2026-2026-01-01');
    expect(
      previousPeriod({ from: d('2026-03-01'), to: d('2026-03-02') }, 'previous_holiday', CALENDAR),
    ).toBeUndefined();
    expect(
      previousPeriod({ from: d('2026-10-06'), to: d('2026-10-09') }, 'previous_holiday', CALENDAR),
    ).toBeUndefined();
    expect(
      previousPeriod({ from: d('2024-02-10'), to: d('2024-02-17') }, 'previous_holiday', CALENDAR),
    ).toBeUndefined();
  });
});

describe('day kinds', () => {
  it('tells holidays, make-up working days, weekends and working days apart', () => {
    expect(dayKindOf(d('2026-02-17'), CALENDAR).kind).toBe('holiday');
    expect(dayKindOf(d('2026-02-14'), CALENDAR)).toMatchObject({
      kind: 'workday_swap',
      period: { code: 'spring_festival' },
    });
    expect(dayKindOf(d('2026-12-05'), CALENDAR).kind).toBe('weekend'); // Saturday
    expect(dayKindOf(d('2026-12-06'), CALENDAR).kind).toBe('weekend'); // Sunday
    expect(dayKindOf(d('2026-12-07'), CALENDAR).kind).toBe('workday'); // Monday
  });
});

describe('changes and shares', () => {
  it('gives basis points rounded half away from zero, exactly for fen', () => {
    expect(changeBasisPoints(11_234, 10_000)).toBe(1_234);
    expect(changeBasisPoints(9_000, 10_000)).toBe(-1_000);
    expect(changeBasisPoints(10_000, 10_000)).toBe(0);
    expect(changeBasisPoints(0, 10_000)).toBe(-10_000);
    // 1/3 = 33.333…% → 3333; 2/3 → 6667; −2/3 → −6667; half a basis point rounds away from zero.
    expect(changeBasisPoints(4, 3)).toBe(3_333);
    expect(changeBasisPoints(5, 3)).toBe(6_667);
    expect(changeBasisPoints(1, 3)).toBe(-6_667);
    expect(changeBasisPoints(20_001, 20_000)).toBe(1);
    expect(changeBasisPoints(19_999, 20_000)).toBe(-1);
    // Beyond a double's exact integers, still exact.
    expect(changeBasisPoints(9_007_199_254_740_993n, 9_007_199_254_740_992n)).toBe(0);
    expect(changeBasisPoints(2n ** 60n + 2n ** 50n, 2n ** 60n)).toBe(10);
  });

  it('has no figure when the base is 0: null, never Infinity or NaN', () => {
    expect(changeBasisPoints(500, 0)).toBeNull();
    expect(changeBasisPoints(0, 0)).toBeNull();
    expect(changeRatio(500, 0)).toBeNull();
    expect(shareBasisPoints(0, 0)).toBeNull();
    expect(changeRatio(0, 0n)).toBeNull();
  });

  it('measures against a negative base by its size, so a rise is positive', () => {
    expect(changeBasisPoints(50, -100)).toBe(15_000);
    expect(changeBasisPoints(-200, -100)).toBe(-10_000);
    expect(changeRatio(50, -100)).toBe(1.5);
  });

  it('divides only at the end for the ratio', () => {
    expect(changeRatio(11_234, 10_000)).toBe(0.1234);
    expect(changeRatio(30, 10)).toBe(2);
  });

  it('refuses amounts that are not whole numbers', () => {
    expect(() => changeBasisPoints(10.5, 3)).toThrow(RangeError);
    expect(() => changeRatio(1, Number.NaN)).toThrow(RangeError);
    expect(() => shareBasisPoints(Number.POSITIVE_INFINITY, 3)).toThrow(RangeError);
  });

  it('shares of a whole in basis points', () => {
    expect(shareBasisPoints(1, 3)).toBe(3_333);
    expect(shareBasisPoints(3, 3)).toBe(10_000);
    expect(shareBasisPoints(-1, 8)).toBe(-1_250);
  });

  it('basis points agree with the exact rational, rounded half away from zero (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        (current, base) => {
          const bp = changeBasisPoints(current, base);
          if (base === 0n) {
            expect(bp).toBeNull();
            return;
          }
          const abs = base < 0n ? -base : base;
          const scaled = (current - base) * 10_000n; // exact numerator over abs
          // Exact while the answer is a safe integer (a change below 9×10¹¹ %).
          fc.pre(
            scaled / abs < BigInt(Number.MAX_SAFE_INTEGER) && scaled / abs > -BigInt(Number.MAX_SAFE_INTEGER),
          );
          // |bp·abs − scaled| ≤ abs/2, with a tie going away from zero.
          const error = BigInt(bp!) * abs - scaled;
          expect(2n * (error < 0n ? -error : error) <= abs).toBe(true);
          expect(Number.isFinite(bp)).toBe(true);
        },
      ),
    );
  });
});
