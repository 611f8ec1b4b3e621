/**
 * Shapes of the partners' booking routes (/api/channel/v1/bookings). A booking is a group order (group-orders
 * module) placed with a channel API key; what a partner reads of it is its OCTO status, its lines with the persons
 * redeemed, and its money — never the venue's staff, windows or state log.
 */
import { z } from 'zod';
import { OCTO_STATUSES } from '../group-orders/partner-status.js';
import { createGroupOrderSchema, MAX_HEADCOUNT } from '../group-orders/schemas.js';
import { ORDER_STATES } from '../group-orders/states.js';

const fen = z.number().int();
const epochMs = z.number().int();

/** The partner's own booking reference: printable ASCII, unique per agency (or per key without an agency). */
export const partnerReferenceSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, { message: '可打印 ASCII，无空格 / printable ASCII without spaces' });

export const createBookingSchema = createGroupOrderSchema
  .omit({ agencyId: true })
  .extend({
    reference: partnerReferenceSchema.describe(
      '合作方单号（幂等键）：同号同内容重复提交返回原预订，内容不同 409 ORDER_REFERENCE_CONFLICT / Your booking reference, the idempotency key: the same body answers the first booking, another body 409 ORDER_REFERENCE_CONFLICT',
    ),
    headcount: z
      .number()
      .int()
      .min(1)
      .max(MAX_HEADCOUNT)
      .optional()
      .describe(
        '总人数，须等于各行人数之和（可省略）/ Total persons; must equal the sum of the lines (optional)',
      ),
  })
  .refine((body) => body.headcount === undefined || body.headcount === sumOf(body.lines), {
    message: '总人数须等于各行人数之和 / headcount must equal the sum of the lines',
    path: ['headcount'],
  })
  .describe('占位预订 / A booking on hold');
export type CreateBooking = z.infer<typeof createBookingSchema>;

function sumOf(lines: readonly { quantity: number }[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

export const cancelBookingSchema = z
  .strictObject({ reason: z.string().trim().max(200).optional().describe('取消原因 / Why') })
  .describe(
    '取消：游玩日前截止时间前免费，之后按比例收取手续费；已付款退回旅行社账户（扣除手续费）/ Cancel: free until the cut-off, then a fee; what was paid is credited back less the fee',
  );

export const bookingParamsSchema = z.object({ bookingId: z.string().min(1).max(64) });
export const referenceParamsSchema = z.object({ reference: partnerReferenceSchema });

export const listBookingsQuerySchema = z.strictObject({
  status: z.enum(ORDER_STATES).optional().describe('按内部状态筛选 / Filter by state'),
  visitDate: createGroupOrderSchema.shape.visitDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListBookingsQuery = z.infer<typeof listBookingsQuerySchema>;

const octoStatus = z
  .enum(OCTO_STATUSES)
  .describe('OCTO 状态（映射见本分组说明）/ OCTO status (the mapping is in this tag’s description)');
const orderState = z.enum(ORDER_STATES).describe('本系统的订单状态 / The order’s state here');

export const channelBookingSummarySchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    status: octoStatus,
    state: orderState,
    siteId: z.string(),
    visitDate: z.string(),
    slotId: z.string().nullable(),
    headcount: z.number().int(),
    personsRedeemed: z.number().int().describe('已入园人数 / Persons admitted so far'),
    paymentMode: z.enum(['window', 'prepaid', 'credit']),
    holdExpiresAt: epochMs
      .nullable()
      .describe('占位失效时间（仅 ON_HOLD）/ When the hold lapses (ON_HOLD only)'),
    totalFen: fen,
    paidFen: fen,
    feeFen: fen,
    refundedFen: fen,
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: 'ChannelBookingSummary' });
export type ChannelBookingSummary = z.infer<typeof channelBookingSummarySchema>;

export const channelBookingSchema = channelBookingSummarySchema
  .extend({
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        typeId: z.number().int(),
        quantity: z.number().int(),
        unitPriceFen: fen,
        amountFen: fen,
        personsRedeemed: z.number().int(),
      }),
    ),
    guide: z.object({ name: z.string().nullable(), phone: z.string().nullable() }),
    visitors: z.array(z.object({ typeId: z.number().int(), name: z.string(), idMasked: z.string() })),
    visitorsDueAt: epochMs.nullable(),
    cancelFreeUntil: epochMs.describe('此前取消免费 / Cancelling is free before this instant'),
  })
  .meta({ id: 'ChannelBooking' });
export type ChannelBooking = z.infer<typeof channelBookingSchema>;

export const channelBookingPageSchema = z
  .object({ bookings: z.array(channelBookingSummarySchema), total: z.number().int() })
  .meta({ id: 'ChannelBookingPage' });

export const redemptionSchema = z
  .object({
    bookingId: z.string(),
    reference: z.string(),
    status: octoStatus,
    state: orderState,
    headcount: z.number().int(),
    personsRedeemed: z.number().int(),
    personsLeft: z
      .number()
      .int()
      .describe(
        '尚可入园人数（已取消、过期或结单为 0）/ Persons still to be admitted (0 once cancelled, expired or closed)',
      ),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        typeId: z.number().int(),
        quantity: z.number().int(),
        redeemed: z.number().int(),
        left: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ChannelRedemption' });
export type Redemption = z.infer<typeof redemptionSchema>;
