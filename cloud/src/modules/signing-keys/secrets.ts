/**
 * The master secret behind ticket credentials: it encrypts signing keys at rest (AES-256-GCM) and keys the hash of
 * ID numbers used for per-ID purchase limits (HMAC-SHA256), each through its own HKDF-derived subkey.
 *
 * Where it comes from, in order:
 * 1. `CREDENTIAL_SECRET` (≥ 32 characters) — required when several cloud instances share one database, so they all
 *    decrypt the same keys and hash IDs alike;
 * 2. otherwise the key file `CREDENTIAL_SECRET_FILE` (default: `credential-secret.key` beside the SQLite file, or
 *    `./data/credential-secret.key` with PostgreSQL), 32 random bytes in base64 created once with mode 0600.
 * Back the secret up with the database: without it the stored signing keys cannot be used (a new key is then needed
 * and gates must receive its public key) and per-ID limits restart from zero.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../platform/errors.js';

export interface SecretSource {
  readonly secret: string | undefined;
  readonly secretFile: string;
}

const SALT = Buffer.from('scenic-gate credentials');
const FORMAT = 'v1:';

function subkey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, SALT, purpose, 32));
}

function unavailable(reason: string, cause?: unknown): AppError {
  return new AppError('SIGNING_KEY_UNAVAILABLE', { reason }, cause === undefined ? undefined : { cause });
}

/** Reads the key file, creating it first when absent (exclusive create: two processes cannot both write one). */
function fileSecret(path: string): Buffer {
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw unavailable(`cannot read ${path}`, error);
  }
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw unavailable(`cannot create ${path}`, error);
  }
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
}

export class CredentialSecrets {
  private readonly encryptionKey: Buffer;
  private readonly idHashKey: Buffer;

  constructor(master: Buffer) {
    if (master.length < 32) throw unavailable('the master secret is shorter than 32 bytes');
    this.encryptionKey = subkey(master, 'signing-key-encryption');
    this.idHashKey = subkey(master, 'id-number-hash');
  }

  static load(source: SecretSource): CredentialSecrets {
    return new CredentialSecrets(
      source.secret !== undefined ? Buffer.from(source.secret, 'utf8') : fileSecret(source.secretFile),
    );
  }

  /** AES-256-GCM with a random 96-bit IV; `context` is bound as AAD so a ciphertext cannot be moved to another row. */
  encrypt(plain: Buffer, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return FORMAT + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(text: string, context: string): Buffer {
    if (!text.startsWith(FORMAT)) throw unavailable('unknown key encryption format');
    const raw = Buffer.from(text.slice(FORMAT.length), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    } catch (error) {
      throw unavailable(
        'the master secret does not match the stored keys (CREDENTIAL_SECRET or key file changed?)',
        error,
      );
    }
  }

  /** Keyed hash of a normalised ID number: equal IDs match, the number cannot be recovered by guessing. */
  idHash(idNumber: string): string {
    return createHmac('sha256', this.idHashKey).update(idNumber).digest('base64url');
  }
}

/**
 * A short fingerprint of the master secret (16 hex digits of its own HKDF subkey: nothing of the secret or of the
 * other subkeys can be learnt from it), or null when there is none yet — the key file is only read here, never
 * created. A backup's manifest records it, so a restore can tell whether this server holds the secret the backup's
 * signing keys and ID hashes need (db/backup/).
 */
export function secretFingerprint(source: SecretSource): string | null {
  let master: Buffer;
  if (source.secret !== undefined) master = Buffer.from(source.secret, 'utf8');
  else {
    try {
      master = Buffer.from(readFileSync(source.secretFile, 'utf8').trim(), 'base64');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return null;
      throw unavailable(`cannot read ${source.secretFile}`, error);
    }
  }
  return subkey(master, 'fingerprint').subarray(0, 8).toString('hex');
}

const loaded = new Map<string, CredentialSecrets>();

/** One instance per source in the process, created on first use (so a cloud that never sells never writes a file). */
export function credentialSecrets(source: SecretSource): CredentialSecrets {
  const cacheKey = source.secret !== undefined ? `env:${source.secret}` : `file:${source.secretFile}`;
  let secrets = loaded.get(cacheKey);
  if (!secrets) {
    secrets = CredentialSecrets.load(source);
    loaded.set(cacheKey, secrets);
  }
  return secrets;
}
