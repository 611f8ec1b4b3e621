/** Request and response shapes of the group-order API. Money is integer fen throughout; times epoch ms. */
import { typeIdSchema } from '@scenic/protocol';
import { z } from 'zod';
import { AGENCY_PAYMENT_MODES } from '../agencies/contract.js';
import { isoDateSchema } from '../capacity/schemas.js';
import { PAYMENT_METHODS } from '../sales/schemas.js';
import { ticketSchema } from '../tickets/schemas.js';
import { venueIdSchema } from '../venues/schemas.js';
import { ISSUE_MODES, ORDER_STATES, TRANSITIONS } from './states.js';

const fen = z.number().int();
const epochMs = z.number().int();
/** The most persons one order may hold (one group code carries up to 999, protocol `persons`). */
export const MAX_HEADCOUNT = 999;

const orderLineInputSchema = z.strictObject({
  typeId: typeIdSchema,
  quantity: z.number().int().min(1).max(MAX_HEADCOUNT).describe('该票种人数 / Persons of this type'),
});

const visitorSchema = z.strictObject({
  typeId: typeIdSchema.describe('所属实名票种 / The real-name line the visitor belongs to'),
  name: z.string().trim().min(1).max(32).describe('游客姓名 / Visitor name'),
  idNumber: z.string().max(32).describe('18 位身份证号 / 18-digit resident ID number'),
});

const linesSchema = z
  .array(orderLineInputSchema)
  .min(1)
  .max(20)
  .refine((lines) => new Set(lines.map((line) => line.typeId)).size === lines.length, {
    message: '每个票种一行 / one line per ticket type',
  })
  .refine((lines) => lines.reduce((sum, line) => sum + line.quantity, 0) <= MAX_HEADCOUNT, {
    message: `总人数不超过 ${MAX_HEADCOUNT} / at most ${MAX_HEADCOUNT} persons in all`,
  })
  .describe('票种与人数；总人数即团队人数 / Types and persons; their sum is the headcount');

const visitorsListSchema = z
  .array(visitorSchema)
  .max(MAX_HEADCOUNT)
  .describe(
    '实名票种的游客名单（姓名与证件号），须在游玩日开始前 GROUP_VISITORS_DUE_HOURS 小时前提交 / Visitors of real-name lines, due GROUP_VISITORS_DUE_HOURS before the visit day starts',
  );

export const createGroupOrderSchema = z
  .strictObject({
    siteId: venueIdSchema,
    agencyId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(
        '旅行社（按结算价、走旅行社账户）；旅行社账号省略即为本社 / Agency: settlement prices and its ledger',
      ),
    reference: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\x21-\x7e]+$/)
      .describe(
        '客户方单号：同一旅行社（或下单人）内唯一；同号同内容重复提交返回原订单，内容不同 409 / Client reference: a retry answers the first order',
      ),
    visitDate: isoDateSchema.describe('游玩日 / Visit date'),
    slotId: z.string().min(1).max(64).optional().describe('分时段 / Timed-entry slot'),
    lines: linesSchema,
    guide: z
      .strictObject({
        name: z.string().trim().min(1).max(32),
        phone: z.string().trim().min(3).max(32),
      })
      .optional()
      .describe('导游 / Guide'),
    visitors: visitorsListSchema.optional(),
  })
  .describe('团队订单 / A group order');
export type CreateGroupOrder = z.infer<typeof createGroupOrderSchema>;

export const modifyGroupOrderSchema = z
  .strictObject({
    visitDate: isoDateSchema.optional().describe('新游玩日 / New visit date'),
    slotId: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .optional()
      .describe('新时段，null 不指定 / New slot, null none'),
    lines: linesSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: '至少修改一项 / change at least one thing' })
  .describe('取票前修改人数、日期或时段 / Change headcount, date or slot before pick-up');
export type ModifyGroupOrder = z.infer<typeof modifyGroupOrderSchema>;

export const orderVisitorsSchema = z.strictObject({ visitors: visitorsListSchema });
export type OrderVisitors = z.infer<typeof orderVisitorsSchema>;

export const pickUpSchema = z
  .strictObject({
    windowId: venueIdSchema.describe('取票窗口 / Ticket window'),
    issue: z
      .enum(ISSUE_MODES)
      .describe(
        'group：每个票种一张团队码（一次检票最多通过剩余人数，闸机显示“N人”并计实际通过人数，余下的人可再次检票入园）；individual：一人一票。实名票种总是一人一票 / group: one code per line; a scan admits up to the persons left (the gate shows N人 and counts who walks through; the rest may enter on a later scan); individual: one ticket each. Real-name lines are always one ticket each',
      ),
    payments: z
      .array(
        z.strictObject({
          method: z.enum(PAYMENT_METHODS),
          amountFen: fen.min(1).max(100_000_000),
        }),
      )
      .max(8)
      .optional()
      .describe(
        '窗口付款（现付订单必填，合计等于应收，现金可找零）/ Window tenders: required when the order is paid at the window',
      ),
  })
  .describe('付款取单 / Pay and pick up at the window');
export type PickUp = z.infer<typeof pickUpSchema>;

export const cancelSchema = z
  .strictObject({ reason: z.string().trim().max(200).optional() })
  .describe(
    '取消：游玩日开始前 GROUP_CANCEL_FREE_HOURS 小时前免费，之后按订单的手续费比例（GROUP_CANCEL_FEE_PERMILLE ‰ 总额）收取；释放名额，旅行社账户退回已扣款减手续费 / Cancel: free until the order’s cut-off (GROUP_CANCEL_FREE_HOURS before the visit day starts, site time), then a fee of GROUP_CANCEL_FEE_PERMILLE ‰ of the total; places released; the agency is credited what it paid less the fee',
  );
