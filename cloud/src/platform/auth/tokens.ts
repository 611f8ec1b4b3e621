/**
 * Session tokens: 256 random bits, handed to the client once (cookie and login response); the database keeps only
 * their SHA-256, so a leaked backup holds no usable session. A fast hash is right here: the token is random, not
 * a guessable password.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const SESSION_COOKIE = 'scenic_session';

/** `Authorization: Bearer <token>` first (API clients), else the session cookie (the console). */
export function tokenFromRequest(
  headers: { readonly authorization?: string | undefined },
  cookies: Readonly<Record<string, string | undefined>> | undefined,
): string | undefined {
  const header = headers.authorization;
  if (header) {
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/i.exec(header);
    return match?.[1];
  }
  const cookie = cookies?.[SESSION_COOKIE];
  return cookie && /^[A-Za-z0-9_-]{20,200}$/.test(cookie) ? cookie : undefined;
}
