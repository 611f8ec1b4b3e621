/**
 * The channel API's own page in the OpenAPI document: how partners authenticate, what statuses an order goes
 * through and how they map to OCTO's booking statuses, and how webhooks are signed. Text only; app.ts adds it to the
 * document as the description of the `channel` tag, where the order routes (group-orders module) join the
 * availability route.
 */
export const CHANNEL_TAG = 'channel';

export const CHANNEL_TAG_DESCRIPTION = `
渠道接口（旅行社、OTA、官方线上）/ The channel API for travel agencies, OTAs and the venue's own online shop.

**Authentication / 认证.** Every call carries the partner's API key as \`X-Api-Key: <key>\` or
\`Authorization: Bearer <key>\`. A key is issued per agency or per channel, limited to its sites (another site's data
answers 404 as if it did not exist) and rate-limited per key (token bucket; beyond it 429 \`RATE_LIMITED\` with
\`Retry-After\` in seconds). A missing, wrong or revoked key answers 401 \`API_KEY_INVALID\`. After a rotation the
previous key keeps working for the grace the venue chose.

**Idempotency / 幂等.** Changes (hold, confirm, cancel) are idempotent by the partner's own reference: the same
reference with the same body answers the first result again; with a different body, 409.

**Order statuses and OCTO / 订单状态与 OCTO 映射.**

| Status here | OCTO \`status\` | Meaning |
| --- | --- | --- |
| \`held\` | \`ON_HOLD\` | places are taken from the day's and slot's capacity until the hold expires; not yet sold |
| \`confirmed\` | \`CONFIRMED\` | sold: tickets issued and valid at the gates |
| \`cancelled\` | \`CANCELLED\` | cancelled by the partner or the venue (a confirmed order's unused tickets refunded); places returned |
| \`expired\` | \`EXPIRED\` | a hold not confirmed in time; places returned |
| \`redeemed\` | \`REDEEMED\` | every ticket of the order has been used at a gate (a partly used order stays \`confirmed\`, its tickets say which) |

Transitions: held → confirmed | cancelled | expired; confirmed → cancelled | redeemed. Nothing leaves cancelled,
expired or redeemed.

**Webhooks / 回调.** The venue registers a URL per API key. On redemption, cancellation and refund the partner
receives \`POST <url>\` with a JSON body \`{ id, type, createdAt, data }\` and the headers \`Webhook-Id\` (the event id,
the same on every retry: deduplicate on it), \`Webhook-Timestamp\` (Unix seconds) and
\`Webhook-Signature: v1=<hex>\`, the HMAC-SHA256 of \`<timestamp>.<raw body>\` under the endpoint's secret. Verify the
signature over the raw bytes and refuse a timestamp more than five minutes old. Any 2xx answer within the timeout
acknowledges the event; anything else is retried with exponential back-off up to a maximum number of attempts.
`.trim();
