/** Request and response shapes of the capacity API (daily caps and timed-entry slots). */
import { z } from 'zod';
import { bilingual } from '../../platform/validation.js';
import { venueIdSchema } from '../venues/schemas.js';
import { parseMinute } from './local-time.js';

export const isoDateSchema = z.iso.date().describe('景区当地日期 YYYY-MM-DD / Venue-local date');

const clockTime = z
  .string()
  .refine(
    (text) => parseMinute(text) !== undefined,
    bilingual({ 'zh-CN': '应为 HH:MM（00:00–24:00）', en: 'expected HH:MM (00:00–24:00)' }),
  );

const capSchema = z
  .number()
  .int()
  .min(0)
  .max(10_000_000)
  .describe('该时段可售人数 / Persons the slot admits');

export const slotSchema = z
  .object({
    id: z.string(),
    siteId: venueIdSchema,
    date: z.string(),
    start: z.string().describe('开始 HH:MM（含）/ Start, inclusive'),
    end: z.string().describe('结束 HH:MM（不含）/ End, exclusive'),
    startAt: z.number().int().describe('开始时刻 epoch ms / Start instant'),
    endAt: z.number().int().describe('结束时刻 epoch ms / End instant'),
    cap: z.number().int(),
    sold: z.number().int(),
    remaining: z.number().int(),
  })
  .meta({ id: 'CapacitySlot' });
export type Slot = z.infer<typeof slotSchema>;

export const createSlotsSchema = z
  .strictObject({
    siteId: venueIdSchema,
    date: isoDateSchema,
    slots: z
      .array(z.strictObject({ start: clockTime, end: clockTime, cap: capSchema }))
      .min(1)
      .max(96),
  })
  .superRefine((body, context) => {
    const ranges = body.slots.map((slot) => [parseMinute(slot.start) ?? 0, parseMinute(slot.end) ?? 0]);
    ranges.forEach(([start, end], index) => {
      if (start! >= end!)
        context.addIssue({
          code: 'custom',
          path: ['slots', index, 'end'],
          ...bilingual({ 'zh-CN': '结束须晚于开始', en: 'end must be after start' }),
        });
      const overlaps = ranges.some(([s, e], other) => other < index && start! < e! && s! < end!);
      if (overlaps)
        context.addIssue({
          code: 'custom',
          path: ['slots', index],
          ...bilingual({ 'zh-CN': '与本次提交的其他时段重叠', en: 'overlaps another slot in this request' }),
        });
    });
  })
  .describe('为某日定义分时段 / Define timed-entry slots for one day');
export type CreateSlots = z.infer<typeof createSlotsSchema>;

export const updateSlotSchema = z.strictObject({ cap: capSchema });

export const availabilityQuerySchema = z.object({ siteId: venueIdSchema, date: isoDateSchema });

export const availabilitySchema = z
  .object({
    siteId: venueIdSchema,
    date: z.string(),
    daily: z.object({
      cap: z.number().int().nullable().describe('每日上限，null 不限 / Daily cap; null = none'),
      sold: z.number().int(),
      remaining: z.number().int().nullable(),
    }),
    slots: z.array(slotSchema),
  })
  .meta({ id: 'Availability' });
export type Availability = z.infer<typeof availabilitySchema>;

/** Longest range one calendar request may ask for: a month view with the days of its first and last weeks. */
export const MAX_CALENDAR_DAYS = 62;

export const calendarQuerySchema = z.object({
  siteId: venueIdSchema,
  from: isoDateSchema.describe('第一天（含）/ First date, inclusive'),
  to: isoDateSchema.describe(
    `最后一天（含），最多 ${MAX_CALENDAR_DAYS} 天 / Last date, inclusive; at most ${MAX_CALENDAR_DAYS} days`,
  ),
});

export const calendarDaySchema = z.object({
  date: z.string(),
  cap: z.number().int().nullable().describe('每日上限，null 不限 / Daily cap; null = none'),
  sold: z.number().int(),
  remaining: z.number().int().nullable(),
  slots: z
    .object({
      count: z.number().int().describe('时段数 / Slots defined'),
      cap: z.number().int().describe('各时段限量之和 / Sum of the slot caps'),
      sold: z.number().int().describe('各时段已售之和 / Sum sold over the slots'),
    })
    .describe('当日分时段汇总 / The day’s timed-entry slots in total'),
});
export type CalendarDay = z.infer<typeof calendarDaySchema>;

export const calendarSchema = z
  .object({
    siteId: venueIdSchema,
    from: z.string(),
    to: z.string(),
    days: z.array(calendarDaySchema).describe('区间内每一天，按日期 / Every date of the range, in order'),
  })
  .meta({ id: 'CapacityCalendar' });
export type Calendar = z.infer<typeof calendarSchema>;

export const slotParamsSchema = z.object({ slotId: z.string().min(1).max(64) });
