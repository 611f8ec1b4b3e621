/**
 * Gate MQTT credentials (闸机接入凭证): issue, rotate and revoke each gate's broker login, and check logins for the
 * embedded broker. The password exists in clear only in the response that issues it; only its hash is stored. A
 * rotation or revocation takes effect at once on the embedded broker — the next login is checked against the new
 * state and the gate's live session is dropped via `onInvalidated`. A Mosquitto broker learns of it from the next
 * export (see mqtt/README.md).
 *
 * Every issue, rotation and revocation is audited in its own transaction (never the password or its hash). On
 * PostgreSQL the audited transaction queues on the audit chain's lock, so parallel issues for many gates run one
 * after another instead of failing each other's serializable snapshots.
 */

import type { Connection, TransactionOf } from '../../db/scoped.js';
import { gateClientId, gateUsername, type MqttIdentity, parseGateUsername } from '../../mqtt/identity.js';
import { generatePassword, hashPassword, verifyPassword } from '../../mqtt/password-hash.js';
import {
  type AuditActor,
  auditedTransaction,
  recordAudit,
  SYSTEM_ACTOR,
} from '../../platform/audit/record.js';
import { AppError } from '../../platform/errors.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import { type CredentialRow, GateAccessRepo } from './repo.js';
import { type GateAccessDb, gateAccessTables } from './tables.js';

/** Who changed a gate's credential and from where (routes pass the signed-in operator; tools and tests the system). */
export interface CredentialChangeContext {
  readonly actor: AuditActor | null;
  readonly ip: string | null;
  /** The sites the change may touch (platform/site-scope.ts); every site when left out. */
  readonly sites?: SiteScope;
}

const SYSTEM: CredentialChangeContext = { actor: SYSTEM_ACTOR, ip: null };

export interface CredentialInfo {
  gateId: string;
  siteId: string;
  username: string;
  clientId: string;
  version: number;
  createdAt: number;
  rotatedAt: number;
  revokedAt: number | null;
}

export interface IssuedCredential extends CredentialInfo {
  /** Shown once; the cloud keeps only a hash. */
  password: string;
}

export type InvalidationHook = (gate: { siteId: string; gateId: string }) => void;

export class GateAccessService {
  private readonly repo: GateAccessRepo;

  private readonly db: GateAccessDb;

  constructor(
    db: Connection,
    private readonly onInvalidated: InvalidationHook = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.db = gateAccessTables(db);
    this.repo = new GateAccessRepo(db);
  }

  /** A gate of a site out of `scope` has no credential to show. */
  async get(gateId: string, scope: SiteScope = ALL_SITES): Promise<CredentialInfo> {
    const row = await this.repo.byGate(gateId, scope);
    if (!row) throw notFound(gateId);
    return info(row);
  }

  /** First issue, or a new issue after a revocation; an existing valid credential must be rotated instead. */
  async issue(gateId: string, context: CredentialChangeContext = SYSTEM): Promise<IssuedCredential> {
    const password = generatePassword();
    const hash = hashPassword(password);
    const row = await auditedTransaction(this.db, async (trx) => {
      const repo = new GateAccessRepo(trx);
      const gate = await repo.gate(gateId, context.sites);
      if (!gate) throw new AppError('NOT_FOUND', { resource: { 'zh-CN': '闸机', en: 'Gate' }, id: gateId });
      if (gate.active !== 1) throw conflict('闸机已停用', 'the gate is deactivated');
      const existing = await repo.byGate(gateId, context.sites);
      if (existing && existing.revoked_at === null) {
        throw conflict(
          '该闸机已有有效凭证，请使用轮换',
          'the gate already has a valid credential: rotate it instead',
        );
      }
      const at = this.now();
      const next: CredentialRow = {
        gate_id: gateId,
        site_id: gate.siteId,
        username: gateUsername(gate.siteId, gateId),
        password_hash: hash,
        created_at: at,
        rotated_at: at,
        revoked_at: null,
        version: (existing?.version ?? 0) + 1,
      };
      if (existing) await repo.replace(gateId, next);
      else await repo.insert(next);
      await audited(trx, context, 'gate_credential.issue', existing, next);
      return next;
    });
    return { ...info(row), password };
  }

