/**
 * Activating a pre-printed stub at the sale (售票激活). The sales module calls `activateForSale` inside the sale's
 * own transaction, so the code becomes sold exactly when the ticket exists. The decisive step is one conditional
 * UPDATE (issued, to this cashier, of this type); only the call that changes the row wins, so a code scanned at
 * two windows at once, or a double click, sells once. A losing or refused call reads the row only to name the reason.
 * No audit entry is written here: the sale's own entry records the ticket and its code.
 */
import { normaliseBarcodeDigits } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import * as repo from './repo.js';

export interface ActivationRequest {
  /** As scanned or typed; normalised like every barcode. */
  readonly code: string;
  /** The selling cashier: the code must be issued to them. */
  readonly cashierId: string;
  readonly ticketTypeId: number;
  /** The sale's ticket id, stored with the code (no foreign key). */
  readonly ticketId: string;
}

export interface Activation {
  readonly code: string;
  readonly batchId: number;
  readonly seq: number;
  readonly ticketTypeId: number;
  readonly ticketId: string;
  readonly at: number;
}

export async function activateForSale(
  trx: Connection,
  request: ActivationRequest,
  now: number = Date.now(),
): Promise<Activation> {
  const code = normaliseBarcodeDigits(request.code);
  if (code === null) throw new AppError('STOCK_CODE_UNKNOWN', { code: request.code.slice(0, 64) });
  const sale = { ...request, code, at: now };
  if (!(await repo.markSold(trx, sale))) throw await refusal(trx, sale);
  const row = await repo.findCode(trx, code);
  if (!row) throw new Error(`stock code ${code} vanished inside its own transaction`);
  await repo.insertMovements(trx, [
    {
      code,
      batch_id: row.batch_id,
      kind: 'sell',
      from_state: 'issued',
      to_state: 'sold',
      from_holder: request.cashierId,
      to_holder: null,
      ticket_id: request.ticketId,
      reason: null,
      operator_id: request.cashierId,
      operator_username: (await repo.findUsername(trx, request.cashierId)) ?? request.cashierId,
      at: now,
    },
  ]);
  return {
    code,
    batchId: row.batch_id,
    seq: row.seq,
    ticketTypeId: row.ticket_type_id,
    ticketId: request.ticketId,
    at: now,
  };
}

/** Why the conditional update changed nothing, checked in the order a cashier can act on. */
async function refusal(
  trx: Connection,
  sale: { code: string; cashierId: string; ticketTypeId: number },
): Promise<AppError> {
  const row = await repo.findCode(trx, sale.code);
  if (!row) return new AppError('STOCK_CODE_UNKNOWN', { code: sale.code });
  if (row.state === 'sold') return new AppError('STOCK_ALREADY_SOLD', { code: sale.code });
  if (row.state === 'voided') return new AppError('STOCK_VOIDED', { code: sale.code });
  if (row.state !== 'issued' || row.holder_id !== sale.cashierId)
    return new AppError('STOCK_NOT_ISSUED_TO_YOU', { code: sale.code });
  return new AppError('STOCK_WRONG_TYPE', {
    code: sale.code,
    actual: row.ticket_type_id,
    expected: sale.ticketTypeId,
  });
}

export interface RefundVoidRequest {
  /** The refunded ticket's barcode. */
  readonly code: string;
  readonly ticketId: string;
  readonly refundId: string;
  readonly operatorId: string;
  readonly operatorUsername: string;
}

/** The ledger reason of a stub voided because its ticket was refunded: `refund <refund id>`. */
export const REFUND_VOID_REASON_PREFIX = 'refund ';

/**
 * A refunded ticket's pre-printed stub (退票作废): the refund's own transaction calls this for every refunded ticket
 * that carries a barcode. A sold stock code becomes voided, with a `void` ledger row from `sold` naming the ticket
 * and the refund, so warehouse + cashiers + sold + voided still equals what was imported and the code can never be
 * issued or sold again (README: why a refunded stub is not put back into stock). Returns false, changing nothing,
 * when the barcode is not a sold stock code. No audit entry: the refund's entry names the ticket.
 */
export async function voidRefundedStub(
  trx: Connection,
  request: RefundVoidRequest,
  now: number = Date.now(),
): Promise<boolean> {
  if (!(await repo.markRefundVoided(trx, request.code, now))) return false;
  const row = await repo.findCode(trx, request.code);
  if (!row) throw new Error(`stock code ${request.code} vanished inside its own transaction`);
  await repo.insertMovements(trx, [
    {
      code: request.code,
      batch_id: row.batch_id,
      kind: 'void',
      from_state: 'sold',
      to_state: 'voided',
      from_holder: null,
      to_holder: null,
      ticket_id: request.ticketId,
      reason: REFUND_VOID_REASON_PREFIX + request.refundId,
      operator_id: request.operatorId,
      operator_username: request.operatorUsername,
      at: now,
    },
  ]);
  return true;
}
