/**
 * Request and response shapes of the day and month settlements (日结 / 月结). Money is integer fen; dimensions are
 * codes and ids (a window, cashier, ticket type, agency), named by the console in its language.
 */
import { z } from 'zod';
import { isoDateSchema } from '../../capacity/schemas.js';
import { venueIdSchema } from '../../venues/schemas.js';
import { TAKING_METHODS, TAKING_SOURCES } from '../contract.js';
import { shiftEventSchema } from '../shifts/schemas.js';
import { SHIFT_STATES } from '../shifts/tables.js';

const fen = z.number().int();
const count = z.number().int();
const epochMs = z.number().int().describe('Epoch milliseconds');
const heads = { amountFen: fen, tickets: count, persons: count };

export const dayParamsSchema = z.object({
  siteId: venueIdSchema,
  date: isoDateSchema,
});

export const monthSchema = z
  .string()
  .regex(/^(19|20|21)\d\d-(0[1-9]|1[0-2])$/)
  .describe('月份 YYYY-MM / Month YYYY-MM');

export const monthParamsSchema = z.object({ siteId: venueIdSchema, month: monthSchema });

export const figuresSchema = z
  .object({
    totals: z.object({
      takings: count.describe('笔数 / Takings recorded'),
      amountFen: fen.describe('净收款（分）/ Net money, fen'),
      tickets: count,
      persons: count,
    }),
    bySource: z.array(z.object({ source: z.enum(TAKING_SOURCES), count, ...heads })),
    byTender: z.array(z.object({ method: z.enum(TAKING_METHODS), payments: count, amountFen: fen })),
    byChannel: z.array(z.object({ channel: z.string(), ...heads })),
    byType: z.array(z.object({ typeId: z.number().int(), tickets: count, persons: count, amountFen: fen })),
    byWindow: z.array(z.object({ windowId: z.string().nullable(), ...heads })),
    byCashier: z.array(z.object({ cashierId: z.string().nullable(), ...heads })),
    byAgency: z.array(z.object({ agencyId: z.string().nullable(), ...heads })),
  })
  .describe(
    '按来源、支付方式、渠道、票种、窗口、收银员、旅行社汇总；金额来自收款，张数人数来自票 / Summed by source, ' +
      'tender, channel, ticket type, window, cashier and agency; money from the payments, tickets from the items',
  )
  .meta({ id: 'SettlementFigures' });

const tenderSumSchema = z.object({ method: z.enum(TAKING_METHODS), amountFen: fen });
const whoSchema = z.object({ id: z.string().nullable(), username: z.string() });

export const dayReportSchema = z
  .object({
    siteId: z.string(),
    date: z.string(),
    state: z.enum(['open', 'closed']),
    closedAt: epochMs.nullable(),
    closedBy: whoSchema.nullable(),
    figures: figuresSchema.describe(
      '本日收款（已日结：结账时的数字）/ The day’s takings (closed: as at the close)',
    ),
    carriedIn: z
      .array(z.object({ date: z.string(), figures: figuresSchema }))
      .describe(
        '此前已日结的日期在结账后又记入的收款，计入本日 / Takings of earlier closed days recorded after their ' +
          'close, counted on this day',
      ),
    adjustments: z
      .array(shiftEventSchema)
      .describe('本日所做（或补计）的班次调整 / Shift adjustments counted here'),
    adjustmentsByTender: z.array(tenderSumSchema),
    shifts: z
      .array(
        z.object({
          id: z.string(),
          windowId: z.string(),
          cashier: z.object({ id: z.string(), username: z.string() }),
          state: z.enum(SHIFT_STATES),
          floatFen: fen,
          openedAt: epochMs,
          closedAt: epochMs.nullable(),
          countedCashFen: fen.nullable(),
          expectedCashFen: fen.nullable(),
          varianceFen: fen.nullable(),
        }),
      )
      .describe('本日收过款或本日开班的班次 / Shifts that took money or opened that day'),
    total: z
      .object({ amountFen: fen, tickets: count, persons: count, adjustmentsFen: fen })
      .describe('本日收款 + 补计收款；调整另计 / The day’s takings plus those carried in; adjustments apart'),
  })
  .meta({ id: 'SettlementDay' });
export type DayReport = z.infer<typeof dayReportSchema>;

export const monthReportSchema = z
  .object({
    siteId: z.string(),
    month: z.string(),
    state: z.enum(['open', 'closed']),
    closedAt: epochMs.nullable(),
    closedBy: whoSchema.nullable(),
    days: z.array(
      z.object({
        date: z.string(),
        state: z
          .enum(['open', 'closed', 'empty'])
          .describe('empty：已过去且无任何收款与班次，无须日结 / empty: over, with nothing to close'),
        amountFen: fen,
        tickets: count,
        persons: count,
        carriedInFen: fen,
        adjustmentsFen: fen,
      }),
    ),
    figures: figuresSchema.describe(
      '各日收款与补计收款之和 / The days’ takings and those carried in, summed',
    ),
    adjustmentsFen: fen,
    adjustmentsByTender: z.array(tenderSumSchema),
    agencies: z
      .array(
        z.object({
          agencyId: z.string(),
          ...heads,
          statement: z
            .object({ from: z.string(), to: z.string(), path: z.string() })
            .describe('本月旅行社对账单 / The agency’s statement for the month'),
        }),
      )
      .describe('旅行社维度，附对账单链接 / The agency dimension, each with its statement'),
  })
  .meta({ id: 'SettlementMonth' });
export type MonthReport = z.infer<typeof monthReportSchema>;
