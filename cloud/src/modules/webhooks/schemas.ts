/** Shapes of the webhook management routes (/api/v1/webhooks) and of the events partners receive. */
import { z } from 'zod';

/** What a partner may subscribe to. Stable API values: endpoints store them. */
export const WEBHOOK_EVENT_TYPES = [
  'booking.redeemed',
  'booking.cancelled',
  'booking.refunded',
  'booking.expired',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What another module hands `WebhooksService.enqueue` inside its own transaction. */
export interface WebhookEventInput {
  readonly type: WebhookEventType;
  /**
   * The channel key the event concerns: the active endpoints of that key, and of its agency for an agency's key,
   * subscribed to `type` receive it.
   */
  readonly keyId: string;
  /** Plain JSON: what the partner reads as `data`. */
  readonly data: unknown;
  /** The event id when the caller must know it beforehand; a random UUID otherwise. */
  readonly id?: string;
}

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    keyId: z.string().nullable().describe('接收此密钥的事件 / Receives this key’s events'),
    agencyId: z
      .string()
      .nullable()
      .describe('接收此旅行社所有密钥的事件 / Receives the events of every key of this agency'),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    status: z.enum(['active', 'disabled']),
    previousSecretUntil: z
      .number()
      .int()
      .nullable()
      .describe(
        '轮换后旧密钥的签名附带到此时刻（毫秒）/ Until when (epoch ms) requests also carry the replaced secret’s signature',
      ),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpointView = z.infer<typeof webhookEndpointSchema>;

export const createdWebhookEndpointSchema = z
  .object({
    endpoint: webhookEndpointSchema,
    secret: z.string().describe('签名密钥，只显示这一次 / The signing secret, shown only this once'),
  })
  .meta({ id: 'CreatedWebhookEndpoint' });
export type CreatedWebhookEndpoint = z.infer<typeof createdWebhookEndpointSchema>;

export const createWebhookEndpointSchema = z
  .strictObject({
    keyId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('接收此 API 密钥的事件 / Receive the events of this API key'),
    agencyId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('或：接收此旅行社所有密钥的事件 / Or: the events of every key of this agency'),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2_000)
      .describe('合作方接收地址（http 或 https）/ The partner’s receiving URL, http or https'),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
  })
  .refine((body) => (body.keyId === undefined) !== (body.agencyId === undefined), {
    message: 'give either keyId or agencyId',
    path: ['keyId'],
  });
export type CreateWebhookEndpoint = z.infer<typeof createWebhookEndpointSchema>;

export const endpointParamsSchema = z.object({ endpointId: z.string().min(1).max(64) });
export const endpointListQuerySchema = z.object({
  keyId: z.string().min(1).max(64).optional(),
  agencyId: z.string().min(1).max(64).optional(),
});

export const webhookAttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.number().int(),
  statusCode: z
    .number()
    .int()
    .nullable()
    .describe('对方 HTTP 状态，无应答为 null / The answer’s status; null: none'),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string().describe('事件编号（Webhook-Id）/ The event id sent as Webhook-Id'),
    eventType: z.enum(WEBHOOK_EVENT_TYPES),
    endpointId: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.number().int().nullable().describe('下次尝试（待投递时）/ Next attempt, while pending'),
    createdAt: z.number().int(),
    deliveredAt: z.number().int().nullable(),
    log: z.array(webhookAttemptSchema).describe('每次尝试 / Every attempt'),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;

export const deliveryPageSchema = z
  .object({ items: z.array(webhookDeliverySchema), total: z.number().int() })
  .meta({ id: 'WebhookDeliveryPage' });
export type WebhookDeliveryPage = z.infer<typeof deliveryPageSchema>;

export const deliveryListQuerySchema = z.object({
  endpointId: z.string().min(1).max(64).optional(),
  eventId: z.string().min(1).max(64).optional(),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type DeliveryListQuery = z.infer<typeof deliveryListQuerySchema>;

export const deliveryParamsSchema = z.object({ deliveryId: z.string().min(1).max(64) });

export const webhookChangeSchema = z.strictObject({
  reason: z.string().trim().min(1).max(200).describe('原因（记入操作日志）/ Why, recorded in the audit log'),
});
export type WebhookChange = z.infer<typeof webhookChangeSchema>;

export const rotateSecretSchema = z.strictObject({
  reason: z.string().trim().min(1).max(200).describe('原因（记入操作日志）/ Why, recorded in the audit log'),
  graceHours: z
    .number()
    .int()
    .min(0)
    .max(168)
    .default(24)
    .describe(
      '过渡期（小时）：期间请求同时带新旧两个签名；0 = 旧密钥立即失效 / Hours during which requests carry both the new and the old signature; 0 = the old secret stops at once',
    ),
});
export type RotateSecret = z.infer<typeof rotateSecretSchema>;
