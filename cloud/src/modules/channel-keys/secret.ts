/**
 * A channel API key is `<id>.<secret>`: the id (`ck_` + 20 hex digits) is public and says which row to read; the
 * secret is 32 random bytes (base64url, 43 characters) shown once, at creation or rotation. Only its SHA-256 is
 * stored. A fast hash is enough here, unlike for passwords: argon2's cost protects guessable human secrets, while a
 * 256-bit random secret cannot be found from its hash by any amount of guessing, and a fast hash keeps a partner's
 * every call at one SELECT and one microsecond of hashing. The comparison is constant-time over the hashes, so the
 * time an answer takes says nothing about how much of a guess was right.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY = /^(ck_[0-9a-f]{20})\.([A-Za-z0-9_-]{43})$/;

export interface NewSecret {
  /** The whole key as the partner sends it. */
  readonly key: string;
  readonly hash: string;
}

export function newKeyId(): string {
  return `ck_${randomBytes(10).toString('hex')}`;
}

export function newSecret(keyId: string): NewSecret {
  const secret = randomBytes(32).toString('base64url');
  return { key: `${keyId}.${secret}`, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The id and secret of a presented key; undefined when it is not shaped like one (nothing is looked up then). */
export function parseKey(presented: string): { keyId: string; secret: string } | undefined {
  const match = KEY.exec(presented);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

/** Whether `secret` hashes to `storedHash`, in time independent of where they differ. */
export function secretMatches(secret: string, storedHash: string | null): boolean {
  if (storedHash === null) return false;
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
