/**
 * The channel API's own page in the OpenAPI document: how partners authenticate, what statuses an order goes
 * through and how they map to OCTO's booking statuses (group-orders/partner-status.ts computes them), and how webhooks
 * are signed. Text only; app.ts adds it to the document as the description of the `channel` tag, which the
 * availability route and the booking routes (bookings.ts) carry.
 */
export const CHANNEL_TAG = 'channel';

export const CHANNEL_TAG_DESCRIPTION = `
渠道接口（旅行社、OTA、官方线上）/ The channel API for travel agencies, OTAs and the venue's own online shop.

**Authentication / 认证.** Every call carries the partner's API key as \`X-Api-Key: <key>\` or
\`Authorization: Bearer <key>\`. A key is issued per agency or per channel, limited to its sites (another site's data
answers 404 as if it did not exist) and rate-limited per key (token bucket; beyond it 429 \`RATE_LIMITED\` with
\`Retry-After\` in seconds). A missing, wrong or revoked key answers 401 \`API_KEY_INVALID\`. After a rotation the
previous key keeps working for the grace the venue chose.

**Bookings / 预订.** \`POST /bookings\` places a booking on hold (date, optional slot, ticket-type lines, optional
\`headcount\` = the sum of the lines, visitors for real-name types, optional guide) at the agency's settlement
prices; \`POST /bookings/{id}/confirm\` confirms it (a prepaid agency's balance or a credit agency's limit is debited
now: 409 \`AGENCY_BALANCE_SHORT\` / \`AGENCY_CREDIT_EXCEEDED\` when it does not cover it; an agency paying at the
window pays at pick-up); \`POST /bookings/{id}/cancel\` cancels it (free until the cut-off before the visit day, then
a fee; what was paid is credited back less the fee); \`GET /bookings/{id}\`, \`GET /bookings/by-reference/{reference}\`,
\`GET /bookings/{id}/redemption\` (persons admitted and left per line) and \`GET /bookings\` (the key's own bookings,
newest first, \`limit\`/\`offset\`). A key sees only its agency's bookings on its sites (a key without an agency only
the bookings it placed); any other answers 404 \`NOT_FOUND\`. The tickets are picked up and printed at the venue's
window (one group code per line admitting its persons, or one ticket each).

**Idempotency / 幂等.** A booking is idempotent by the partner's own reference (unique per agency): the same
reference with the same body answers the first booking again (200 with \`Idempotent-Replayed: true\`); with a
different body, 409 \`ORDER_REFERENCE_CONFLICT\`. Confirming a booking already confirmed, or cancelling one already
cancelled, answers it as it stands (200, \`Idempotent-Replayed: true\`), so a retry after a lost answer is safe.

**Errors / 错误.** Every error is \`{ error: { code, message, messages: { "zh-CN", en }, details } }\` with a stable
\`code\`: 400 \`VALIDATION_FAILED\` (details name each field), 401 \`API_KEY_INVALID\`, 403 \`SITE_FORBIDDEN\` (a site
outside the key), 404 \`NOT_FOUND\`, 409 (\`CAPACITY_EXHAUSTED\` when the day or slot is full, \`ORDER_REFERENCE_CONFLICT\`,
\`ORDER_STATE_INVALID\`, \`ORDER_HOLD_EXPIRED\`, the agency's balance or credit), 429 \`RATE_LIMITED\`.

**Booking statuses and OCTO / 预订状态与 OCTO 映射.** Each booking answers \`status\` (OCTO) and \`state\` (the order's
state here):

| \`state\` here | OCTO \`status\` | Meaning |
| --- | --- | --- |
| \`held\` | \`ON_HOLD\` | places taken from the day's (and slot's) capacity until \`holdExpiresAt\`; not yet sold. Once the hold has lapsed it answers \`EXPIRED\` even before the venue's sweep releases it |
| \`confirmed\` | \`CONFIRMED\` | sold (paid from the agency's account, or to be paid at the window); tickets not yet picked up |
| \`picked_up\` | \`CONFIRMED\`, then \`REDEEMED\` | tickets picked up at the window; \`REDEEMED\` once every person has been admitted at a gate (partly used: \`CONFIRMED\`, see the redemption) |
| \`closed\` | \`REDEEMED\` (\`EXPIRED\` if nobody came) | after the visit day; unused persons refunded by the venue's policy |
| \`cancelled\` | \`CANCELLED\` | cancelled by the partner or the venue; places returned, money credited back less the fee |
| \`expired\` | \`EXPIRED\` | a hold not confirmed in time; places returned |

Transitions: held → confirmed | cancelled | expired; confirmed → picked_up | cancelled; picked_up → closed. Nothing
leaves cancelled, expired or closed.

**Webhooks / 回调.** The venue registers a URL per API key. On redemption, cancellation, refund and a lapsed hold the partner
receives \`POST <url>\` with a JSON body \`{ id, type, createdAt, data }\` — \`type\` one of \`booking.redeemed\` (each
admission: \`data.persons\` admitted by it, \`personsRedeemed\`, \`personsLeft\`), \`booking.cancelled\` (\`feeFen\`) and
\`booking.refunded\` (\`refund\`: \`cancellation_credit\` or \`unused_persons\`, \`amountFen\`) and
\`booking.expired\` (a hold not confirmed in time, its places given back: \`holdExpiredAt\`); every \`data\` names the
booking (\`bookingId\`, \`reference\`, \`status\`, \`state\`, …) — and the headers \`Webhook-Id\` (the event id,
the same on every retry: deduplicate on it), \`Webhook-Timestamp\` (Unix seconds) and
\`Webhook-Signature: v1=<hex>\`, the HMAC-SHA256 of \`<timestamp>.<raw body>\` under the endpoint's secret. Verify the
signature over the raw bytes (the header may carry two signatures, space-separated, while the venue rotates the
secret: accept the request when either matches) and refuse a timestamp more than five minutes old. Any 2xx answer within the timeout
acknowledges the event; anything else is retried with exponential back-off up to a maximum number of attempts.
`.trim();
