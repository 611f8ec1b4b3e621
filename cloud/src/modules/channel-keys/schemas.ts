/** Shapes of the channel API key management routes (/api/v1/channel-keys): never a stored hash. */
import { z } from 'zod';

export const KEY_CHANNELS = ['ota', 'online', 'agency'] as const;
/** Calls per minute when a key is created without a limit. */
export const DEFAULT_RATE_PER_MINUTE = 600;
/** How long the secret replaced by a rotation keeps working when the rotation does not say. */
export const DEFAULT_GRACE_MINUTES = 60;

const siteIdSchema = z.string().trim().min(1).max(64);
const reasonSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('原因（记入操作日志）/ Why, recorded in the audit log');

export const channelKeySchema = z
  .object({
    id: z.string().describe('密钥编号（密钥的公开部分）/ Key id, the public half of the key'),
    name: z.string(),
    channel: z.enum(KEY_CHANNELS).describe('订单所属销售渠道 / The sales channel its orders count as'),
    agencyId: z.string().nullable().describe('旅行社（channel 为 agency 时）/ The agency, for an agency key'),
    siteIds: z.array(z.string()).describe('可访问的景区 / The sites the key may reach'),
    ratePerMinute: z.number().int(),
    status: z.enum(['active', 'revoked']),
    createdAt: z.number().int(),
    rotatedAt: z.number().int().nullable(),
    previousValidUntil: z
      .number()
      .int()
      .nullable()
      .describe('轮换前的旧密钥有效至 / The secret replaced by the last rotation works until then'),
    revokedAt: z.number().int().nullable(),
    lastUsedAt: z
      .number()
      .int()
      .nullable()
      .describe('最近使用（每分钟至多更新一次）/ Last used, updated at most once a minute'),
  })
  .meta({ id: 'ChannelKey' });
export type ChannelKeyView = z.infer<typeof channelKeySchema>;

export const issuedChannelKeySchema = z
  .object({
    key: channelKeySchema,
    secret: z
      .string()
      .describe(
        '完整密钥，只显示这一次，请交给合作方妥善保存 / The whole key, shown only this once: hand it to the partner',
      ),
  })
  .meta({ id: 'IssuedChannelKey' });
export type IssuedChannelKey = z.infer<typeof issuedChannelKeySchema>;

export const createChannelKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    channel: z.enum(KEY_CHANNELS),
    agencyId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe('channel 为 agency 时必填 / Required for agency'),
    siteIds: z.array(siteIdSchema).min(1).max(100),
    ratePerMinute: z.number().int().min(1).max(60_000).default(DEFAULT_RATE_PER_MINUTE),
  })
  .refine((body) => (body.channel === 'agency') === (body.agencyId !== undefined), {
    message: 'agencyId is required for an agency key and only for one',
    path: ['agencyId'],
  });
export type CreateChannelKey = z.infer<typeof createChannelKeySchema>;

export const rotateChannelKeySchema = z.strictObject({
  graceMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(DEFAULT_GRACE_MINUTES)
    .describe(
      '旧密钥继续有效的分钟数；0 立即失效（泄露时）/ Minutes the replaced secret keeps working; 0 ends it at once (a leak)',
    ),
  reason: reasonSchema,
});
export type RotateChannelKey = z.infer<typeof rotateChannelKeySchema>;

export const revokeChannelKeySchema = z.strictObject({ reason: reasonSchema });
export type RevokeChannelKey = z.infer<typeof revokeChannelKeySchema>;

export const channelKeyParamsSchema = z.object({ keyId: z.string().min(1).max(64) });

export const channelKeyListQuerySchema = z.object({
  agencyId: z.string().min(1).max(64).optional(),
  status: z.enum(['active', 'revoked']).optional(),
});
