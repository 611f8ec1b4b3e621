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
/** What a session token can look like (base64url); anything else is not looked up. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * The credentials of an `Authorization: Bearer <credentials>` header, or undefined for another scheme or none. The
 * scheme is matched without regard to case (RFC 9110 §11.1: `bearer` is as good as `Bearer`); every route that takes
 * a bearer token (sessions, /metrics) reads it here.
 */
export function bearerCredentials(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** `Authorization: Bearer <token>` first (API clients), else the session cookie (the console). */
export function tokenFromRequest(
  headers: { readonly authorization?: string | undefined },
  cookies: Readonly<Record<string, string | undefined>> | undefined,
): string | undefined {
  const header = headers.authorization;
  if (header) {
    const token = bearerCredentials(header);
    return token !== undefined && SESSION_TOKEN.test(token) ? token : undefined;
  }
  const cookie = cookies?.[SESSION_COOKIE];
  return cookie && SESSION_TOKEN.test(cookie) ? cookie : undefined;
}
