/** Request and response shapes of the refunds API. Money is integer fen throughout. */
import { z } from 'zod';
import { SALE_PAYMENT_METHODS } from '../sales/schemas.js';
import { venueIdSchema } from '../venues/schemas.js';

const fen = z.number().int();
const ticketIdSchema = z
  .number()
  .int()
  .min(1)
  .max(2 ** 40 - 1);

export const approvalSchema = z
  .strictObject({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .describe(
    '复核人（另一位有 refunds.approve 权限的操作员）的用户名与密码，同一订单累计退款超过阈值时必填；输错计入经办人及其' +
      '地址的登录限制，不锁定复核人 / A second operator holding refunds.approve; required once the sale’s ' +
      'cumulative refunds pass the threshold. Wrong credentials count against the requester and their address (as ' +
      'sign-in attempts), never against the approver',
  );

export const refundPaymentSchema = z.strictObject({
  method: z.enum(SALE_PAYMENT_METHODS),
  amountFen: fen.min(1).max(100_000_000),
});

/** What a refund returns: the same fields in the refund and in its quote. */
const refundScope = {
  saleId: z.string().min(1).max(64),
  ticketIds: z
    .array(ticketIdSchema)
    .min(1)
    .max(200)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'ticketIds must not repeat' })
    .describe('要退的票 / Tickets to refund'),
  payments: z
    .array(refundPaymentSchema)
    .max(8)
    .optional()
    .describe(
      '退款方式（合计等于应退，各方式不超过原支付）；不填则按原支付方式依次退回，现金最后 / How the money goes ' +
        'back, within what was paid by each method; default: the original methods in order, cash last',
    ),
};

export const createRefundSchema = z
  .strictObject({
    ...refundScope,
    windowId: venueIdSchema
      .optional()
      .describe(
        '办理退款的售票窗口（须为该订单景区的启用窗口）：退款计入收银员在该窗口的班次；不填则计入其在该景区唯一' +
          '未结的班次 / The ticket window paying the money back (an active window of the sale’s site): the refund ' +
          'counts in the cashier’s shift there; left out, in their only open shift at the site, if exactly one',
      ),
    reason: z.string().trim().max(200).optional(),
    approval: approvalSchema.optional(),
  })
  .describe('退票 / A refund');
export type CreateRefund = z.infer<typeof createRefundSchema>;

export const refundQuoteRequestSchema = z
  .strictObject(refundScope)
  .describe('退票试算：与退票相同的票与退款方式，不写入任何数据 / A refund worked out without making it');
export type RefundQuoteRequest = z.infer<typeof refundQuoteRequestSchema>;

export const refundTicketSchema = z.object({
  ticketId: z.number().int(),
  priceFen: fen,
  entriesUsed: z.number().int(),
  entriesTotal: z.number().int().nullable(),
  grossFen: fen.describe('扣费前可退金额 / Refundable before the fee'),
  feeFen: fen,
  amountFen: fen,
  supplementFen: fen.describe(
    '其中退回升级补票所付的部分（分）/ Of the amount, what returns money paid for upgrades (补票), fen',
  ),
});

export const refundSchema = z
  .object({
    id: z.string(),
    siteId: venueIdSchema,
    saleId: z.string(),
    cashier: z.object({ id: z.string(), username: z.string() }),
    amountFen: fen.describe('实退金额（分）/ Money handed back, fen'),
    feeFen: fen.describe('手续费（分）/ Fee kept, fen'),
    reason: z.string().nullable(),
    approvedBy: z.object({ id: z.string(), username: z.string() }).nullable(),
    createdAt: fen,
    tickets: z.array(refundTicketSchema),
    payments: z.array(
      z.object({
        method: z.enum(SALE_PAYMENT_METHODS),
        amountFen: fen,
        supplementFen: fen.describe(
          '其中退回补票付款的部分（分）/ Of the amount, what returns supplement payments, fen',
        ),
      }),
    ),
  })
  .meta({ id: 'Refund' });
export type Refund = z.infer<typeof refundSchema>;

export const refundQuoteSchema = z
  .object({
    saleId: z.string(),
    amountFen: fen.describe('应退金额（分）/ Money to hand back, fen'),
    feeFen: fen.describe('手续费（分）/ Fee kept, fen'),
    tickets: z.array(refundTicketSchema),
    payments: z.array(z.object({ method: z.enum(SALE_PAYMENT_METHODS), amountFen: fen, supplementFen: fen })),
    thresholdFen: fen.describe('双人复核金额（分）/ The second-approval threshold, fen'),
    cumulativeFen: fen.describe(
      '本次加上该订单此前已退金额（分），与复核金额比较 / This refund plus what the sale has already ' +
        'refunded, fen: what the threshold weighs',
    ),
    approvalRequired: z
      .boolean()
      .describe(
        '退票时须另一位操作员复核（订单累计或营业员当日累计超限）/ The refund will need a second operator’s ' +
          'approval (the sale’s cumulative refunds, or the cashier’s of the day, pass a limit)',
      ),
  })
  .meta({ id: 'RefundQuote' });
export type RefundQuote = z.infer<typeof refundQuoteSchema>;

export const listRefundsQuerySchema = z.object({
  siteId: venueIdSchema.optional(),
  saleId: z.string().max(64).optional(),
  cashierId: z.string().max(64).optional(),
  from: z.coerce.number().int().min(0).optional().describe('起（含）epoch ms / From, inclusive'),
  to: z.coerce.number().int().min(0).optional().describe('止（不含）epoch ms / To, exclusive'),
  before: z
    .string()
    .max(64)
    .optional()
    .describe('翻页：上一页最后一条退票单的 id / Paging: the id of the previous page’s last refund'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListRefundsQuery = z.infer<typeof listRefundsQuerySchema>;

export const refundParamsSchema = z.object({ refundId: z.string().min(1).max(64) });
