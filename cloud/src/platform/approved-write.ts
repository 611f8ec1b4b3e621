/**
 * An idempotent money write that a second operator approves above the threshold (refunds, supplements), in the one
 * order that works:
 * 1. the idempotency key is looked up first: a replay answers the earlier row and needs no approver again;
 * 2. the action is worked out once from reads alone (`preview`) to learn its amount;
 * 3. above the threshold another operator approves it (requireSecondApproval checks a password: slow, and never
 *    inside a transaction);
 * 4. `ready` does what must happen outside the write's transaction (the first credential of an installation may
 *    create the signing key in its own);
 * 5. the write's transaction works the action out again on what it reads (`replan`), refuses with CONFLICT if the
 *    amount moved since the approval, and writes (`apply`). A parallel request that took the same thing first
 *    surfaces as a unique violation: CONFLICT with `takenMeanwhile`.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  type IdempotentOutcome,
  type IdempotentRequest,
  idempotentWrite,
  replayedId,
} from '../db/idempotency.js';
import type { Database } from '../db/schema.js';
import type { AuditActor } from './audit/record.js';
import { requireSecondApproval, type SecondApprovalRequest } from './auth/second-approval.js';
import type { AuthService, ClientInfo } from './auth/service.js';
import { AppError } from './errors.js';
import type { Localized } from './language.js';

export interface ApprovedWrite<Plan, Ready> {
  readonly db: Kysely<Database>;
  readonly auth: AuthService;
  readonly request: IdempotentRequest;
  /** Who acts, the approver's credentials from the body and what the approver must hold. */
  readonly approval: Omit<SecondApprovalRequest, 'amountFen'>;
  readonly client: ClientInfo;
  /** Works the action out from reads alone, before approval (one snapshot, so its reads agree). */
  readonly preview: () => Promise<Plan>;
  /** Works it out again inside the write's transaction. */
  readonly replan: (trx: Transaction<Database>, preview: Plan) => Promise<Plan>;
  readonly amountOf: (plan: Plan) => number;
  /** After approval, outside any transaction: what the write needs prepared. */
  readonly ready?: () => Promise<Ready>;
  /** Writes the action (its row carries the key) and returns the row's id. */
  readonly apply: (
    trx: Transaction<Database>,
    plan: Plan,
    approver: AuditActor | null,
    ready: Ready,
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
  const approver = await requireSecondApproval(
    write.auth,
    db,
    { ...write.approval, amountFen: previewFen },
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
      return write.apply(trx, plan, approver, ready);
    },
    () => new AppError('CONFLICT', { reason: write.takenMeanwhile }),
  );
}
