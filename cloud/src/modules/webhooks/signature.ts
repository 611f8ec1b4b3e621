/**
 * How a webhook request is signed (documented for partners in channel/octo.ts): headers `Webhook-Id` (the event id),
 * `Webhook-Timestamp` (Unix seconds) and `Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the
 * endpoint's secret. The timestamp inside the signed text stops a captured request from being replayed later; the
 * `v1=` prefix leaves room for another scheme (or two signatures during a secret's rotation).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

export function signature(secret: string, timestampSec: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSec}.${body}`, 'utf8').digest('hex')}`;
}

/** What a partner checks: the signature matches and the timestamp is within `toleranceSec` of `nowSec`. */
export function verifySignature(
  secret: string,
  headers: { timestamp: string; signature: string },
  body: string,
  nowSec: number,
  toleranceSec = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSec - timestamp) > toleranceSec) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const actual = Buffer.from(headers.signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
