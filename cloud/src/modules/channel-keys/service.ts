/**
 * Channel API keys (渠道接口密钥): created for an agency or a sales channel and a list of sites, rotated, revoked,
 * and checked on every partner call (`authenticate`, the platform's PartnerKeys).
 *
 * - The secret is shown once (creation, rotation) and kept only as a hash (secret.ts).
 * - Rotation issues a new secret; the one it replaces keeps working for a grace the rotation chooses (default an
 *   hour, so a partner can deploy the new key without an outage; 0 ends it at once, for a leaked key). Only the
 *   latest replaced secret is kept: a second rotation within the grace ends the first one's at once.
 * - Revocation ends the key and every secret of it at once, for good (a revoked key is not reactivated: issue a new
 *   one). Its webhooks stop with it (webhooks/service.ts delivers only to endpoints of an active key).
 * - `last_used_at` is written at most once a minute per key, so a busy partner does not turn every read into a write.
 *
 * Every change is audited in its own transaction; the audit entry never holds a secret or a hash.
 */
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { Partner, PartnerKeys } from '../../platform/auth/partner.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { siteScopeOf } from '../../platform/site-scope.js';
import { unknownSiteIds } from '../venues/reads.js';
import { insertKey, keyRow, keySites, listKeys, viewOf } from './repo.js';
import type {
  ChannelKeyView,
  CreateChannelKey,
  IssuedChannelKey,
  RevokeChannelKey,
  RotateChannelKey,
} from './schemas.js';
import { newKeyId, newSecret, parseKey, secretMatches } from './secret.js';
import { type ChannelKeyDb, channelKeyTables } from './tables.js';

const KEY: Localized = { 'zh-CN': 'API 密钥', en: 'API key' };
const LAST_USED_EVERY_MS = 60_000;

export class ChannelKeysService implements PartnerKeys {
  private readonly db: ChannelKeyDb;

  constructor(
    db: Connection,
    private readonly now: () => number = Date.now,
  ) {
    this.db = channelKeyTables(db);
  }

  list(filter: { agencyId?: string; status?: 'active' | 'revoked' } = {}): Promise<ChannelKeyView[]> {
    return listKeys(this.db, filter);
  }

  async get(id: string, db: ChannelKeyDb = this.db): Promise<ChannelKeyView> {
    const row = await keyRow(db, id);
    if (!row) throw new AppError('NOT_FOUND', { resource: KEY, id });
    return viewOf(row, await keySites(db, id));
  }

  async create(input: CreateChannelKey, context: ChangeContext): Promise<IssuedChannelKey> {
    const siteIds = [...new Set(input.siteIds)].sort();
    const id = newKeyId();
    const secret = newSecret(id);
    const key = await auditedTransaction(this.db, async (trx) => {
      const [unknown] = await unknownSiteIds(trx, siteIds);
      if (unknown !== undefined) throw new AppError('UNKNOWN_SITE', { siteId: unknown });
      const now = this.now();
      await insertKey(
        trx,
        {
          id,
          name: input.name,
          agency_id: input.agencyId ?? null,
          channel: input.channel,
          secret_hash: secret.hash,
          previous_secret_hash: null,
          previous_valid_until: null,
          rate_per_minute: input.ratePerMinute,
          status: 'active',
          created_at: now,
          rotated_at: null,
          revoked_at: null,
          last_used_at: null,
        },
        siteIds,
      );
      const view = await this.get(id, trx);
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'channel_key.create',
          entity: 'channel_key',
          entityId: id,
          after: auditView(view),
        },
        now,
      );
      return view;
    });
    return { key, secret: secret.key };
  }

  async rotate(id: string, input: RotateChannelKey, context: ChangeContext): Promise<IssuedChannelKey> {
    const secret = newSecret(id);
    const key = await auditedTransaction(this.db, async (trx) => {
      const row = await keyRow(trx, id);
      if (!row) throw new AppError('NOT_FOUND', { resource: KEY, id });
      if (row.status === 'revoked') throw new AppError('CHANNEL_KEY_REVOKED', { keyId: id });
      const now = this.now();
      const graceUntil = input.graceMinutes > 0 ? now + input.graceMinutes * 60_000 : null;
      await trx
        .updateTable('channel_keys')
        .set({
          secret_hash: secret.hash,
          previous_secret_hash: graceUntil === null ? null : row.secret_hash,
          previous_valid_until: graceUntil,
          rotated_at: now,
        })
        .where('id', '=', id)
        .execute();
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'channel_key.rotate',
          entity: 'channel_key',
          entityId: id,
          before: { rotatedAt: row.rotated_at },
          after: { rotatedAt: now, previousValidUntil: graceUntil, reason: input.reason },
        },
        now,
      );
      return this.get(id, trx);
    });
    return { key, secret: secret.key };
  }

  async revoke(id: string, input: RevokeChannelKey, context: ChangeContext): Promise<ChannelKeyView> {
    return auditedTransaction(this.db, async (trx) => {
      const row = await keyRow(trx, id);
      if (!row) throw new AppError('NOT_FOUND', { resource: KEY, id });
      if (row.status === 'revoked') throw new AppError('CHANNEL_KEY_REVOKED', { keyId: id });
      const now = this.now();
      await trx
        .updateTable('channel_keys')
        .set({ status: 'revoked', revoked_at: now, previous_secret_hash: null, previous_valid_until: null })
        .where('id', '=', id)
        .execute();
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'channel_key.revoke',
          entity: 'channel_key',
          entityId: id,
          before: { status: 'active' },
          after: { status: 'revoked', revokedAt: now, reason: input.reason },
        },
        now,
      );
      return this.get(id, trx);
    });
  }

  /** The partner behind a presented key; undefined for anything but an active key's current or graced secret. */
  async authenticate(presented: string): Promise<Partner | undefined> {
    const parsed = parseKey(presented);
    if (!parsed) return undefined;
    const row = await keyRow(this.db, parsed.keyId);
    if (row?.status !== 'active') return undefined;
    const now = this.now();
    const current = secretMatches(parsed.secret, row.secret_hash);
    const graced =
      row.previous_valid_until !== null &&
      now < row.previous_valid_until &&
      secretMatches(parsed.secret, row.previous_secret_hash);
    if (!current && !graced) return undefined;
    if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_EVERY_MS) {
      // Not audited: usage, not a change. Conditional, so instances racing on it write once.
      await this.db
        .updateTable('channel_keys')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .where((eb) =>
          eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - LAST_USED_EVERY_MS)]),
        )
        .execute();
    }
    const siteIds = await keySites(this.db, row.id);
    // No sites would read as every site (site-scope.ts): a key always lists its own, so none reaches nothing.
    if (siteIds.length === 0) return undefined;
    return {
      keyId: row.id,
      name: row.name,
      channel: row.channel,
      agencyId: row.agency_id,
      sites: siteScopeOf(siteIds),
      ratePerMinute: row.rate_per_minute,
    };
  }
}

/** What the audit log keeps of a key: everything but its secrets. */
function auditView(view: ChannelKeyView) {
  const { lastUsedAt: _lastUsed, ...rest } = view;
  return rest;
}
