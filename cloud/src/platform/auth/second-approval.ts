/**
 * Separation of duties (双人复核): an action above a money threshold — a large refund, say — needs a second,
 * different operator holding an approval permission to enter their username and password at the same counter.
 * The threshold is a setting in app_meta, changed through the API and audited. Use:
 *
 *   const approver = await requireSecondApproval(auth, db, { actor, amountFen, approval: body.approval }, client);
 *   await auditedTransaction(db, async (trx) => { …; await recordAudit(trx, { …, after: { …, approvedBy: approver } }) });
 *
 * Call it before the action's transaction: checking a password is slow, and a wrong approver password counts
 * toward that approver's lockout like a failed sign-in.
 */
import { appMetaTables } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import { type AuditActor, recordAudit } from '../audit/record.js';
import { AppError, isAppError } from '../errors.js';
import type { Permission } from '../permissions.js';
import * as repo from './repo.js';
import type { AuthService, ClientInfo } from './service.js';

export const SECOND_APPROVAL_THRESHOLD_KEY = 'second_approval.threshold_fen';
/** ¥500.00 until an administrator sets another amount. */
export const DEFAULT_SECOND_APPROVAL_THRESHOLD_FEN = 50_000;

export async function secondApprovalThresholdFen(db: Connection): Promise<number> {
  const row = await appMetaTables(db)
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', SECOND_APPROVAL_THRESHOLD_KEY)
    .executeTakeFirst();
  const value = row ? Number(row.value) : Number.NaN;
  return Number.isSafeInteger(value) && value >= 0 ? value : DEFAULT_SECOND_APPROVAL_THRESHOLD_FEN;
}

/** Sets the threshold inside the caller's transaction, with its audit entry. */
export async function setSecondApprovalThresholdFen(
  trx: Connection,
  fen: number,
  actor: AuditActor,
  ip: string | null,
  now: number = Date.now(),
): Promise<void> {
  const before = await secondApprovalThresholdFen(trx);
  await appMetaTables(trx)
    .insertInto('app_meta')
    .values({ key: SECOND_APPROVAL_THRESHOLD_KEY, value: String(fen), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(fen), updated_at: now }))
    .execute();
  await recordAudit(
    trx,
    {
      actor,
      action: 'setting.update',
      entity: 'setting',
      entityId: SECOND_APPROVAL_THRESHOLD_KEY,
      before: { thresholdFen: before },
      after: { thresholdFen: fen },
      ip,
    },
    now,
  );
}

export interface SecondApprovalRequest {
  /** Who performs the action. */
  readonly actor: AuditActor;
  /** The action's amount in fen; above the threshold it needs approval. */
  readonly amountFen: number;
  /** The approver's credentials, if the client collected them. */
  readonly approval?: { readonly username: string; readonly password: string } | undefined;
  /** What the approver must hold; refunds by default. */
  readonly permission?: Permission;
}

/**
 * Null when the amount is within the threshold; otherwise the approving operator. Throws
 * SECOND_APPROVAL_REQUIRED (no credentials given; details carry the threshold), SECOND_APPROVER_SAME_OPERATOR,
 * SECOND_APPROVER_INVALID (wrong credentials, inactive, locked, lacking the permission, or still on a password an
 * administrator set, which that administrator knows too).
 */
export async function requireSecondApproval(
  auth: AuthService,
  db: Connection,
  request: SecondApprovalRequest,
  client: ClientInfo,
): Promise<AuditActor | null> {
  const thresholdFen = await secondApprovalThresholdFen(db);
  if (request.amountFen <= thresholdFen) return null;
  if (!request.approval)
    throw new AppError(
      'SECOND_APPROVAL_REQUIRED',
      { threshold: (thresholdFen / 100).toFixed(2) },
      { details: { thresholdFen } },
    );
  const permission = request.permission ?? 'refunds.approve';
  const { username, password } = request.approval;
  try {
    return await auth.checkCredentials(username, password, client, async (trx, operator) => {
      if (operator.id === request.actor.id) throw new AppError('SECOND_APPROVER_SAME_OPERATOR');
      if (operator.must_change_password === 1) throw new AppError('SECOND_APPROVER_INVALID');
      const { permissions } = await repo.rolesAndPermissionsOf(trx, operator.id);
      if (!permissions.includes(permission)) throw new AppError('SECOND_APPROVER_INVALID');
      return { id: operator.id, username: operator.username };
    });
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_CREDENTIALS')
      throw new AppError('SECOND_APPROVER_INVALID');
    throw error;
  }
}
