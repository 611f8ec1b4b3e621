/**
 * Checking a second approver's username and password (双人复核) for the operator who asks for the approval. The
 * credentials are typed at the requester's counter, so a wrong one is the requester's failure, never the
 * approver's:
 * - it counts toward the requester's approval lock (LOGIN_MAX_FAILURES in a row lock their approval attempts for
 *   LOGIN_LOCKOUT_MINUTES) and toward the client address's sign-in limit (attempt-limits.ts, shared with sign-in);
 * - it is audited (`auth.approval_failed`: the requester as actor, the username they typed, why it failed), in the
 *   transaction that counts it;
 * - the approver's failure count and lock are never written, so nobody can lock a finance operator out of their own
 *   sign-in through the approval field.
 * Past either limit the requester gets RATE_LIMITED, as sign-in does, before any password is checked. An approver
 * whose own account is locked (by their own sign-in failures) cannot approve meanwhile: SECOND_APPROVER_INVALID,
 * answered whatever the password, the same as for a wrong one, so it tells nothing about the password or the lock.
 *
 * As in sign-in, argon2 runs before the transaction, and the transaction re-reads both operators and counts the
 * failure atomically, so parallel guesses cannot slip past the limit.
 */
import type { TransactionOf } from '../../db/scoped.js';
import { type AuditActor, auditedTransaction, recordAudit } from '../audit/record.js';
import { AppError } from '../errors.js';
import type { Permission } from '../permissions.js';
import { type AddressAttempts, afterFailure, isLocked, rateLimited } from './attempt-limits.js';
import type { AuthConfig } from './config.js';
import { normaliseUsername, verifyAgainstDecoy, verifyPassword } from './credentials.js';
import * as repo from './repo.js';
import type { ClientInfo } from './service.js';
import type { AuthDb, OperatorsTable } from './tables.js';

export interface ApproverCheck {
  /** Who asks for the approval (the cashier doing the refund). */
  readonly requester: AuditActor;
  readonly username: string;
  readonly password: string;
  /** What the approver must hold. */
  readonly permission: Permission;
  readonly client: ClientInfo;
}

/** Why an approval failed, for the operation log only: the requester is told SECOND_APPROVER_INVALID whatever it is. */
type FailureReason =
  | 'unknown_username'
  | 'inactive'
  | 'wrong_password'
  | 'password_change_pending'
  | 'no_permission';

type Outcome =
  | { readonly kind: 'ok'; readonly approver: AuditActor }
  | { readonly kind: 'requester_locked'; readonly until: number }
  | { readonly kind: 'same_operator' }
  | { readonly kind: 'approver_locked' }
  | { readonly kind: 'failed'; readonly lockedUntil: number | null };

/** The approving operator, or throws (see the file comment). */
export async function checkApprover(
  db: AuthDb,
  config: AuthConfig,
  addresses: AddressAttempts,
  check: ApproverCheck,
  clock: () => number,
): Promise<AuditActor> {
  const requesterId = check.requester.id;
  if (requesterId !== null) {
    const requester = await repo.findOperatorById(db, requesterId);
    const until = requester?.approvals_locked_until ?? null;
    if (isLocked(until, clock())) throw rateLimited(until - clock());
  }
  await addresses.take(check.client.ip);
  const username = normaliseUsername(check.username);
  const found = await repo.findOperatorByUsername(db, username);
  const passwordOk = found
    ? await verifyPassword(found.password_hash, check.password)
    : await verifyAgainstDecoy(check.password);
  const outcome = await auditedTransaction(db, async (trx): Promise<Outcome> => {
    const now = clock();
    // Read again here: a parallel attempt may have locked the requester since the check above, and counting on from
    // a stale row would lift that lock.
    const requester = requesterId === null ? undefined : await repo.findOperatorById(trx, requesterId);
    if (requester && isLocked(requester.approvals_locked_until, now))
      return { kind: 'requester_locked', until: requester.approvals_locked_until };
    const approver = found && (await repo.findOperatorById(trx, found.id));
    let reason: FailureReason;
    if (!approver) reason = 'unknown_username';
    else if (approver.active !== 1) reason = 'inactive';
    else if (isLocked(approver.locked_until, now)) return { kind: 'approver_locked' };
    // A password changed between the check and now must not be accepted on the strength of the old one.
    else if (!passwordOk || approver.password_hash !== found.password_hash) reason = 'wrong_password';
    else if (approver.id === requesterId) return { kind: 'same_operator' };
    // Still on a password an administrator set: that administrator knows it too.
    else if (approver.must_change_password === 1) reason = 'password_change_pending';
    else if (!(await repo.rolesAndPermissionsOf(trx, approver.id)).permissions.includes(check.permission))
      reason = 'no_permission';
    else {
      if (requester && requester.failed_approvals > 0)
        await repo.recordFailedApprovals(trx, requester.id, 0, null);
      return { kind: 'ok', approver: { id: approver.id, username: approver.username } };
    }
    return failed(trx, config, check, requester, { username, reason }, now);
  });
  switch (outcome.kind) {
    case 'ok':
      // Right credentials are no guess: they do not use up the address's sign-in attempts.
      await addresses.giveBack(check.client.ip);
      return outcome.approver;
    case 'same_operator':
      await addresses.giveBack(check.client.ip);
      throw new AppError('SECOND_APPROVER_SAME_OPERATOR');
    case 'requester_locked':
      throw rateLimited(outcome.until - clock());
    case 'approver_locked':
      throw new AppError('SECOND_APPROVER_INVALID');
    case 'failed':
      if (outcome.lockedUntil !== null) throw rateLimited(outcome.lockedUntil - clock());
      throw new AppError('SECOND_APPROVER_INVALID');
  }
}

/** Counts a failed approval against its requester (as read in this transaction) and audits it. */
async function failed(
  trx: TransactionOf<AuthDb>,
  config: AuthConfig,
  check: ApproverCheck,
  requester: OperatorsTable | undefined,
  attempt: { readonly username: string; readonly reason: FailureReason },
  now: number,
): Promise<Outcome> {
  const { username, reason } = attempt;
  const requesterId = check.requester.id;
  const count = requester && afterFailure(requester.failed_approvals, config, now);
  if (requester && count)
    await repo.recordFailedApprovals(trx, requester.id, count.failures, count.lockedUntil);
  await recordAudit(
    trx,
    {
      actor: check.requester,
      action: 'auth.approval_failed',
      entity: 'operator',
      entityId: requesterId,
      after: {
        approverUsername: username,
        permission: check.permission,
        reason,
        failedApprovals: count
          ? count.lockedUntil === null
            ? count.failures
            : config.maxFailedLogins
          : null,
        approvalsLockedUntil: count?.lockedUntil ?? null,
      },
      ip: check.client.ip,
    },
    now,
  );
  return { kind: 'failed', lockedUntil: count?.lockedUntil ?? null };
}