  /** A new password; the old one stops working at once and the gate's session is dropped. */
  async rotate(gateId: string, context: CredentialChangeContext = SYSTEM): Promise<IssuedCredential> {
    const password = generatePassword();
    const hash = hashPassword(password);
    const row = await auditedTransaction(this.db, async (trx) => {
      const repo = new GateAccessRepo(trx);
      const existing = await repo.byGate(gateId, context.sites);
      if (!existing || existing.revoked_at !== null) throw notFound(gateId);
      const updated = {
        ...existing,
        password_hash: hash,
        rotated_at: this.now(),
        version: existing.version + 1,
      };
      await repo.replace(gateId, updated);
      await audited(trx, context, 'gate_credential.rotate', existing, updated);
      return updated;
    });
    this.onInvalidated({ siteId: row.site_id, gateId });
    return { ...info(row), password };
  }

  async revoke(gateId: string, context: CredentialChangeContext = SYSTEM): Promise<CredentialInfo> {
    const row = await auditedTransaction(this.db, async (trx) => {
      const repo = new GateAccessRepo(trx);
      const existing = await repo.byGate(gateId, context.sites);
      if (!existing || existing.revoked_at !== null) throw notFound(gateId);
      const updated = { ...existing, revoked_at: this.now() };
      await repo.replace(gateId, { revoked_at: updated.revoked_at });
      await audited(trx, context, 'gate_credential.revoke', existing, updated);
      return updated;
    });
    this.onInvalidated({ siteId: row.site_id, gateId });
    return info(row);
  }

  /**
   * The embedded broker's login check for gates: user name and client id as the protocol prescribes, a valid
   * credential of an active gate in that site, and the right password. Anything else is refused.
   */
  async authenticateGate(
    clientId: string,
    username: string,
    password: Buffer,
  ): Promise<MqttIdentity | undefined> {
    const parsed = parseGateUsername(username);
    if (!parsed || clientId !== gateClientId(parsed.siteId, parsed.gateId)) return undefined;
    const row = await this.repo.byUsername(username);
    if (!row || row.revoked_at !== null || row.site_id !== parsed.siteId || row.gate_id !== parsed.gateId) {
      return undefined;
    }
    const gate = await this.repo.gate(row.gate_id);
    if (gate?.active !== 1 || gate.siteId !== parsed.siteId) return undefined;
    if (!(await verifyPassword(password, row.password_hash))) return undefined;
    return { kind: 'gate', siteId: parsed.siteId, gateId: parsed.gateId };
  }
}

/** The audit entry of a credential change: its public facts before and after, never the password hash. */
function audited(
  trx: TransactionOf<GateAccessDb>,
  context: CredentialChangeContext,
  action: string,
  before: CredentialRow | undefined,
  after: CredentialRow,
) {
  return recordAudit(trx, {
    actor: context.actor,
    ip: context.ip,
    action,
    entity: 'gate_credential',
    entityId: after.gate_id,
    ...(before && { before: info(before) }),
    after: info(after),
  });
}

function info(row: CredentialRow): CredentialInfo {
  return {
    gateId: row.gate_id,
    siteId: row.site_id,
    username: row.username,
    clientId: gateClientId(row.site_id, row.gate_id),
    version: row.version,
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
    revokedAt: row.revoked_at,
  };
}

function notFound(gateId: string): AppError {
  return new AppError('NOT_FOUND', {
    resource: { 'zh-CN': '闸机有效凭证', en: 'Valid gate credential' },
    id: gateId,
  });
}

function conflict(zh: string, en: string): AppError {
  return new AppError('CONFLICT', { reason: { 'zh-CN': zh, en } });
}
