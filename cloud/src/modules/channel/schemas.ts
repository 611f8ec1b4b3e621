/** Shapes of the partners' channel API: only what a partner needs (places left), never the venue's sales figures. */
import { z } from 'zod';
import type { Availability } from '../capacity/schemas.js';
import { availabilityQuerySchema } from '../capacity/schemas.js';

export const channelAvailabilityQuerySchema = availabilityQuerySchema;

export const channelAvailabilitySchema = z
  .object({
    siteId: z.string(),
    date: z.string().describe('景区当地日期 YYYY-MM-DD / Local date at the site'),
    remaining: z
      .number()
      .int()
      .nullable()
      .describe('当日余量，null 不限量 / Places left that day; null: no daily cap'),
    slots: z.array(
      z.object({
        id: z.string(),
        start: z.string().describe('开始 HH:MM（含）/ Start, inclusive'),
        end: z.string().describe('结束 HH:MM（不含）/ End, exclusive'),
        startAt: z.number().int(),
        endAt: z.number().int(),
        remaining: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ChannelAvailability' });
export type ChannelAvailability = z.infer<typeof channelAvailabilitySchema>;

export function channelAvailabilityOf(availability: Availability): ChannelAvailability {
  return {
    siteId: availability.siteId,
    date: availability.date,
    remaining: availability.daily.remaining,
    slots: availability.slots.map(({ id, start, end, startAt, endAt, remaining }) => ({
      id,
      start,
      end,
      startAt,
      endAt,
      // A slot is also bounded by the day's places left.
      remaining:
        availability.daily.remaining === null ? remaining : Math.min(remaining, availability.daily.remaining),
    })),
  };
}
