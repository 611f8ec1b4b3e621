import { describe, expect, it } from 'vitest';
import { defaultsFor } from './form-model';
import { entryRulesPreview, type PreviewInput } from './preview';

type Kind = PreviewInput['kind'];

/** A type of `kind` with the API's defaults, then `change` applied (rules merged). */
function typeOf(
  kind: Kind,
  change: Partial<Omit<PreviewInput, 'rules'>> & { rules?: Partial<PreviewInput['rules']> } = {},
): PreviewInput {
  const defaults = defaultsFor(kind);
  return {
    kind,
    validity: change.validity ?? defaults.validity,
    entries: change.entries === undefined ? defaults.entries : change.entries,
    persons: change.persons ?? defaults.persons,
    rules: { ...defaults.rules, ...change.rules },
  };
}

const both = (input: PreviewInput) => [entryRulesPreview(input, 'zh-CN'), entryRulesPreview(input, 'en')];

describe('entry rules preview', () => {
  it.each<[string, PreviewInput, string, string]>([
    [
      'first use 30 days, any 3 days, unlimited per day',
      typeOf('period_pass', {
        validity: { from: 'first_use', length: { unit: 'day', count: 30 } },
        rules: { visitDays: 3 },
      }),
      '首次入园后 30 天内有效，任选 3 天，每天不限次数',
      'Valid for 30 days from first entry, any 3 days, unlimited entries per day',
    ],
    [
      'visit days with a per-day limit',
      typeOf('period_pass', {
        validity: { from: 'visit_date', length: { unit: 'day', count: 7 } },
        rules: { visitDays: 1, entriesPerDay: 2 },
      }),
      '自游玩日起 7 天内有效，任选 1 天，每天最多 2 次',
      'Valid for 7 days from the visit date, any 1 day, up to 2 entries per day',
    ],
    [
      'a plain single ticket',
      typeOf('single'),
      '仅限游玩日当天有效，限入园 1 次',
      'Valid on the visit date only, one entry',
    ],
    [
      'a day ticket with same-day re-entry until 17:00',
      typeOf('single', { rules: { reentry: { until: 17 * 60 } } }),
      '仅限游玩日当天有效，限入园 1 次，当天 17:00 前可出园后再入园（须一进一出）',
      'Valid on the visit date only, one entry, may leave and come back in on the same day until 17:00 (in and out alternately)',
    ],
    [
      'same-day re-entry all day',
      typeOf('single', { rules: { reentry: { until: null } } }),
      '仅限游玩日当天有效，限入园 1 次，当天可出园后再入园（须一进一出）',
      'Valid on the visit date only, one entry, may leave and come back in on the same day (in and out alternately)',
    ],
    [
      'a count card from the sale, a year',
      typeOf('count'),
      '自售出起 12 个月内有效，共可入园 10 次，每天不限次数',
      'Valid for 12 months from the sale, 10 entries in all, unlimited entries per day',
    ],
    [
      'a year pass activated by a latest date',
      typeOf('year_pass', {
        validity: { from: 'first_use', length: { unit: 'month', count: 12 }, activateBy: '2027-06-30' },
      }),
      '首次入园后 12 个月内有效，须在 2027-06-30 前（含当日）首次入园，每天不限次数',
      'Valid for 12 months from first entry, first entry by 2027-06-30, unlimited entries per day',
    ],
    [
      'a month pass activated within 1 day, one entry a day',
      typeOf('month_pass', {
        validity: { from: 'first_use', length: { unit: 'month', count: 1 }, activateWithinDays: 1 },
        rules: { entriesPerDay: 1 },
      }),
      '首次入园后 1 个月内有效，须在游玩日起 1 天内首次入园，每天最多 1 次',
      'Valid for 1 month from first entry, first entry within 1 day of the visit date, up to 1 entry per day',
    ],
    [
      'a day pass (one day, unlimited)',
      typeOf('day_pass', { validity: { from: 'visit_date', length: { unit: 'day', count: 1 } } }),
      '仅限游玩日当天有效',
      'Valid on the visit date only',
    ],
    [
      'a group ticket',
      typeOf('group'),
      '仅限游玩日当天有效，限入园 1 次，每张 10–50 人',
      'Valid on the visit date only, one entry, 10–50 persons per ticket',
    ],
  ])('%s', (_, input, zh, en) => {
    expect(both(input)).toEqual([zh, en]);
  });

  it('adds when and where as a second sentence: weekdays, hours, slot, places, passback, exits', () => {
    const input = typeOf('single', {
      rules: {
        weekdays: 0b1100000,
        hours: [
          { from: 8 * 60, to: 12 * 60 },
          { from: 13 * 60, to: 17 * 60 + 30 },
        ],
        slotEarlyMin: 15,
        slotLateMin: 30,
        zones: ['main'],
        strictAlternation: true,
        antiPassbackSec: 300,
        exitFree: false,
        unconfirmedUsesEntry: false,
      },
    });
    expect(both(input)).toEqual([
      '仅限游玩日当天有效，限入园 1 次。仅限周六、周日，入园时段 08:00–12:00、13:00–17:30，' +
        '预约时段可提前 15 分钟、延后 30 分钟入园，仅限指定区域或闸机，进出须交替，同向再次通过须间隔 5 分钟，' +
        '出园也须验票，未确认通过不计次',
      'Valid on the visit date only, one entry. Sat, Sun only, entry 08:00–12:00, 13:00–17:30, timed slot: ' +
        'up to 15 minutes early, 30 minutes late, chosen zones or gates only, in and out must alternate, no ' +
        'second passage the same way within 5 minutes, exits are checked too, an unconfirmed passage uses no entry',
    ]);
  });

  it('words anti-passback in the largest whole unit', () => {
    const passback = (antiPassbackSec: number) => both(typeOf('single', { rules: { antiPassbackSec } }));
    expect(passback(7200)[0]).toContain('间隔 2 小时');
    expect(passback(7200)[1]).toContain('within 2 hours');
    expect(passback(90)[0]).toContain('间隔 90 秒');
    expect(passback(60)[1]).toContain('within 1 minute');
  });

  it('says a gate restriction or a single weekday alike in both languages', () => {
    const gateOnly = both(typeOf('single', { rules: { gates: ['G01'], weekdays: 1 } }));
    expect(gateOnly[0]).toContain('仅限周一，');
    expect(gateOnly[0]).toContain('仅限指定区域或闸机');
    expect(gateOnly[1]).toContain('Mon only, chosen zones or gates only');
  });

  it('says both activation limits when both are set, and sale-counted days without a per-day clause for one day', () => {
    const both2 = both(
      typeOf('period_pass', {
        validity: {
          from: 'first_use',
          length: { unit: 'day', count: 7 },
          activateBy: '2027-01-31',
          activateWithinDays: 90,
        },
      }),
    );
    expect(both2[0]).toBe(
      '首次入园后 7 天内有效，须在 2027-01-31 前（含当日）首次入园，须在游玩日起 90 天内首次入园，每天不限次数',
    );
    expect(both2[1]).toContain('first entry by 2027-01-31, first entry within 90 days of the visit date');
    const oneDayFromSale = typeOf('day_pass', {
      validity: { from: 'sale', length: { unit: 'day', count: 1 } },
    });
    expect(both(oneDayFromSale)).toEqual(['自售出起 1 天内有效', 'Valid for 1 day from the sale']);
  });
});
