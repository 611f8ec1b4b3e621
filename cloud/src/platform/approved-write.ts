/**
 * An idempotent money write that a second operator approves above the threshold (refunds, supplements), in the one
 * order that works:
 * 1. the idempotency key is looked up first: a replay answers the earlier row and needs no approver again;
 * 2. the action is worked out once from reads alone (`preview`) to learn its amount, and weighed with what came
 *    before it (`earlier`: the same sale's earlier actions of its kind, a cashier's refunds of the day) against the
 *    second-approval settings (auth/second-approval.ts);
 * 3. past a limit another operator approves it (requireSecondApproval checks a password: slow, and never inside a
 *    transaction);
 * 4. `ready` does what must happen outside the write's transaction (the first credential of an installation may
 *    create the signing key in its own);
 * 5. the write's transaction works the action out again on what it reads (`replan`), refuses with CONFLICT if the
 *    amount moved since the approval, weighs it again on the sums as of now — an action that went through
 *    meanwhile may have brought it past a limit: then SECOND_APPROVAL_REQUIRED unless it was approved — and writes
 *    (`apply`, which records the figures in its audit entry). A parallel request that took the same thing first
 *    surfaces as a unique violation: CONFLICT with `takenMeanwhile`.
 *
 * Why step 5 is safe against parallel requests: the write is an audited transaction, and those run one after
 * another on both engines (SQLite: one writer, BEGIN IMMEDIATE; PostgreSQL: each takes the audit chain's table lock
 * before its snapshot, and those of one process share a batch in which members run in turn), so each reads the
 * sums with every earlier write committed or ahead of it in its batch. PostgreSQL's SERIALIZABLE isolation would
 * refuse a write skew between two such reads besides.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  type IdempotentOutcome,
  type IdempotentRequest,
  idempotentWrite,
  replayedId,
} from '../db/idempotency.js';
import type { Database } from '../db/schema.js';
import type { Connection } from '../db/scoped.js';
import type { AuditActor } from './audit/record.js';
import {
  type ApprovalFigures,
  approvalRequired,
  type EarlierAmounts,
  requireSecondApproval,
  type SecondApprovalRequest,
  type SecondApprovalSettings,
  secondApprovalSettings,
  weighApproval,
} from './auth/second-approval.js';
import type { AuthService, ClientInfo } from './auth/service.js';
import { AppError } from './errors.js';
import type { Localized } from './language.js';

export interface ApprovedWrite<Plan, Ready> {
  readonly db: Kysely<Database>;
  readonly auth: AuthService;
  readonly request: IdempotentRequest;
  /** Who acts, the approver's credentials from the body and what the approver must hold. */
  readonly approval: SecondApprovalRequest;
  readonly client: ClientInfo;
  /** Works the action out from reads alone, before approval (one snapshot, so its reads agree). */
  readonly preview: () => Promise<Plan>;
  /** Works it out again inside the write's transaction. */
  readonly replan: (trx: Transaction<Database>, preview: Plan) => Promise<Plan>;
  readonly amountOf: (plan: Plan) => number;
  /**
   * What earlier actions the threshold adds to this one (auth/second-approval.ts), read on `db`: before the approval
   * on the database, then in the write's transaction, where it decides.
   */
  readonly earlier: (db: Connection, plan: Plan, settings: SecondApprovalSettings) => Promise<EarlierAmounts>;
  /** After approval, outside any transaction: what the write needs prepared. */
  readonly ready?: () => Promise<Ready>;
  /** Writes the action (its row carries the key) and returns the row's id; `figures` go into its audit entry. */
  readonly apply: (
    trx: Transaction<Database>,
    plan: Plan,
    approver: AuditActor | null,
    ready: Ready,
    figures: ApprovalFigures,
  ) => Promise<string>;
  /** Why the write refuses when the amount moved between approval and write. */
  readonly changedMeanwhile: Localized;
  /** Why it refuses when a parallel request took the same thing (a unique violation other than the key's). */
  readonly takenMeanwhile: Localized;
}

export async function approvedWrite<Plan, Ready = undefined>(
  write: ApprovedWrite<Plan, Ready>,
): Promise<IdempotentOutcome> {
  const { db, request } = write;
  const replay = await replayedId(db, request);
  if (replay !== undefined) return { id: replay, replayed: true };
  const preview = await write.preview();
  const previewFen = write.amountOf(preview);
  const weigh = async (on: Connection, plan: Plan) => {
    const settings = await secondApprovalSettings(on);
    return weighApproval(settings, previewFen, await write.earlier(on, plan, settings));
  };
  const approver = await requireSecondApproval(
    write.auth,
    await weigh(db, preview),
    write.approval,
    write.client,
  );
  const ready = (await write.ready?.()) as Ready;
  return idempotentWrite(
    db,
    request,
    async (trx) => {
      const plan = await write.replan(trx, preview);
      // The approval (or its absence) was for the amount of the preview.
      if (write.amountOf(plan) !== previewFen)
        throw new AppError('CONFLICT', { reason: write.changedMeanwhile });
      // Weighed again as of this transaction: what went through since the preview counts now.
      const figures = await weigh(trx, plan);
      if (figures.exceeds !== null && approver === null) throw approvalRequired(figures);
      return write.apply(trx, plan, approver, ready, figures);
    },
    () => new AppError('CONFLICT', { reason: write.takenMeanwhile }),
  );
}
