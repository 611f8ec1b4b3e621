/**
 * Gate MQTT passwords are stored in Mosquitto's own format, `$7$<iterations>$<salt b64>$<hash b64>` (PBKDF2-HMAC-
 * SHA512, 12-byte salt, 64-byte hash; what `mosquitto_passwd` writes), so one stored hash serves both the embedded
 * broker and a generated Mosquitto passwd file. The passwords are 32 random bytes made by the cloud, never chosen by
 * people, so key stretching adds nothing against guessing; the iteration count only has to be Mosquitto-compatible
 * and cheap enough for a whole fleet reconnecting at once.
 */
import { pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

const ITERATIONS = 1000;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

/** A new gate password: 32 random bytes as base64url (43 characters, no `:` or spaces to trip up configs). */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

export function hashPassword(password: string): string {
  const salt = randomBytes(SALT_BYTES);
  const hash = pbkdf2Sync(password, salt, ITERATIONS, HASH_BYTES, 'sha512');
  return `$7$${ITERATIONS}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * True when `password` matches a `$7$` hash; false for a wrong password or anything not in that format. Runs on the
 * thread pool, so a reconnecting fleet does not stall the event loop.
 */
export async function verifyPassword(password: string | Buffer, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== '7') return false;
  const iterations = Number(parts[2]);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1_000_000) return false;
  const salt = Buffer.from(parts[3] ?? '', 'base64');
  const expected = Buffer.from(parts[4] ?? '', 'base64');
  if (salt.length === 0 || expected.length !== HASH_BYTES) return false;
  const actual = await pbkdf2Async(password, salt, iterations, HASH_BYTES, 'sha512');
  return timingSafeEqual(actual, expected);
}