export type CancelGroupOrder = z.infer<typeof cancelSchema>;

export const closeSchema = z
  .strictObject({
    refundMethod: z
      .enum(PAYMENT_METHODS)
      .default('cash')
      .describe('现付订单退还未用人数的方式 / How a window-paid order refunds unused persons'),
  })
  .describe(
    '游玩日结束后结单：未入园的人数（团队码按闸机计数，部分核销也算）按订单政策（GROUP_UNUSED_REFUND_PERMILLE ‰）退款，未用票作废、部分使用的团队码关闭 / After the visit day: the persons who did not go in (a group code by the gates’ headcount, partial redemption included) refunded by the order’s policy; unused tickets withdrawn, a partly used group code closed',
  );
export type CloseGroupOrder = z.infer<typeof closeSchema>;

export const orderParamsSchema = z.object({ orderId: z.string().min(1).max(64) });

export const listGroupOrdersQuerySchema = z.object({
  siteId: venueIdSchema.optional(),
  state: z.enum(ORDER_STATES).optional(),
  agencyId: z.string().min(1).max(64).optional(),
  visitDate: isoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListGroupOrdersQuery = z.infer<typeof listGroupOrdersQuerySchema>;

export const groupOrderSummarySchema = z
  .object({
    id: z.string(),
    siteId: venueIdSchema,
    agencyId: z.string().nullable(),
    reference: z.string(),
    visitDate: z.string(),
    slotId: z.string().nullable(),
    headcount: z.number().int(),
    guide: z.object({ name: z.string().nullable(), phone: z.string().nullable() }),
    state: z.enum(ORDER_STATES),
    paymentMode: z.enum(AGENCY_PAYMENT_MODES),
    holdExpiresAt: epochMs.nullable().describe('占位失效时间（仅占位中）/ When the hold lapses (held only)'),
    visitorsDueAt: epochMs.nullable().describe('实名名单截止 / Visitor list due'),
    totalFen: fen,
    paidFen: fen.describe('已付（旅行社账户或窗口，不含找零）/ Paid, net of change'),
    changeFen: fen,
    feeFen: fen.describe('取消手续费 / Cancellation fee'),
    refundedFen: fen,
    policy: z.object({
      cancelFreeUntil: epochMs.describe('此前取消免费 / Cancel free before this instant'),
      cancelFeePermille: z.number().int(),
      unusedRefundPermille: z.number().int(),
    }),
    issueMode: z.enum(ISSUE_MODES).nullable(),
    windowId: z.string().nullable(),
    createdBy: z.object({ id: z.string(), username: z.string() }),
    channelKeyId: z
      .string()
      .nullable()
      .describe(
        '经渠道接口下单的 API 密钥，控制台下单为 null / The channel API key that placed it; null from the console',
      ),
    personsAdmitted: z
      .number()
      .int()
      .describe('闸机已放行人数 / Persons the gates have admitted on its tickets'),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: 'GroupOrderSummary' });
export type GroupOrderSummary = z.infer<typeof groupOrderSummarySchema>;

export const groupOrderSchema = groupOrderSummarySchema
  .extend({
    cancelFeeFen: fen
      .nullable()
      .describe(
        '此刻取消将收取的手续费（按订单政策与已付金额；不能取消时为 null）/ The fee a cancellation now would carry (the order’s policy over what it paid); null when it cannot be cancelled',
      ),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        typeId: typeIdSchema,
        typeVersion: z.number().int(),
        quantity: z.number().int(),
        unitPriceFen: fen,
        amountFen: fen,
        personsAdmitted: z.number().int().describe('该行已入园人数 / Persons of this line admitted'),
        redemption: z
          .object({
            persons: z.number().int().describe('已出票人数 / Persons on the line’s codes'),
            redeemed: z
              .number()
              .int()
              .describe('已入园人数（闸机计数）/ Persons who went in (the gates’ headcount)'),
            left: z.number().int().describe('尚可入园人数 / Persons who may still go in'),
          })
          .nullable()
          .describe('核销情况（取票后）/ Redemption, once picked up'),
      }),
    ),
    visitors: z.array(z.object({ typeId: typeIdSchema, name: z.string(), idMasked: z.string() })),
    payments: z.array(
      z.object({
        kind: z.enum(['payment', 'refund']),
        method: z.enum(PAYMENT_METHODS),
        amountFen: fen,
        at: epochMs,
      }),
    ),
    tickets: z.array(ticketSchema),
    transitions: z
      .array(
        z.object({
          seq: z.number().int(),
          action: z.enum(Object.keys(TRANSITIONS) as [keyof typeof TRANSITIONS]),
          from: z.enum(ORDER_STATES).nullable(),
          to: z.enum(ORDER_STATES),
          at: epochMs,
          actor: z.object({ id: z.string().nullable(), username: z.string() }),
          details: z.record(z.string(), z.unknown()),
        }),
      )
      .describe('状态变更记录 / The state log'),
  })
  .meta({ id: 'GroupOrder' });
export type GroupOrder = z.infer<typeof groupOrderSchema>;

export const groupOrderPageSchema = z
  .object({
    orders: z.array(groupOrderSummarySchema),
    total: z.number().int(),
    counts: z
      .record(z.enum(ORDER_STATES), z.number().int())
      .describe(
        '各状态订单数（按除状态外的同样条件，如某一游玩日），无订单的状态为 0 / Orders per state under the same filters but the state (e.g. one visit day); 0 where none',
      ),
  })
  .meta({ id: 'GroupOrderPage' });
export type GroupOrderPage = z.infer<typeof groupOrderPageSchema>;
