/**
 * Sign-in, sessions and credential checks. Rules:
 * - nothing in the answer tells whether a username exists: an unknown username costs one argon2 verification
 *   against a fixed decoy hash of the same cost (credentials.ts), as a wrong password costs one against the real
 *   hash, and both get the same 401 INVALID_CREDENTIALS — as do an inactive operator and a locked one;
 * - `maxFailedLogins` wrong passwords in a row lock the account for `lockoutMs`; while locked every attempt (even
 *   the right password) is refused. The lock is not announced to the client (a distinct answer, such as a 423,
 *   would confirm to a guesser that the name exists; locking unknown names too would need a row per name anyone
 *   ever tried): it is recorded in the operation log (`operator.lock`) and shown to administrators on the operator
 *   (`lockedUntil`), and INVALID_CREDENTIALS's message says that repeated failures lock an account. The password is
 *   verified before the lock is read, so a locked account costs the same time as the others. Success or an
 *   administrator's unlock resets the count;
 * - each client address gets `loginRateLimitPerMinute` attempts a minute, shared with second approvals
 *   (attempt-limits.ts); beyond it RATE_LIMITED before any password is checked;
 * - a second approver's credentials are checked by `checkApprover` (approver-check.ts): a wrong one counts against
 *   the operator who asked and their address, never against the approver's account;
 * - argon2 runs before the transaction (it is slow; holding the write lock through it would stall every writer),
 *   then the transaction re-reads the operator and counts the attempt atomically, so parallel guesses cannot slip
 *   past the limit;
 * - an operator whose password an administrator chose signs in as usual but must change it before doing anything
 *   else (`mustChangePassword`, enforced per request in enforce.ts), and the new one must differ from it.
 */
import type { Connection, TransactionOf } from '../../db/scoped.js';
import { type AuditActor, auditedTransaction, recordAudit } from '../audit/record.js';
import { AppError } from '../errors.js';
import type { Permission } from '../permissions.js';
import type { SiteScope } from '../site-scope.js';
import { type ApproverCheck, checkApprover } from './approver-check.js';
import { AddressAttempts, afterFailure, isLocked } from './attempt-limits.js';
import type { AuthConfig } from './config.js';
import {
  checkPasswordPolicy,
  hashPassword,
  normaliseUsername,
  verifyAgainstDecoy,
  verifyPassword,
} from './credentials.js';
import * as repo from './repo.js';
import {
  type SecondApprovalSettings,
  type SecondApprovalSettingsChange,
  secondApprovalSettings,
  setSecondApprovalSettings,
} from './second-approval.js';
import { cachedOperator, cacheGeneration, cacheOperator } from './session-cache.js';
import { type AuthDb, authTables, type OperatorsTable } from './tables.js';
import { hashToken, newSessionToken } from './tokens.js';

/** The signed-in operator behind a request (`request.operator`). */
export interface AuthenticatedOperator {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly permissions: ReadonlySet<Permission>;
  /**
   * The password was chosen by an administrator (or generated at first start) and must be changed before anything
   * else: the session reaches only the routes that allow it (enforce.ts), others answer PASSWORD_CHANGE_REQUIRED.
   */
  readonly mustChangePassword: boolean;
  /** The sites this operator may see and change (per-site access); every site unless an administrator limited it. */
  readonly sites: SiteScope;
  /** SHA-256 of the session token this request used. */
  readonly sessionHash: string;
  /** Epoch ms at which this session ends. */
  readonly sessionExpiresAt: number;
}

export interface ClientInfo {
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

export interface LoginResult {
  readonly token: string;
  readonly expiresAt: number;
  readonly operator: AuthenticatedOperator;
}

/** Refresh `last_seen_at` at most this often, so reads do not each become a write. */
const TOUCH_INTERVAL_MS = 60_000;
/** Ended sessions stay a day (for "why was I signed out" questions), then go. */
const SESSION_KEEP_ENDED_MS = 24 * 3_600_000;

/** The operator as the audit log and the money tables name them (typed with the operator's own, non-null id). */
export function actorOf<Id extends string>(operator: {
  readonly id: Id;
  readonly username: string;
}): AuditActor & { readonly id: Id } {
  return { id: operator.id, username: operator.username };
}

export class AuthService {
  private readonly db: AuthDb;
  /** Password attempts per client address, in the database: sign-in, second approvals and every instance share them. */
  private readonly addresses: AddressAttempts;

