/**
 * How a webhook request is signed (documented for partners in channel/octo.ts): headers `Webhook-Id` (the event id),
 * `Webhook-Timestamp` (Unix seconds) and `Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the
 * endpoint's secret. The timestamp inside the signed text stops a captured request from being replayed later; the
 * `v1=` prefix leaves room for another scheme. While a rotated secret's grace period lasts the header carries two
 * signatures separated by a space, the new secret's first: a partner accepts the request when any one matches.
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

/** The header's value: the current secret's signature, then the replaced one's while it is still honoured. */
export function signatures(secrets: readonly string[], timestampSec: number, body: string): string {
  return secrets.map((secret) => signature(secret, timestampSec, body)).join(' ');
}

/** What a partner checks: one of the signatures matches and the timestamp is within `toleranceSec` of `nowSec`. */
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
  return headers.signature.split(' ').some((candidate) => {
    const actual = Buffer.from(candidate);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  });
}
