/** Request and response shapes of the holiday calendar API (节假日). Dates are venue-local `YYYY-MM-DD`. */
import { z } from 'zod';
import { parseIsoDate } from '../../platform/identity/civil-date.js';
import { YEAR_ON_YEAR_BASES } from './comparison.js';

/** A break longer than this is a typing mistake (the longest official one is nine days). */
export const MAX_PERIOD_DAYS = 60;
/** The longest range whose base days one request maps. */
export const MAX_COMPARISON_DAYS = 366;

const dateSchema = z.iso.date().describe('景区当地日期 YYYY-MM-DD / Venue-local date');
const yearSchema = z.number().int().min(2000).max(2100);

export const HOLIDAY_KINDS = ['holiday', 'workday_swap'] as const;

export const holidayCodeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/)
  .describe(
    '节日代码，跨年相同，同比按它对应（spring_festival、national_day，或景区自定义如 lantern_festival）/ ' +
      'The holiday across years, what year-on-year comparisons match (spring_festival, national_day, or your own)',
  );

const nameSchema = z.strictObject({
  'zh-CN': z.string().trim().min(1).max(40),
  en: z.string().trim().min(1).max(80),
});

const noteSchema = z
  .string()
  .trim()
  .max(200)
  .nullable()
  .describe('备注，如“预估日期，待国务院公布” / A note, e.g. “estimated, to be checked”');

const kindSchema = z
  .enum(HOLIDAY_KINDS)
  .describe(
    'holiday 放假（整段假期，含相连周末）；workday_swap 调休上班日 / A break, or a make-up working day',
  );

export const holidayInputSchema = z
  .strictObject({
    code: holidayCodeSchema,
    name: nameSchema,
    year: yearSchema.describe('节日所属年份（元旦假期可从上年 12 月开始）/ The holiday’s year'),
    firstDay: dateSchema,
    lastDay: dateSchema,
    kind: kindSchema.default('holiday'),
    note: noteSchema.default(null),
  })
  .describe('一段节假日或一个调休上班日 / A holiday break or a make-up working day');
export type HolidayInput = z.infer<typeof holidayInputSchema>;

export const holidayPatchSchema = z
  .strictObject({
    code: holidayCodeSchema.optional(),
    name: nameSchema.optional(),
    year: yearSchema.optional(),
    firstDay: dateSchema.optional(),
    lastDay: dateSchema.optional(),
    kind: kindSchema.optional(),
    note: noteSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'name at least one field to change',
  })
  .describe('修改节假日（只传要改的字段）/ Change a holiday: only the fields given');
export type HolidayPatch = z.infer<typeof holidayPatchSchema>;

export const holidaySchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.object({ 'zh-CN': z.string(), en: z.string() }),
    year: z.number().int(),
    firstDay: z.string(),
    lastDay: z.string(),
    days: z.number().int().describe('天数 / Days in the period'),
    kind: z.enum(HOLIDAY_KINDS),
    note: z.string().nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'Holiday' });
export type Holiday = z.infer<typeof holidaySchema>;

export const holidayListSchema = z
  .object({ holidays: z.array(holidaySchema).describe('按首日排序 / By first day') })
  .meta({ id: 'HolidayList' });

export const holidayListQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('只看这一年的 / Only this year’s'),
});

export const holidayParamsSchema = z.object({ holidayId: z.string().min(1).max(64) });

export const basesQuerySchema = z
  .object({
    from: dateSchema,
    to: dateSchema,
    basis: z
      .enum(YEAR_ON_YEAR_BASES)
      .default('same_holiday_day')
      .describe(
        '同比基准：same_date 同日期；same_weekday 同星期（364 天前）；same_holiday_day 同节日第几天 / ' +
          'Year-on-year basis: same date, same weekday (364 days back), same day of the same holiday',
      ),
  })
  .superRefine((query, context) => {
    const from = parseIsoDate(query.from);
    const to = parseIsoDate(query.to);
    if (!from || !to) return;
    const days =
      (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000;
    if (days < 0) context.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
    else if (days >= MAX_COMPARISON_DAYS)
      context.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_COMPARISON_DAYS} days` });
  });
export type BasesQuery = z.infer<typeof basesQuerySchema>;

const rangeSchema = z.object({ from: z.string(), to: z.string() });

export const basesSchema = z
  .object({
    basis: z.enum(YEAR_ON_YEAR_BASES),
    days: z.array(
      z.object({
        date: z.string(),
        baseDate: z.string(),
        match: z
          .enum(['same_date', 'same_weekday', 'same_holiday_day', 'weekday_fallback'])
          .describe(
            'weekday_fallback：非节日或上年无对应，按同星期 / Not a holiday day, or none last year: same weekday',
          ),
        fallback: z.enum(['not_a_holiday', 'no_base_holiday', 'beyond_base_holiday']).nullable(),
        holiday: z
          .object({ id: z.string(), code: z.string(), dayOfHoliday: z.number().int() })
          .nullable()
          .describe('本日所在假期及第几天 / The break this day is in, and which day of it'),
        baseHolidayId: z.string().nullable(),
        baseInHoliday: z
          .object({ id: z.string(), code: z.string() })
          .nullable()
          .describe('基准日落在的假期（基准受节日影响）/ The break the base day falls in'),
      }),
    ),
    previous: z
      .object({
        previous_days: rangeSchema,
        previous_month: rangeSchema,
        previous_holiday: rangeSchema.extend({ holidayId: z.string() }).nullable(),
      })
      .describe('环比基准期 / The periods a period-over-period comparison uses'),
  })
  .meta({ id: 'ComparisonBases' });
export type Bases = z.infer<typeof basesSchema>;
