/**
 * Moving an agency's money, in the caller's transaction. Every movement is `repo.move` — one UPDATE that changes the
 * balance, takes the next ledger seq and lifts the entry's time to the last one's — then one ledger row with what it
 * returned. Debits are guarded in that same UPDATE by the payment mode's floor, so parallel debits never overdraw;
 * a refused debit is explained afterwards by reading the agency.
 */

import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import type { AuditActor } from '../../platform/audit/record.js';
import { AppError } from '../../platform/errors.js';
import { instantOf, isoDateOfDay } from '../capacity/local-time.js';
import type { AgencyPaymentMode, OrderMoney } from './contract.js';
import * as repo from './repo.js';
import { LEDGER_KINDS, type LedgerKind, type Statement } from './schemas.js';
import { agencyTables } from './tables.js';
import { AGENCY, agencyRow } from './views.js';

export interface Movement {
  readonly kind: LedgerKind;
  /** Signed fen: what the entry adds to the balance. */
  readonly amount: number;
  readonly at: number;
  readonly orderId: string | null;
  readonly note: string | null;
  /** Who booked it: the operator, the partner's key or the system; null where the caller did not say. */
  readonly actor: AuditActor | null;
}

function fenOrFail(amount: number): void {
  // Contract callers pass computed totals: a fraction or a negative amount is a bug upstream, never booked.
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError(`ledger amounts are whole non-negative fen, got ${amount}`);
}

/** Books a movement that no balance can refuse (top-up, credit back, adjustment); NOT_FOUND for no such agency. */
export async function book(db: Connection, agencyId: string, movement: Movement): Promise<repo.LedgerRow> {
  const moved = await repo.move(db, agencyId, movement.amount, movement.at, 'none');
  if (!moved) throw new AppError('NOT_FOUND', { resource: AGENCY, id: agencyId });
  return append(db, agencyId, moved, movement);
}

export async function debit(
  db: Connection,
  money: OrderMoney & { readonly kind: 'order_debit' | 'fee' },
): Promise<void> {
  fenOrFail(money.amountFen);
  const moved = await repo.move(db, money.agencyId, -money.amountFen, money.at, 'debit');
  if (!moved) throw await debitRefusal(db, money.agencyId, money.amountFen);
  await append(db, money.agencyId, moved, {
    kind: money.kind,
    amount: -money.amountFen,
    at: money.at,
    orderId: money.orderId,
    note: money.note ?? null,
    actor: money.actor ?? null,
  });
}

export async function credit(
  db: Connection,
  money: OrderMoney & { readonly kind: 'cancellation_credit' | 'refund_credit' },
): Promise<void> {
  fenOrFail(money.amountFen);
  await book(db, money.agencyId, {
    kind: money.kind,
    amount: money.amountFen,
    at: money.at,
    orderId: money.orderId,
    note: money.note ?? null,
    actor: money.actor ?? null,
  });
}

/** Why a guarded debit changed nothing, read after the fact in the same transaction. */
async function debitRefusal(db: Connection, agencyId: string, amountFen: number): Promise<AppError> {
  const row = await agencyRow(db, agencyId);
  switch (row.payment_mode as AgencyPaymentMode) {
    case 'window':
      return new AppError('AGENCY_PAYS_AT_WINDOW', { agencyId });
    case 'credit':
      return new AppError('AGENCY_CREDIT_EXCEEDED', {
        agencyId,
        limitFen: row.credit_limit_fen,
        availableFen: Math.max(0, row.balance_fen + row.credit_limit_fen),
        amountFen,
      });
    case 'prepaid':
      return new AppError('AGENCY_BALANCE_SHORT', { agencyId, balanceFen: row.balance_fen, amountFen });
  }
}

async function append(
  db: Connection,
  agencyId: string,
  moved: repo.Moved,
  movement: Movement,
): Promise<repo.LedgerRow> {
  const row: repo.LedgerRow = {
    agency_id: agencyId,
    seq: moved.ledger_seq,
    // The time the UPDATE settled on: the caller's, or the last entry's when that is later.
    at: moved.last_entry_at,
    kind: movement.kind,
    amount_fen: movement.amount,
    balance_after_fen: moved.balance_fen,
    order_id: movement.orderId,
    note: movement.note,
    actor_id: movement.actor?.id ?? null,
    actor_username: movement.actor?.username ?? null,
  };
  await repo.insertLedger(db, row);
  return row;
}

/**
 * The statement of venue-local days [fromDay, toDay] in `timeZone`: the balance before the first day, the movements
 * of the period by kind, and the balance after the last day. Entries' times never go back within a ledger
 * (repo.move), so the period is a run of consecutive seqs and closing = opening + top-ups − debits + credits, always.
 */
export function statementOf(
  db: Connection,
  agencyId: string,
  fromDay: number,
  toDay: number,
  timeZone: string,
): Promise<Statement> {
  const start = instantOf(fromDay, 0, timeZone);
  const end = instantOf(toDay + 1, 0, timeZone);
  // One read transaction: the opening, the sums and the closing see the same ledger.
  return transaction(agencyTables(db), async (trx) => {
    await agencyRow(trx, agencyId);
    const openingBalanceFen = await repo.balanceBefore(trx, agencyId, start);
    const sums = await repo.sumsByKind(trx, agencyId, start, end);
    const closingBalanceFen = await repo.balanceBefore(trx, agencyId, end);
    const byKind = Object.fromEntries(
      LEDGER_KINDS.map((kind) => [kind, { count: 0, amountFen: 0 }]),
    ) as Statement['byKind'];
    let topUpsFen = 0;
    let debitsFen = 0;
    let creditsFen = 0;
    for (const sum of sums) {
      const plus = Number(sum.plus ?? 0);
      const minus = Number(sum.minus ?? 0);
      byKind[sum.kind as LedgerKind] = { count: Number(sum.count), amountFen: plus - minus };
      // Adjustments count by their sign: one that adds to the balance is a credit, one that takes is a debit.
      if (sum.kind === 'topup') topUpsFen += plus - minus;
      else {
        creditsFen += plus;
        debitsFen += minus;
      }
    }
    return {
      agencyId,
      from: isoDateOfDay(fromDay),
      to: isoDateOfDay(toDay),
      openingBalanceFen,
      topUpsFen,
      debitsFen,
      creditsFen,
      closingBalanceFen,
      byKind,
    };
  });
}
