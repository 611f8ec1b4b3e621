/**
 * Signing-key rotation (密钥轮换). Listing shows public facts only. `rotate` adds a new key that signs every credential
 * from now on; the older keys keep verifying (gates keep their public keys) so tickets already sold stay valid.
 * `retire` ends a key: gates stop receiving its public key with their next config and refuse codes it signed, so it
 * is for a key that is compromised or whose tickets have all expired.
 *
 * Retiring is refused for the key that signs (rotate first) and for a key replaced less than CACHE_MS ago: every
 * instance and module keeps the signing key it read for that long, and a ticket sold with a just-retired key would
 * be refused at the gate the moment it is printed. Both changes are audited; the caller then asks the gate config
 * publisher to push the new key set (it also notices the change on its own within its polling interval).
 */
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import type { TicketsService } from '../tickets/service.js';
import { CACHE_MS, type SigningKeys } from './keys.js';
import type { KeyChange, ReissuedTickets, SigningKey } from './schemas.js';
import { type SigningKeyDb, signingKeyTables } from './tables.js';

const KEY: Localized = { 'zh-CN': '签名密钥', en: 'Signing key' };

interface KeyRow {
  key_id: number;
  public_key: string;
  status: 'active' | 'retired';
  created_at: number;
  retired_at: number | null;
}

/** Oldest first; the newest key not retired is the one that signs. */
async function keyRows(db: SigningKeyDb): Promise<KeyRow[]> {
  return db
    .selectFrom('signing_keys')
    .select(['key_id', 'public_key', 'status', 'created_at', 'retired_at'])
    .orderBy('created_at')
    .orderBy('key_id')
    .execute();
}

function signerOf(rows: readonly KeyRow[]): KeyRow | undefined {
  return rows.filter((row) => row.status === 'active').at(-1);
}

function viewOf(row: KeyRow, signer: KeyRow | undefined, liveTickets: number): SigningKey {
  return {
    keyId: row.key_id,
    publicKey: row.public_key,
    createdAt: row.created_at,
    active: row === signer,
    retired: row.status === 'retired',
    retiredAt: row.retired_at,
    liveTickets,
  };
}

/** Tickets re-signed per transaction: a key with many live tickets is worked through without one long lock. */
const RESIGN_BATCH = 200;

export class SigningKeysService {
  private readonly db: SigningKeyDb;

  constructor(
    db: Connection,
    private readonly keys: SigningKeys,
    private readonly tickets: TicketsService,
    private readonly now: () => number = Date.now,
  ) {
    this.db = signingKeyTables(db);
  }

  async list(): Promise<SigningKey[]> {
    const rows = await keyRows(this.db);
    const signer = signerOf(rows);
    // A retired key's tickets are refused at the gates: those still live are what a re-issue would save.
    const live = await Promise.all(rows.map((row) => this.tickets.countLiveSignedBy(row.key_id)));
    return rows.map((row, i) => viewOf(row, signer, live[i]!));
  }

  /**
   * Re-issues the live tickets that `keyId` signed with a credential of the current signing key, batch by batch,
   * each batch audited: for a key being retired (or retired already, its tickets stranded). Refused for the key that
   * signs (there is nothing newer to sign with; rotate first).
   */
  async reissueTickets(keyId: number, change: KeyChange, context: ChangeContext): Promise<ReissuedTickets> {
    const rows = await keyRows(this.db);
    if (!rows.some((row) => row.key_id === keyId))
      throw new AppError('NOT_FOUND', { resource: KEY, id: keyId });
    const signer = await this.keys.active();
    if (signer.keyId === keyId) throw new AppError('SIGNING_KEY_IN_USE', { keyId });
    let reissued = 0;
    for (;;) {
      const ids = await auditedTransaction(this.db, async (trx) => {
        const done = await this.tickets.resignSignedBy(trx, keyId, signer, RESIGN_BATCH);
        if (done.length > 0)
          await recordAudit(
            trx,
            {
              actor: context.actor,
              ip: context.ip,
              action: 'signing_key.reissue_tickets',
              entity: 'signing_key',
              entityId: String(keyId),
              before: { signingKeyId: keyId },
              after: { signingKeyId: signer.keyId, ticketIds: done, reason: change.reason },
            },
            this.now(),
          );
        return done;
      });
      reissued += ids.length;
      // A short batch was the last; an empty one means what is left changed under us (refunded, replaced).
      if (ids.length < RESIGN_BATCH) break;
    }
    return { keyId, signingKeyId: signer.keyId, reissued };
  }

  async rotate(change: KeyChange, context: ChangeContext): Promise<SigningKey> {
    const created = await auditedTransaction(this.db, async (trx) => {
      const before = signerOf(await keyRows(trx));
      const key = await this.keys.insertKey(trx);
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'signing_key.rotate',
          entity: 'signing_key',
          entityId: String(key.keyId),
          before: before ? { signingKeyId: before.key_id } : null,
          after: {
            signingKeyId: key.keyId,
            publicKey: key.publicKey,
            createdAt: key.createdAt,
            reason: change.reason,
          },
        },
        this.now(),
      );
      return key.keyId;
    });
    this.keys.forget();
    return this.get(created);
  }

  async retire(keyId: number, change: KeyChange, context: ChangeContext): Promise<SigningKey> {
    await auditedTransaction(this.db, async (trx) => {
      const rows = await keyRows(trx);
      const row = rows.find((r) => r.key_id === keyId);
      if (!row) throw new AppError('NOT_FOUND', { resource: KEY, id: keyId });
      if (row.status === 'retired') throw new AppError('SIGNING_KEY_ALREADY_RETIRED', { keyId });
      const signer = signerOf(rows);
      if (row === signer) throw new AppError('SIGNING_KEY_IN_USE', { keyId });
      // It stopped signing when the next newer key was created.
      const replacedAt = rows.find(
        (r) => r.created_at > row.created_at || (r.created_at === row.created_at && r.key_id > row.key_id),
      )!.created_at;
      const now = this.now();
      if (now - replacedAt < CACHE_MS)
        throw new AppError('SIGNING_KEY_RETIRE_TOO_SOON', {
          keyId,
          retryAfter: Math.ceil((replacedAt + CACHE_MS - now) / 1000),
        });
      await trx
        .updateTable('signing_keys')
        .set({ status: 'retired', retired_at: now })
        .where('key_id', '=', keyId)
        .where('status', '=', 'active')
        .execute();
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'signing_key.retire',
          entity: 'signing_key',
          entityId: String(keyId),
          before: { status: 'active' },
          after: {
            status: 'retired',
            retiredAt: now,
            reason: change.reason,
            strandedTickets: await this.tickets.countLiveSignedBy(keyId, trx),
          },
        },
        now,
      );
    });
    return this.get(keyId);
  }

  /** One key's view: its live tickets counted alone, not every key's as `list` does. */
  private async get(keyId: number): Promise<SigningKey> {
    const rows = await keyRows(this.db);
    const row = rows.find((r) => r.key_id === keyId);
    if (!row) throw new AppError('NOT_FOUND', { resource: KEY, id: keyId });
    return viewOf(row, signerOf(rows), await this.tickets.countLiveSignedBy(keyId));
  }
}
