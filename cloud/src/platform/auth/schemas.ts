import { z } from 'zod';
import { PERMISSION_NAMES } from '../permissions.js';
import { bilingual } from '../validation.js';
import { passwordSchema } from './credentials.js';

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: passwordSchema,
});

export const meSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(z.string()),
    permissions: z.array(z.enum(PERMISSION_NAMES as [string, ...string[]])),
    siteIds: z
      .array(z.string())
      .describe(
        '仅可操作这些景区；空数组为全部景区 / The only sites this operator sees and changes; empty: every site',
      ),
    mustChangePassword: z
      .boolean()
      .describe(
        '须先修改密码（初始或被重置的密码）：此前只能调用 GET /me、POST /password、POST /logout / The password ' +
          'was set by an administrator or generated: until it is changed only GET /me, POST /password and ' +
          'POST /logout answer, other routes 403 PASSWORD_CHANGE_REQUIRED',
      ),
    sessionExpiresAt: z.number().int().describe('本次登录的失效时间 / When this session ends, epoch ms'),
  })
  .meta({ id: 'SignedInOperator' });

export const loginResponse = z.object({
  token: z
    .string()
    .describe('Send as `Authorization: Bearer <token>`; the console uses the HttpOnly cookie instead'),
  expiresAt: z.number().int().describe('Epoch milliseconds'),
  operator: meSchema,
});

export const changePasswordBody = z.strictObject({
  currentPassword: passwordSchema,
  newPassword: passwordSchema,
});

const fenLimit = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const thresholdFen = fenLimit.describe(
  '同一订单累计退款（或累计补票）超过此金额（分）需双人复核 / Refunds (or supplements) of one sale that add up to ' +
    'more than this (fen) need a second approver',
);
const cashierDailyThresholdFen = fenLimit
  .nullable()
  .describe(
    '营业员在营业日（场馆时区零点至零点）内累计退款超过此金额（分）需双人复核；null 为不限 / A cashier’s refunds ' +
      'in one business day (midnight to midnight in the site’s time zone) that add up to more than this (fen) need ' +
      'a second approver; null: no daily limit (the default)',
  );

export const secondApprovalSettingsSchema = z.object({ thresholdFen, cashierDailyThresholdFen });

export const secondApprovalChangeSchema = z
  .strictObject({
    thresholdFen: thresholdFen.optional(),
    cashierDailyThresholdFen: cashierDailyThresholdFen.optional(),
  })
  .refine(
    (change) => change.thresholdFen !== undefined || change.cashierDailyThresholdFen !== undefined,
    bilingual({
      'zh-CN': '至少填写 thresholdFen 或 cashierDailyThresholdFen 之一',
      en: 'give thresholdFen, cashierDailyThresholdFen or both',
    }),
  )
  .describe('未填写的设置保持不变 / A setting left out keeps its value');

/** A search among operators to pick one (stock's recipient, a till's successor): part of a username or name. */
export const operatorSearchSchema = z.object({
  q: z
    .string()
    .trim()
    .max(64)
    .optional()
    .describe('用户名或姓名的一部分 / Part of the username or display name'),
});

/** An operator offered in a picker: no roles or permissions, only who it is. */
export const operatorChoiceSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string() })
  .meta({ id: 'OperatorChoice' });
export type OperatorChoice = z.infer<typeof operatorChoiceSchema>;
