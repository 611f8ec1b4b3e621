/** Request and response shapes of the customers API (客户资料). Money is integer fen. */
import { z } from 'zod';
import { residentIdNumberSchema } from '../../platform/identity/resident-id.js';
import { saleSummarySchema } from '../sales/schemas.js';
import { venueIdSchema } from '../venues/schemas.js';

export const CUSTOMER_KINDS = ['individual', 'member'] as const;

/**
 * A phone number as digits: spaces, dashes and brackets dropped, and the country code of a mainland number (+86 or
 * 0086 before 11 digits) too, so one number is found however it was typed.
 */
export function normalisePhone(input: string): string {
  const digits = input.replace(/[\s\-()]/g, '');
  const mainland = /^(?:\+86|0086)(1\d{10})$/.exec(digits);
  return mainland ? mainland[1]! : digits.replace(/^\+/, '');
}

export const phoneSchema = z
  .string()
  .max(32)
  .transform(normalisePhone)
  .pipe(z.string().regex(/^\d{5,20}$/, { message: '电话号码应为 5–20 位数字 / 5 to 20 digits' }))
  .describe('手机或电话号码 / Mobile or phone number');

const tagsSchema = z
  .array(z.string().trim().min(1).max(32))
  .max(20)
  .transform((tags) => [...new Set(tags)])
  .describe('标签 / Tags');

const nameSchema = z.string().trim().min(1).max(64).describe('姓名 / Name');
const noteSchema = z.string().trim().max(500);

export const createCustomerSchema = z
  .strictObject({
    siteId: venueIdSchema.describe('登记景区（积分规则按景区）/ The site the customer is registered at'),
    kind: z.enum(CUSTOMER_KINDS).default('individual').describe('个人或会员 / Individual or member'),
    name: nameSchema,
    phone: phoneSchema.optional(),
    idNumber: residentIdNumberSchema.optional(),
    tags: tagsSchema.default([]),
    note: noteSchema.optional(),
  })
  .describe('登记客户 / Register a customer');
export type CreateCustomer = z.infer<typeof createCustomerSchema>;

export const updateCustomerSchema = z
  .strictObject({
    kind: z.enum(CUSTOMER_KINDS).optional(),
    name: nameSchema.optional(),
    phone: phoneSchema.nullable().optional().describe('null 清除 / null clears it'),
    idNumber: residentIdNumberSchema.nullable().optional().describe('null 清除 / null clears it'),
    tags: tagsSchema.optional(),
    note: noteSchema.nullable().optional(),
  })
  .describe('修改客户资料 / Change a customer');
export type UpdateCustomer = z.infer<typeof updateCustomerSchema>;

export const memberCardSchema = z
  .object({
    id: z.string(),
    cardUid: z.string(),
    status: z.enum(['active', 'blocked', 'replaced']),
    createdAt: z.number().int(),
    endedAt: z.number().int().nullable(),
  })
  .meta({ id: 'MemberCard' });
export type MemberCard = z.infer<typeof memberCardSchema>;

export const customerSchema = z
  .object({
    id: z.string(),
    siteId: venueIdSchema,
    kind: z.enum(CUSTOMER_KINDS),
    name: z.string(),
    phone: z.string().nullable(),
    idMasked: z.string().nullable().describe('证件号（已脱敏）/ ID number, masked'),
    tags: z.array(z.string()),
    note: z.string().nullable(),
    cards: z.array(memberCardSchema),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof customerSchema>;

export const customerParamsSchema = z.object({ customerId: z.string().min(1).max(64) });
export const cardParamsSchema = customerParamsSchema.extend({ cardId: z.string().min(1).max(64) });

export const searchCustomersQuerySchema = z.object({
  siteId: venueIdSchema.optional(),
  phone: z.string().max(32).optional().describe('手机号（完整）/ Phone number, whole'),
  idNumber: z.string().max(32).optional().describe('证件号（完整）/ ID number, whole'),
  cardUid: z.string().max(64).optional().describe('会员卡号 / Member card UID'),
  name: z.string().trim().min(1).max(64).optional().describe('姓名开头 / Name prefix'),
  tag: z.string().trim().min(1).max(32).optional(),
  kind: z.enum(CUSTOMER_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type SearchCustomersQuery = z.infer<typeof searchCustomersQuerySchema>;

export const customerPageSchema = z
  .object({ customers: z.array(customerSchema), total: z.number().int() })
  .meta({ id: 'CustomerPage' });
export type CustomerPage = z.infer<typeof customerPageSchema>;

export const bindCardSchema = z
  .strictObject({
    cardUid: z.string().min(1).max(64).describe('IC 卡号 / IC card UID'),
    replaces: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('补卡：被替换的旧卡 / Replacing this card of the customer (lost or broken)'),
  })
  .describe('绑定会员卡 / Bind a member card');
export type BindCard = z.infer<typeof bindCardSchema>;

export const historyQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const customerSummarySchema = z
  .object({
    sales: z.number().int().describe('购票次数 / Purchases'),
    spentFen: z.number().int().describe('消费（分，已扣退款）/ Spent, fen, less refunds'),
    refundedFen: z.number().int(),
    tickets: z.number().int().describe('购票张数（已扣退票）/ Tickets bought, less refunded'),
    visits: z.number().int().describe('入园次数 / Entries through the gates'),
    lastVisitAt: z.number().int().nullable().describe('最近入园（epoch ms）/ Last entry, epoch ms'),
    lastVisit: z
      .string()
      .nullable()
      .describe('最近入园（景区当地时间 YYYY-MM-DD HH:mm）/ Last entry in the site’s local time'),
  })
  .meta({ id: 'CustomerSummary' });
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

/** How many of a customer's latest entries the history lists. */
export const RECENT_VISITS = 50;

export const customerVisitSchema = z
  .object({
    at: z.number().int().describe('入园时间（epoch ms）/ When, epoch ms'),
    time: z.string().describe('景区当地时间 YYYY-MM-DD HH:mm / In the site’s local time'),
    siteId: z.string(),
    gateId: z.string(),
    ticketId: z.number().int(),
    persons: z.number().int(),
  })
  .meta({ id: 'CustomerVisit' });
export type CustomerVisit = z.infer<typeof customerVisitSchema>;

export const customerHistorySchema = z
  .object({
    summary: customerSummarySchema,
    sales: z.array(saleSummarySchema),
    visits: z
      .array(customerVisitSchema)
      .describe(`最近 ${RECENT_VISITS} 次入园，新的在前 / The last ${RECENT_VISITS} entries, newest first`),
  })
  .meta({ id: 'CustomerHistory' });
export type CustomerHistory = z.infer<typeof customerHistorySchema>;
