/** Request and response shapes of the sales API. Money is integer fen throughout. */
import { typeIdSchema } from '@scenic/protocol';
import { z } from 'zod';
import { isoDateSchema } from '../capacity/schemas.js';
import { ticketSchema } from '../tickets/schemas.js';
import { venueIdSchema } from '../venues/schemas.js';

/** Money: what every payment at a window may be (supplements take only these). */
export const PAYMENT_METHODS = ['cash', 'bank_card', 'wechat', 'alipay'] as const;
/** A sale may also be paid with its customer's points (积分抵扣), and a refund gives them back. */
export const SALE_PAYMENT_METHODS = [...PAYMENT_METHODS, 'points'] as const;
export type PaymentMethod = (typeof SALE_PAYMENT_METHODS)[number];
export type MoneyMethod = (typeof PAYMENT_METHODS)[number];

const fen = z.number().int();
export const MAX_TICKETS_PER_SALE = 200;

const holderSchema = z.strictObject({
  name: z.string().trim().min(1).max(32).describe('游客姓名 / Visitor name'),
  idNumber: z.string().max(32).describe('18 位身份证号 / 18-digit resident ID number'),
});

export const saleLineInputSchema = z.strictObject({
  typeId: typeIdSchema,
  quantity: z.number().int().min(1).max(MAX_TICKETS_PER_SALE).describe('张数 / Number of tickets'),
  visitDate: isoDateSchema.describe('游玩日 / Visit date'),
  slotId: z.string().min(1).max(64).optional().describe('分时段 / Timed-entry slot'),
  persons: z.number().int().min(1).max(999).optional().describe('团体票每张人数 / Persons per group ticket'),
  holders: z
    .array(holderSchema)
    .max(MAX_TICKETS_PER_SALE)
    .optional()
    .describe(
      '实名游客，每张票一位（实名票种必填；也用于年龄优惠）/ One visitor per ticket: required for real-name types',
    ),
  barcodes: z
    .array(z.string().min(1).max(64))
    .max(MAX_TICKETS_PER_SALE)
    .optional()
    .describe('预印票条码，每张票一个（售出即激活）/ Pre-printed stub per ticket, activated by the sale'),
  // Cards at the window (sales/cards.ts).
  cardUids: z
    .array(z.string().min(1).max(64))
    .max(MAX_TICKETS_PER_SALE)
    .optional()
    .describe(
      'IC 卡号，每张票一张（次卡、期限卡、会员卡）/ One IC card UID per ticket: count cards, period passes, member cards',
    ),
});
export type SaleLineInput = z.infer<typeof saleLineInputSchema>;

export const createSaleSchema = z
  .strictObject({
    siteId: venueIdSchema,
    windowId: venueIdSchema.describe('售票窗口 / Ticket window'),
    channel: z.literal('window').default('window'),
    lines: z.array(saleLineInputSchema).min(1).max(20),
    payments: z
      .array(
        z.strictObject({
          method: z.enum(SALE_PAYMENT_METHODS),
          amountFen: fen.min(1).max(100_000_000).describe('金额（分）/ Amount in fen'),
        }),
      )
      .max(8)
      .describe(
        '支付：合计等于应收；现金可多付并找零；积分抵扣须指定客户 / Payments summing to the total; cash may ' +
          'exceed it (change); points need the customer',
      ),
    customerId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(
        '客户（按手机号、证件号或会员卡查得）：累积积分 / The customer (found by phone, ID or member card): earns points',
      ),
  })
  .describe('窗口售票 / A ticket-window sale');
export type CreateSale = z.infer<typeof createSaleSchema>;

export const saleLineSchema = z.object({
  lineNo: z.number().int(),
  typeId: typeIdSchema,
  typeVersion: z.number().int(),
  typeName: z.object({ zh: z.string(), en: z.string() }),
  visitDate: z.string(),
  slot: z.object({ id: z.string(), start: fen, end: fen }).nullable(),
  quantity: z.number().int(),
  persons: z.number().int(),
  amountFen: fen,
});

export const saleSummarySchema = z
  .object({
    id: z.string(),
    siteId: venueIdSchema,
    windowId: z.string().nullable(),
    channel: z.string(),
    cashier: z.object({ id: z.string(), username: z.string() }),
    totalFen: fen,
    paidFen: fen,
    changeFen: fen.describe('找零（分）/ Change given, fen'),
    ticketCount: z.number().int(),
    persons: z.number().int(),
    createdAt: fen,
    customerId: z.string().nullable().describe('客户 / The customer the sale was made for'),
  })
  .meta({ id: 'SaleSummary' });
export type SaleSummary = z.infer<typeof saleSummarySchema>;

export const saleSchema = saleSummarySchema
  .extend({
    lines: z.array(saleLineSchema),
    payments: z.array(z.object({ method: z.enum(SALE_PAYMENT_METHODS), amountFen: fen })),
    tickets: z.array(ticketSchema),
  })
  .meta({ id: 'Sale' });
export type Sale = z.infer<typeof saleSchema>;

export const saleParamsSchema = z.object({ saleId: z.string().min(1).max(64) });

export const listSalesQuerySchema = z.object({
  siteId: venueIdSchema.optional(),
  windowId: venueIdSchema.optional(),
  cashierId: z.string().max(64).optional(),
  from: z.coerce.number().int().min(0).optional().describe('起（含）epoch ms / From, inclusive'),
  to: z.coerce.number().int().min(0).optional().describe('止（不含）epoch ms / To, exclusive'),
  before: z.string().max(200).optional().describe('翻页游标 / Cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListSalesQuery = z.infer<typeof listSalesQuerySchema>;

export const salePageSchema = z
  .object({ sales: z.array(saleSummarySchema), next: z.string().nullable() })
  .meta({ id: 'SalePage' });
