/**
 * Request and response shapes of the agencies API (旅行社 / 分销商). Money is integer fen throughout; dates are
 * venue-local YYYY-MM-DD.
 */
import { z } from 'zod';
import { isoDateSchema } from '../capacity/schemas.js';
import { AGENCY_PAYMENT_MODES } from './contract.js';

/** At most 1,000,000 yuan per movement: a typo of a few zeros is refused, not booked. */
const MAX_MOVEMENT_FEN = 100_000_000;
const fen = z.number().int();
const epochMs = z.number().int().describe('Epoch milliseconds');

export const AGENCY_STATUSES = ['active', 'suspended'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

/** Ledger kinds: stable API values (stored), never renamed. */
export const LEDGER_KINDS = [
  'topup',
  'order_debit',
  'fee',
  'cancellation_credit',
  'refund_credit',
  'adjustment',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const agencyIdSchema = z.uuid().describe('旅行社编号 / Agency id');

const contactSchema = z.strictObject({
  name: z.string().trim().min(1).max(64).describe('联系人 / Contact name'),
  phone: z.string().trim().min(3).max(32).describe('电话 / Phone'),
  email: z.email().max(254).optional().describe('邮箱 / Email'),
});

const agencyNameSchema = z.string().trim().min(1).max(128).describe('旅行社名称 / Agency name');
const licenceSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .describe('旅行社业务经营许可证号 / Travel agency business licence number');
const statusSchema = z.enum(AGENCY_STATUSES).describe('active 合作中 / suspended 已暂停');
const paymentModeSchema = z
  .enum(AGENCY_PAYMENT_MODES)
  .describe('prepaid 预存 / credit 授信 / window 窗口现付');
const creditLimitSchema = fen
  .min(0)
  .max(10_000_000_000)
  .describe('授信额度（分），仅授信模式使用 / Credit limit in fen (credit mode)');

export const agencySchema = z
  .object({
    id: agencyIdSchema,
    name: z.string(),
    licenceNo: z.string(),
    contacts: z.array(contactSchema),
    status: statusSchema,
    paymentMode: paymentModeSchema,
    creditLimitFen: fen,
    balanceFen: fen.describe(
      '余额（分）：授信模式下为负表示已用额度 / Balance in fen; negative = credit used',
    ),
    availableFen: fen
      .nullable()
      .describe(
        '可下单金额（分）：预存为余额，授信为余额加额度，现付为 null / What orders may still debit; null when paying at the window',
      ),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: 'Agency' });
export type Agency = z.infer<typeof agencySchema>;

export const createAgencySchema = z.strictObject({
  name: agencyNameSchema,
  licenceNo: licenceSchema,
  contacts: z.array(contactSchema).max(10).default([]),
  paymentMode: paymentModeSchema,
  creditLimitFen: creditLimitSchema.default(0),
});
export type CreateAgency = z.infer<typeof createAgencySchema>;

export const updateAgencySchema = z.strictObject({
  name: agencyNameSchema.optional(),
  licenceNo: licenceSchema.optional(),
  contacts: z.array(contactSchema).max(10).optional(),
  status: statusSchema.optional(),
  paymentMode: paymentModeSchema.optional(),
  creditLimitFen: creditLimitSchema.optional(),
});
export type UpdateAgency = z.infer<typeof updateAgencySchema>;

export const agencyListQuerySchema = z.object({
  status: statusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('每页条数 / Page size (1–500)'),
  after: agencyIdSchema.optional().describe('翻页游标：上一页返回的 next / Cursor: the previous page’s next'),
});
export type AgencyListQuery = z.infer<typeof agencyListQuerySchema>;

export const agencyPageSchema = z
  .object({
    agencies: z.array(agencySchema),
    next: z
      .string()
      .nullable()
      .describe('下一页游标，最后一页为 null / Cursor of the next page; null on the last'),
  })
  .meta({ id: 'AgencyPage' });
export type AgencyPage = z.infer<typeof agencyPageSchema>;

const priceFenSchema = fen.min(0).max(MAX_MOVEMENT_FEN).describe('结算价（分）/ Settlement price in fen');

const datedPriceSchema = z.strictObject({
  from: isoDateSchema.describe('第一天（含）/ First date, inclusive'),
  to: isoDateSchema.describe('最后一天（含）/ Last date, inclusive'),
  priceFen: priceFenSchema,
});

export const putAgencyTypeSchema = z.strictObject({
  priceFen: priceFenSchema.describe('默认结算价（分）/ Default settlement price in fen'),
  dated: z
    .array(datedPriceSchema)
    .max(100)
    .default([])
    .describe('指定日期的结算价，日期段不得重叠 / Prices for date ranges, which must not overlap'),
});
export type PutAgencyType = z.infer<typeof putAgencyTypeSchema>;

export const agencyTypeSchema = z
  .object({
    typeId: z.number().int(),
    priceFen: fen,
    dated: z.array(z.object({ from: z.string(), to: z.string(), priceFen: fen })),
    updatedAt: epochMs,
  })
  .meta({ id: 'AgencyType' });
export type AgencyType = z.infer<typeof agencyTypeSchema>;

export const agencyTypeListSchema = z
  .object({ types: z.array(agencyTypeSchema) })
  .meta({ id: 'AgencyTypeList' });
export type AgencyTypeList = z.infer<typeof agencyTypeListSchema>;

export const topUpSchema = z.strictObject({
  amountFen: fen.min(1).max(MAX_MOVEMENT_FEN).describe('充值金额（分）/ Amount in fen'),
  note: z.string().trim().max(200).optional().describe('备注，如银行流水号 / Note, e.g. the bank reference'),
});
export type TopUp = z.infer<typeof topUpSchema>;

export const adjustmentSchema = z.strictObject({
  amountFen: fen
    .min(-MAX_MOVEMENT_FEN)
    .max(MAX_MOVEMENT_FEN)
    .refine((value) => value !== 0)
    .describe('调整金额（分），正数增加余额，负数减少 / Signed amount in fen; positive adds to the balance'),
  reason: z.string().trim().min(2).max(200).describe('调整原因 / Reason'),
});
export type Adjustment = z.infer<typeof adjustmentSchema>;

export const ledgerEntrySchema = z
  .object({
    seq: z.number().int(),
    at: epochMs,
    kind: z.enum(LEDGER_KINDS),
    amountFen: fen.describe('带符号：对余额的增减 / Signed: what it added to the balance'),
    balanceAfterFen: fen,
    orderId: z.string().nullable(),
    note: z.string().nullable(),
    actor: z.string().nullable().describe('经办人用户名 / The operator’s user name'),
  })
  .meta({ id: 'AgencyLedgerEntry' });
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const ledgerQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('每页条数 / Page size (1–500)'),
  before: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('翻页游标：上一页返回的 next / Cursor: the previous page’s next'),
});
export type LedgerQuery = z.infer<typeof ledgerQuerySchema>;

