/**
 * Usernames, the password policy and password hashing (argon2id). Hashing parameters follow OWASP's argon2id
 * baseline (19 MiB, 2 passes, 1 lane): ~20–40 ms on a ticket-office PC, so sign-in stays quick while offline
 * guessing against a stolen database stays slow. Verification reads the parameters from the stored hash, so they
 * can be raised later without invalidating existing passwords.
 */
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Localized } from '../language.js';
import { bilingual } from '../validation.js';

const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
/** Long enough for any passphrase, short enough that hashing one is not a way to burn our CPU. */
export const PASSWORD_MAX_LENGTH = 128;

/** Lower-cased; letters, digits and . _ - ; 2–64 characters. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (value) => /^[a-z0-9][a-z0-9._-]{1,63}$/.test(value),
    bilingual({
      'zh-CN': '用户名须为 2–64 个字母、数字或 . _ -，以字母或数字开头',
      en: 'a username is 2–64 letters, digits or . _ -, starting with a letter or digit',
    }),
  );

/** Shape only; the policy (which needs the username) is `checkPasswordPolicy`. */
export const passwordSchema = z.string().min(1).max(PASSWORD_MAX_LENGTH);

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** Throws PASSWORD_POLICY naming the first rule the password breaks. */
export function checkPasswordPolicy(password: string, username: string): void {
  const reason = policyViolation(password, username);
  if (reason) throw new AppError('PASSWORD_POLICY', { reason });
}

function policyViolation(password: string, username: string): Localized | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return {
      'zh-CN': `至少 ${PASSWORD_MIN_LENGTH} 个字符`,
      en: `at least ${PASSWORD_MIN_LENGTH} characters`,
    };
  if (length > PASSWORD_MAX_LENGTH)
    return { 'zh-CN': `最多 ${PASSWORD_MAX_LENGTH} 个字符`, en: `at most ${PASSWORD_MAX_LENGTH} characters` };
  if (password.trim().toLowerCase() === normaliseUsername(username))
    return { 'zh-CN': '不能与用户名相同', en: 'must not be the username' };
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

/** False for a wrong password and for a hash that cannot be read; never throws. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * The hash an unknown username is checked against: a fixed argon2id hash, made with HASH_OPTIONS, of random bytes
 * nobody kept. Fixed rather than made at first use, so the first unknown name after a start costs one verification
 * like every other, not a hash and a verification. credentials.test.ts checks that it carries the parameters
 * hashPassword uses today: raise HASH_OPTIONS and that test asks for a new one.
 */
export const DECOY_HASH =
  '$argon2id$v=19$m=19456,p=1,t=2$VFwcHF+MHsrz5KRF3OQkng$r+QSSSYO+fNBkEj/NWNIs1LI4LhdmXaVt5eD8YKNnZo';

/**
 * Costs what checking a real password costs, and fails. Used for unknown usernames so that response time does not
 * tell an attacker which usernames exist.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  await verifyPassword(DECOY_HASH, password);
  return false;
}

/** A password for a generated first admin: 18 random characters from a URL-safe alphabet (108 bits). */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url').slice(0, 18);
}
