/** Request and response shapes of the points API (积分). Points are whole numbers; money is integer fen. */
import { typeIdSchema } from '@scenic/protocol';
import { z } from 'zod';
import { isoDateSchema } from '../capacity/schemas.js';
import { venueIdSchema } from '../venues/schemas.js';

const permille = z.number().int().min(0).max(100_000);

export const POINTS_EXPIRY = ['never', 'days', 'year_after'] as const;

export const pointsRulesInputSchema = z
  .strictObject({
    enabled: z.boolean().describe('开通积分 / Points on at this site'),
    pointsPerYuan: z.number().int().min(0).max(1_000).describe('每消费 1 元积分 / Points per yuan paid'),
    typeRates: z
      .array(z.strictObject({ typeId: typeIdSchema, pointsPerYuan: z.number().int().min(0).max(1_000) }))
      .max(200)
      .default([])
      .describe('按票种的每元积分（覆盖默认）/ Points per yuan of a ticket type, instead of the default'),
    memberMultiplierPermille: permille
      .default(1_000)
      .describe('会员倍数（千分比，1500 = 1.5 倍）/ Members’ multiplier, permille (1500 = ×1.5)'),
    dateMultipliers: z
      .array(
        z
          .strictObject({ from: isoDateSchema, to: isoDateSchema, permille })
          .refine((d) => d.from <= d.to, { message: 'from must not be after to' }),
      )
      .max(50)
      .default([])
      .describe(
        '日期倍数（含首尾，景区当地日期；多段重叠取最高）/ Date multipliers, inclusive, the highest applies',
      ),
    redeemPointsPerYuan: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .nullable()
      .describe('多少积分抵 1 元；null 不可抵扣 / Points that pay one yuan; null: points cannot pay'),
    expiry: z
      .enum(POINTS_EXPIRY)
      .describe(
        '有效期：never 永久；days 获得后若干天；year_after 获得次年年底 / never; days after earning; the end of the ' +
          'year after the one they were earned in',
      ),
    expiryDays: z.number().int().min(1).max(3_650).nullable().default(null),
  })
  .refine((r) => (r.expiry === 'days') === (r.expiryDays !== null), {
    message: 'expiryDays is required with expiry "days", and only then',
    path: ['expiryDays'],
  })
  .describe('景区积分规则 / A site’s points rules');
export type PointsRulesInput = z.infer<typeof pointsRulesInputSchema>;

export const pointsRulesSchema = z
  .object({
    siteId: venueIdSchema,
    enabled: z.boolean(),
    pointsPerYuan: z.number().int(),
    typeRates: z.array(z.object({ typeId: z.number().int(), pointsPerYuan: z.number().int() })),
    memberMultiplierPermille: z.number().int(),
    dateMultipliers: z.array(z.object({ from: z.string(), to: z.string(), permille: z.number().int() })),
    redeemPointsPerYuan: z.number().int().nullable(),
    expiry: z.enum(POINTS_EXPIRY),
    expiryDays: z.number().int().nullable(),
    updatedAt: z.number().int().nullable().describe('null：未设置（不积分）/ null: never set (no points)'),
  })
  .meta({ id: 'PointsRules' });
export type PointsRules = z.infer<typeof pointsRulesSchema>;

export const LEDGER_KINDS = [
  'accrual',
  'reversal',
  'redemption',
  'redemption_reversal',
  'adjustment',
  'expiry',
] as const;

export const ledgerEntrySchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(LEDGER_KINDS),
    points: z.number().int().describe('正数增加，负数扣减 / Positive adds, negative takes'),
    balanceAfter: z.number().int(),
    saleId: z.string().nullable(),
    refundId: z.string().nullable(),
    fen: z.number().int().nullable().describe('抵扣金额（分）/ What the points paid, fen'),
    expiresAt: z.number().int().nullable(),
    reason: z.string().nullable(),
    operator: z.object({ id: z.string().nullable(), username: z.string() }).nullable(),
    createdAt: z.number().int(),
  })
  .meta({ id: 'PointsLedgerEntry' });
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const pointsAccountSchema = z
  .object({
    customerId: z.string(),
    siteId: venueIdSchema,
    balance: z
      .number()
      .int()
      .describe('可用积分（退票冲回可使其为负）/ Points available (a reversal may leave it negative)'),
    entries: z.array(ledgerEntrySchema).describe('流水，新的在前 / The ledger, newest first'),
    total: z.number().int().describe('流水总条数 / Ledger entries in all'),
  })
  .meta({ id: 'PointsAccount' });
export type PointsAccount = z.infer<typeof pointsAccountSchema>;

export const siteParamsSchema = z.object({ siteId: venueIdSchema });
export const accountParamsSchema = z.object({ customerId: z.string().min(1).max(64) });

export const ledgerQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type LedgerQuery = z.infer<typeof ledgerQuerySchema>;

export const adjustmentSchema = z
  .strictObject({
    points: z
      .number()
      .int()
      .min(-10_000_000)
      .max(10_000_000)
      .refine((n) => n !== 0, { message: 'points must not be 0' })
      .describe('正数增加，负数扣减（不可扣成负数）/ Positive adds, negative takes (never below zero)'),
    reason: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .describe('调整原因（必填，记入操作日志）/ Why (required, audited)'),
  })
  .describe('手工调整积分 / Adjust points by hand');
export type Adjustment = z.infer<typeof adjustmentSchema>;
