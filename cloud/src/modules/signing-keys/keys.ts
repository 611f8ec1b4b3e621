/**
 * The cloud's QR signing keys. The newest key that is not retired signs new credentials; it is created on first use.
 * A rotation adds a newer key: the older ones stay `active` — gates still accept what they signed — until retired,
 * after which gates no longer receive their public key (gate config) and refuse codes signed with them. The signing
 * key is read from the database and kept in memory for up to CACHE_MS, so a rotation made through another instance
 * (or another module's SigningKeys) is picked up within that time; a key is therefore retired only once it has not
 * signed for longer than that (modules/signing-keys).
 *
 * Key ids: a QR text starts with base45 of the bytes (formatVersion = 1, keyId); when (256 + keyId) % 45 = 36 — i.e.
 * keyId % 45 = 5 (ids 5, 50, 95, 140, 185, 230) — its first character is a space, which scanners, keyboard wedges and
 * copy-paste often trim. Such ids are never allocated (the table refuses them too).
 */
import {
  exportPublicKey,
  exportSigningKey,
  generateSigningKey,
  importSigningKey,
  type SigningKeyPair,
} from '@scenic/protocol';
import type { Insertable } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { AppError } from '../../platform/errors.js';
import type { CredentialSecrets } from './secrets.js';
import type { SigningKeysTable } from './tables.js';
import { type SigningKeyDb, signingKeyTables } from './tables.js';

/** How long an instance keeps signing with the key it read: the grace before a replaced key may be retired. */
export const CACHE_MS = 60_000;

export function isAllowedKeyId(keyId: number): boolean {
  return Number.isInteger(keyId) && keyId >= 0 && keyId <= 255 && keyId % 45 !== 5;
}

/** The lowest allowed id no existing key (active or retired) holds: ids of retired keys are never reused. */
function lowestFreeKeyId(existing: readonly { key_id: number }[]): number {
  const used = new Set(existing.map((row) => row.key_id));
  let keyId = 1;
  while (keyId <= 255 && (used.has(keyId) || !isAllowedKeyId(keyId))) keyId++;
  if (keyId > 255) throw new AppError('SIGNING_KEY_UNAVAILABLE', { reason: 'no free key id' });
  return keyId;
}

export interface PublicKeyInfo {
  readonly keyId: number;
  /** base64 of the 32 raw bytes, as gates take it. */
  readonly publicKey: string;
  readonly status: 'active' | 'retired';
  readonly createdAt: number;
}

export class SigningKeys {
  private cached: { key: SigningKeyPair; at: number } | undefined;
  private readonly createdListeners: (() => void)[] = [];

  private readonly db: SigningKeyDb;

  constructor(
    db: Connection,
    private readonly secrets: () => CredentialSecrets,
    private readonly now: () => number = Date.now,
  ) {
    this.db = signingKeyTables(db);
  }

  /** The key new credentials are signed with. Call outside the sale transaction (it may create the key). */
  async active(): Promise<SigningKeyPair> {
    const now = this.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.key;
    const key = (await this.loadActive()) ?? (await this.create());
    this.cached = { key, at: now };
    return key;
  }

  async publicKeys(): Promise<PublicKeyInfo[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .select(['key_id', 'public_key', 'status', 'created_at'])
      .orderBy('key_id')
      .execute();
    return rows.map((row) => ({
      keyId: row.key_id,
      publicKey: row.public_key,
      status: row.status,
      createdAt: row.created_at,
    }));
  }

  /**
   * Called when this instance made the first signing key (at the first credential signed): the gate configs carry
   * the public keys, so the composition root has them published at once — before the sale that made the key sends
   * its ticket to the gates, which would otherwise refuse it until the next config round.
   */
  onFirstKey(listener: () => void): void {
    this.createdListeners.push(listener);
  }

  /** Forget the cached signing key (after a rotation made through this instance). */
  forget(): void {
    this.cached = undefined;
  }

  /**
   * Adds a new signing key inside the caller's transaction, created after every existing key so it is the newest
   * (and so the signer), under the lowest allowed unused id. Ids of retired keys are never reused: a code signed
   * with a retired key must stay refused.
   */
  async insertKey(connection: Connection): Promise<PublicKeyInfo> {
    const trx = signingKeyTables(connection);
    const existing = await trx.selectFrom('signing_keys').select(['key_id', 'created_at']).execute();
    const keyId = lowestFreeKeyId(existing);
    const createdAt = Math.max(this.now(), ...existing.map((row) => row.created_at + 1));
    const row = this.newKeyRow(keyId, createdAt);
    await trx.insertInto('signing_keys').values(row).execute();
    return { keyId, publicKey: row.public_key, status: 'active', createdAt };
  }

  /** A freshly generated key under `keyId`, its private half encrypted, as the row that stores it. */
  private newKeyRow(keyId: number, createdAt: number): Insertable<SigningKeysTable> {
    const key = generateSigningKey(keyId);
    const seed = Buffer.from(exportSigningKey(key), 'base64');
    return {
      key_id: keyId,
      public_key: exportPublicKey(key.publicKey),
      private_key_enc: this.secrets().encrypt(seed, `signing-key:${keyId}`),
      status: 'active',
      created_at: createdAt,
      retired_at: null,
    };
  }

  private async loadActive(): Promise<SigningKeyPair | undefined> {
    const row = await this.db
      .selectFrom('signing_keys')
      .select(['key_id', 'private_key_enc'])
      .where('status', '=', 'active')
      .orderBy('created_at', 'desc')
      .orderBy('key_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    const seed = this.secrets().decrypt(row.private_key_enc, `signing-key:${row.key_id}`);
    return importSigningKey(row.key_id, seed.toString('base64'));
  }

  /**
   * Inserts a key under the lowest allowed unused id unless one is active by now. Two instances racing both try the
   * same id; the loser's insert is ignored (or retried and then sees the winner's), and both read the winner's key.
   */
  private async create(): Promise<SigningKeyPair> {
    const inserted = await transaction(this.db, async (trx) => {
      const existing = await trx.selectFrom('signing_keys').select(['key_id', 'status']).execute();
      // Another caller created one since we looked.
      if (existing.some((row) => row.status === 'active')) return false;
      const result = await trx
        .insertInto('signing_keys')
        .values(this.newKeyRow(lowestFreeKeyId(existing), this.now()))
        .onConflict((oc) => oc.column('key_id').doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    });
    const key = await this.loadActive();
    if (!key) throw new Error('no active signing key after creating one');
    if (inserted) for (const listener of this.createdListeners) listener();
    return key;
  }
}