export const ledgerPageSchema = z
  .object({
    entries: z.array(ledgerEntrySchema).describe('最新在前 / Newest first'),
    next: z.number().int().nullable(),
  })
  .meta({ id: 'AgencyLedgerPage' });
export type LedgerPage = z.infer<typeof ledgerPageSchema>;

export const statementQuerySchema = z.object({
  from: isoDateSchema.describe('第一天（含）/ First date, inclusive'),
  to: isoDateSchema.describe('最后一天（含）/ Last date, inclusive'),
});

const kindSumSchema = z.object({ count: z.number().int(), amountFen: fen });

export const statementSchema = z
  .object({
    agencyId: z.string(),
    from: z.string(),
    to: z.string(),
    openingBalanceFen: fen,
    topUpsFen: fen.describe('充值合计 / Top-ups'),
    debitsFen: fen.describe(
      '扣款合计：订单、手续费、减少余额的调整 / Order debits, fees, negative adjustments',
    ),
    creditsFen: fen.describe(
      '退回合计：取消、退票、增加余额的调整 / Cancellation and refund credits, positive adjustments',
    ),
    closingBalanceFen: fen.describe('= 期初 + 充值 − 扣款 + 退回 / = opening + top-ups − debits + credits'),
    byKind: z
      .record(z.enum(LEDGER_KINDS), kindSumSchema)
      .describe('按类型的笔数与带符号合计 / Count and signed sum per kind'),
  })
  .meta({ id: 'AgencyStatement' });
export type Statement = z.infer<typeof statementSchema>;

export const agencyOperatorSchema = z
  .object({ operatorId: z.string(), linkedAt: epochMs })
  .meta({ id: 'AgencyOperator' });
export type AgencyOperator = z.infer<typeof agencyOperatorSchema>;

export const agencyParamsSchema = z.object({ agencyId: agencyIdSchema });
export const agencyTypeParamsSchema = z.object({
  agencyId: agencyIdSchema,
  typeId: z.coerce.number().int().min(1).max(65_535).describe('票种编号 / Ticket type id'),
});
export const agencyOperatorParamsSchema = z.object({
  agencyId: agencyIdSchema,
  operatorId: z.string().min(1).max(64).describe('操作员编号 / Operator id'),
});
export const agencyOperatorListSchema = z
  .object({ operators: z.array(agencyOperatorSchema) })
  .meta({ id: 'AgencyOperatorList' });
export type AgencyOperatorList = z.infer<typeof agencyOperatorListSchema>;
