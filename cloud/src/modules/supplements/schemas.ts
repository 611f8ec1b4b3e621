/** Request and response shapes of the supplementary-ticket API (补票). Money is integer fen throughout. */
import { typeIdSchema } from '@scenic/protocol';
import { z } from 'zod';
import { isoDateSchema } from '../capacity/schemas.js';
import { PAYMENT_METHODS } from '../sales/schemas.js';
import { ticketSchema } from '../tickets/schemas.js';
import { venueIdSchema } from '../venues/schemas.js';

const fen = z.number().int();
const ticketIdSchema = z
  .number()
  .int()
  .min(1)
  .max(2 ** 40 - 1);
const approvalSchema = z
  .strictObject({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .optional()
  .describe(
    '复核人（另一位有 supplements.approve 权限的操作员）的用户名与密码，同一订单累计补票金额超过阈值时必填；输错计入' +
      '经办人及其地址的登录限制，不锁定复核人 / A second operator holding supplements.approve; required once the ' +
      'sale’s cumulative supplements pass the threshold. Wrong credentials count against the requester and their ' +
      'address (as sign-in attempts), never against the approver',
  );
const paymentsSchema = z
  .array(z.strictObject({ method: z.enum(PAYMENT_METHODS), amountFen: fen.min(1).max(100_000_000) }))
  .max(8)
  .default([])
  .describe(
    '支付：合计等于应收；现金可多付并找零 / Payments summing to the amount; cash may exceed it (change)',
  );

/** What each kind of supplement does; its payments and approval come on top (the quote takes these alone). */
const upgradeFields = {
  kind: z.literal('upgrade'),
  ticketId: ticketIdSchema,
  windowId: venueIdSchema,
  toTypeId: typeIdSchema.optional().describe('升级到的票种；不填为原票种 / Type to change to; default: same'),
  visitDate: isoDateSchema.optional().describe('新的游玩日（延期）/ New visit date (extension)'),
  slotId: z.string().min(1).max(64).optional(),
};
const feeFields = {
  kind: z.literal('fee'),
  ticketId: ticketIdSchema,
  windowId: venueIdSchema,
  reason: z
    .enum(['overstay', 'reentry', 'other'])
    .describe('超时 / 再次入园（恢复一次入园）/ 其他 / Overstay, re-entry (gives back one entry), other'),
  amountFen: fen.min(0).max(100_000_000).optional().describe('不填则按票种费率 / Default: the type’s rate'),
  note: z.string().trim().max(200).optional(),
};
const reissueFields = {
  kind: z.literal('reissue'),
  ticketId: ticketIdSchema,
  windowId: venueIdSchema,
  feeFen: fen.min(0).max(100_000_000).default(0).describe('补办工本费 / Reissue fee'),
  cardUid: z.string().min(1).max(64).optional().describe('绑定新 IC 卡 / Bind a new IC card'),
  note: z.string().trim().max(200).optional(),
};
const charged = { payments: paymentsSchema, approval: approvalSchema };

export const createSupplementSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ ...upgradeFields, ...charged }),
    z.strictObject({ ...feeFields, ...charged }),
    z.strictObject({ ...reissueFields, ...charged }),
  ])
  .describe(
    '补票：升级/延期、超时或再入园费、挂失补办 / Upgrade or extension, overstay or re-entry fee, reissue',
  );
export type CreateSupplement = z.infer<typeof createSupplementSchema>;

export const supplementSchema = z
  .object({
    id: z.string(),
    siteId: venueIdSchema,
    kind: z.enum(['upgrade', 'fee', 'reissue']),
    ticketId: z.number().int(),
    newTicketId: z.number().int().nullable(),
    reason: z.string().nullable(),
    note: z.string().nullable(),
    amountFen: fen,
    paidFen: fen,
    changeFen: fen,
    cashier: z.object({ id: z.string(), username: z.string() }),
    approvedBy: z
      .object({ id: z.string(), username: z.string() })
      .nullable()
      .describe('超过阈值时的复核人 / The approver above the threshold'),
    createdAt: fen,
    payments: z.array(z.object({ method: z.enum(PAYMENT_METHODS), amountFen: fen })),
    newTicket: ticketSchema.nullable().describe('升级或补办签发的新票 / The ticket issued'),
  })
  .meta({ id: 'Supplement' });
export type Supplement = z.infer<typeof supplementSchema>;

export const supplementQuoteRequestSchema = z
  .discriminatedUnion('kind', [
    z.strictObject(upgradeFields),
    z.strictObject(feeFields),
    z.strictObject(reissueFields),
  ])
  .describe('补票试算：与补票相同，不含支付与复核 / A supplement worked out, without payments or approval');
export type SupplementQuoteRequest = z.infer<typeof supplementQuoteRequestSchema>;

export const supplementQuoteSchema = z
  .object({
    kind: z.enum(['upgrade', 'fee', 'reissue']),
    ticketId: z.number().int(),
    amountFen: fen.describe('应收（分）/ Amount due, fen'),
    newPriceFen: fen
      .nullable()
      .describe(
        '升级/延期后新票的票价（分）；其他为 null / The new ticket’s price for an upgrade, else null',
      ),
    visitDate: z
      .string()
      .nullable()
      .describe('升级/延期后的游玩日；其他为 null / The upgraded ticket’s visit date, else null'),
    thresholdFen: fen.describe('双人复核金额（分）/ The second-approval threshold, fen'),
    cumulativeFen: fen.describe(
      '本次加上该票所属订单此前的补票金额（分），与复核金额比较 / This supplement plus the earlier ones on the ' +
        'ticket’s sale, fen: what the threshold weighs',
    ),
    approvalRequired: z
      .boolean()
      .describe(
        '补票时须另一位操作员复核（订单累计超限）/ The supplement will need a second operator’s approval (the ' +
          'sale’s cumulative supplements pass the threshold)',
      ),
  })
  .meta({ id: 'SupplementQuote' });
export type SupplementQuote = z.infer<typeof supplementQuoteSchema>;

export const feeRateSchema = z.object({
  typeId: typeIdSchema,
  reason: z.enum(['overstay', 'reentry']),
  amountFen: fen.min(0).max(100_000_000),
});
export type FeeRate = z.infer<typeof feeRateSchema>;

export const listSupplementsQuerySchema = z.object({
  ticketId: z.coerce.number().int().min(1).optional(),
  siteId: venueIdSchema.optional(),
  before: z
    .string()
    .max(64)
    .optional()
    .describe('翻页：上一页最后一条补票单的 id / Paging: the id of the previous page’s last supplement'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListSupplementsQuery = z.infer<typeof listSupplementsQuerySchema>;