  constructor(
    db: Connection,
    private readonly config: AuthConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.db = authTables(db);
    this.addresses = new AddressAttempts(this.db, config.loginRateLimitPerMinute, now);
  }

  /** The amounts above which refunds and supplements need a second operator's approval (second-approval.ts). */
  secondApprovalSettings(): Promise<SecondApprovalSettings> {
    return secondApprovalSettings(this.db);
  }

  setSecondApprovalSettings(
    change: SecondApprovalSettingsChange,
    actor: AuditActor,
    ip: string | null,
  ): Promise<SecondApprovalSettings> {
    return auditedTransaction(this.db, (trx) =>
      setSecondApprovalSettings(trx, change, actor, ip, this.now()),
    );
  }

  /** The second approver, after checking their credentials for `check.requester` (approver-check.ts). */
  checkApprover(check: ApproverCheck): Promise<AuditActor> {
    return checkApprover(this.db, this.config, this.addresses, check, this.now);
  }

  /**
   * Checks a username and password, counting failures toward that account's lock. On success runs `onSuccess` in the
   * same transaction that resets the failure count (to open a session, say) and returns its result. For the
   * account's owner signing in only: credentials typed for someone else (an approval) go through checkApprover.
   */
  private async checkCredentials<T>(
    username: string,
    password: string,
    client: ClientInfo,
    onSuccess: (trx: TransactionOf<AuthDb>, operator: OperatorsTable, now: number) => Promise<T>,
  ): Promise<T> {
    const found = await repo.findOperatorByUsername(this.db, normaliseUsername(username));
    if (!found) {
      await verifyAgainstDecoy(password);
      throw new AppError('INVALID_CREDENTIALS');
    }
    const passwordOk = await verifyPassword(found.password_hash, password);
    const outcome = await auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const operator = await repo.findOperatorById(trx, found.id);
      if (operator?.active !== 1) return { kind: 'invalid' as const };
      if (isLocked(operator.locked_until, now))
        return { kind: 'locked' as const, until: operator.locked_until };
      // A password changed between the check and now must not be accepted on the strength of the old one.
      if (passwordOk && operator.password_hash === found.password_hash) {
        await repo.recordSuccessfulLogin(trx, operator.id, now);
        return { kind: 'ok' as const, value: await onSuccess(trx, operator, now) };
      }
      const count = afterFailure(operator.failed_logins, this.config, now);
      await repo.recordFailedLogin(trx, operator.id, count.failures, count.lockedUntil, now);
      if (count.lockedUntil === null) return { kind: 'invalid' as const };
      const until = count.lockedUntil;
      await recordAudit(
        trx,
        {
          actor: null,
          action: 'operator.lock',
          entity: 'operator',
          entityId: operator.id,
          after: { lockedUntil: until, failedLogins: operator.failed_logins + 1 },
          ip: client.ip,
        },
        now,
      );
      return { kind: 'locked' as const, until };
    });
    if (outcome.kind === 'ok') return outcome.value;
    // Locked or not: the same answer (see the file comment).
    throw new AppError('INVALID_CREDENTIALS');
  }

  async login(username: string, password: string, client: ClientInfo): Promise<LoginResult> {
    await this.addresses.take(client.ip);
    const token = newSessionToken();
    const sessionHash = hashToken(token);
    return this.checkCredentials(username, password, client, async (trx, operator, now) => {
      const expiresAt = now + this.config.sessionTtlMs;
      // Sign-ins are rare next to requests: a good moment to drop sessions that ended a day or more ago.
      await repo.purgeEndedSessions(trx, now - SESSION_KEEP_ENDED_MS);
      await repo.insertSession(trx, {
        token_hash: sessionHash,
        operator_id: operator.id,
        created_at: now,
        expires_at: expiresAt,
        last_seen_at: now,
        ip: client.ip ?? null,
        user_agent: client.userAgent?.slice(0, 500) ?? null,
        revoked_at: null,
      });
      await recordAudit(
        trx,
        {
          actor: actorOf(operator),
          action: 'auth.login',
          entity: 'operator',
          entityId: operator.id,
          after: { userAgent: client.userAgent ?? null },
          ip: client.ip,
        },
        now,
      );
      const { roles, permissions } = await repo.rolesAndPermissionsOf(trx, operator.id);
      const sites = await repo.siteScopeOfOperator(trx, operator.id);
      return {
        token,
        expiresAt,
        operator: {
          id: operator.id,
          username: operator.username,
          displayName: operator.display_name,
          roles,
          permissions: new Set(permissions),
          mustChangePassword: operator.must_change_password === 1,
          sites,
          sessionHash,
          sessionExpiresAt: expiresAt,
        },
      };
    });
  }

  /** The operator behind a session token, or undefined when the session is unknown, expired or revoked. */
  async authenticate(token: string): Promise<AuthenticatedOperator | undefined> {
    const now = this.now();
    const sessionHash = hashToken(token);
    const cached = cachedOperator(this.db, sessionHash, now);
    if (cached) return cached;
    const generation = cacheGeneration();
    const session = await repo.findLiveSession(this.db, sessionHash, now);
    if (!session) return undefined;
    if (now - session.last_seen_at >= TOUCH_INTERVAL_MS) await repo.touchSession(this.db, sessionHash, now);
    const { roles, permissions } = await repo.rolesAndPermissionsOf(this.db, session.id);
    const sites = await repo.siteScopeOfOperator(this.db, session.id);
    const operator: AuthenticatedOperator = {
      id: session.id,
      username: session.username,
      displayName: session.display_name,
      roles,
      permissions: new Set(permissions),
      mustChangePassword: session.must_change_password === 1,
      sites,
      sessionHash,
      sessionExpiresAt: session.expires_at,
    };
    cacheOperator(this.db, operator, session.expires_at, now, generation);
    return operator;
  }

  async logout(operator: AuthenticatedOperator, client: ClientInfo): Promise<void> {
    await auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      await repo.revokeSession(trx, operator.sessionHash, now);
      await recordAudit(
        trx,
        {
          actor: actorOf(operator),
          action: 'auth.logout',
          entity: 'operator',
          entityId: operator.id,
          ip: client.ip,
        },
        now,
      );
    });
  }

  /**
   * Changes the caller's own password after checking the current one; their other sessions end. This is how a
   * password an administrator chose is replaced: the new one must then differ from it, and the obligation to change
   * it ends (the change is audited, which empties the session cache, so the next request already sees that).
   */
  async changeOwnPassword(
    operator: AuthenticatedOperator,
    current: string,
    next: string,
    client: ClientInfo,
  ): Promise<void> {
    checkPasswordPolicy(next, operator.username);
    const row = await repo.findOperatorById(this.db, operator.id);
    if (!row || !(await verifyPassword(row.password_hash, current)))
      throw new AppError('CURRENT_PASSWORD_INCORRECT');
    const required = row.must_change_password === 1;
    if (required && next === current)
      throw new AppError('PASSWORD_POLICY', {
        reason: {
          'zh-CN': '须与初始密码或重置的密码不同',
          en: 'must differ from the initial or reset password',
        },
      });
    const hash = await hashPassword(next);
    await auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      await repo.setPasswordHash(trx, operator.id, hash, false, now);
      const ended = await repo.revokeSessionsOf(trx, operator.id, now, operator.sessionHash);
      await recordAudit(
        trx,
        {
          actor: actorOf(operator),
          action: 'operator.password_change',
          entity: 'operator',
          entityId: operator.id,
          after: {
            passwordChangedAt: now,
            otherSessionsEnded: ended,
            ...(required && { mustChangePassword: false }),
          },
          ip: client.ip,
        },
        now,
      );
    });
  }
}
