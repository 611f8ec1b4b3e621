/**
 * Codes moving between the warehouse and cashiers (出仓 / 入仓) or voided. One operation moves every selected code
 * or none: a code that is not where the operation expects it refuses the whole request and names every such code.
 * Each runs inside the caller's transaction, with one ledger row per code and one audit entry.
 */

import { normaliseBarcodeDigits } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { recordAudit } from '../../platform/audit/record.js';
import { findOperatorById, rolesAndPermissionsOf } from '../../platform/auth/repo.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import { ledgerRow, operatorOf } from './ledger.js';
import * as repo from './repo.js';
import {
  DETAIL_LIMIT,
  type IssueRequest,
  type Moved,
  type ReturnRequest,
  type Selection,
  type VoidRequest,
} from './schemas.js';
import type { StockState } from './tables.js';

type MoveKind = 'issue' | 'return' | 'void';

const OPERATION: Record<MoveKind, Localized> = {
  issue: { 'zh-CN': '出仓', en: 'issued' },
  return: { 'zh-CN': '交回入仓', en: 'returned' },
  void: { 'zh-CN': '作废', en: 'voided' },
};

/** 出仓: codes in the warehouse go to a cashier who may sell. */
export async function issue(
  trx: Connection,
  input: IssueRequest,
  context: ChangeContext,
  now: () => number,
): Promise<Moved> {
  await requireCashier(trx, input.cashierId);
  return move(
    trx,
    { kind: 'issue', selection: input, context, now },
    {
      allowed: (row) => row.state === 'in_warehouse',
      to: { state: 'issued', holderId: input.cashierId },
      condition: { fromStates: ['in_warehouse'] },
      audit: { cashierId: input.cashierId },
    },
  );
}

/** 入仓: a cashier hands unsold codes back. Only codes issued to that cashier. */
export function returnToWarehouse(
  trx: Connection,
  input: ReturnRequest,
  context: ChangeContext,
  now: () => number,
): Promise<Moved> {
  return move(
    trx,
    { kind: 'return', selection: input, context, now },
    {
      allowed: (row) => row.state === 'issued' && row.holder_id === input.cashierId,
      to: { state: 'in_warehouse', holderId: null },
      condition: { fromStates: ['issued'], fromHolder: input.cashierId },
      audit: { cashierId: input.cashierId },
    },
  );
}

/** Lost or damaged stubs, from the warehouse or from a cashier; a sold code is the refunds module's business. */
export function voidCodes(
  trx: Connection,
  input: VoidRequest,
  context: ChangeContext,
  now: () => number,
): Promise<Moved> {
  return move(
    trx,
    { kind: 'void', selection: input, context, now },
    {
      allowed: (row) => row.state === 'in_warehouse' || row.state === 'issued',
      to: { state: 'voided', holderId: null },
      condition: { fromStates: ['in_warehouse', 'issued'] },
      reason: input.reason,
      audit: { reason: input.reason },
    },
  );
}

interface MoveRule {
  readonly allowed: (row: repo.CodeRow) => boolean;
  readonly to: { state: StockState; holderId: string | null };
  readonly condition: { fromStates: readonly StockState[]; fromHolder?: string };
  readonly reason?: string;
  readonly audit: Record<string, string>;
}

interface MoveRequest {
  readonly kind: MoveKind;
  readonly selection: Selection;
  readonly context: ChangeContext;
  readonly now: () => number;
}

async function move(
  trx: Connection,
  { kind, selection, context, now: clock }: MoveRequest,
  rule: MoveRule,
): Promise<Moved> {
  const rows = await resolve(trx, selection, context.sites ?? ALL_SITES);
  const refused = rows.filter((row) => !rule.allowed(row));
  if (refused.length > 0) {
    throw new AppError(
      'STOCK_CODES_UNAVAILABLE',
      { count: refused.length, operation: OPERATION[kind] },
      {
        details: {
          codes: refused
            .slice(0, DETAIL_LIMIT)
            .map((row) => ({ code: row.code, state: row.state, holderId: row.holder_id })),
        },
      },
    );
  }
  const now = clock();
  const codes = rows.map((row) => row.code);
  const changed = await repo.moveCodes(trx, codes, rule.condition, { ...rule.to, at: now });
  // Serializable isolation already rules this out; if it ever happened, the transaction must not commit.
  if (changed !== codes.length) throw new Error(`moved ${changed} of ${codes.length} stock codes`);
  const operator = operatorOf(context);
  await repo.insertMovements(
    trx,
    rows.map((row) => ({
      ...ledgerRow(row.code, row.batch_id, kind, operator, now),
      from_state: row.state,
      to_state: rule.to.state,
      from_holder: row.holder_id,
      to_holder: rule.to.holderId,
      reason: rule.reason ?? null,
    })),
  );
  await recordAudit(
    trx,
    {
      actor: context.actor,
      ip: context.ip,
      action: `stock.${kind}`,
      entity: 'stock_codes',
      entityId: selection.range ? selection.range.batchId : null,
      after: {
        ...rule.audit,
        count: codes.length,
        ...(selection.range ? { range: selection.range } : { codes }),
      },
    },
    now,
  );
  return { count: codes.length, codes };
}

/**
 * The selected rows, every one of which must exist in a site of `scope`: codes of another site are refused exactly
 * as missing ones (STOCK_RANGE_INVALID, STOCK_CODE_UNKNOWN). Listed codes are normalised and de-duplicated.
 */
async function resolve(db: Connection, selection: Selection, scope: SiteScope): Promise<repo.CodeRow[]> {
  if (selection.range) {
    const { batchId, fromSeq, toSeq } = selection.range;
    const rows = await repo.codesInRange(db, batchId, fromSeq, toSeq, scope);
    if (rows.length !== toSeq - fromSeq + 1)
      throw new AppError('STOCK_RANGE_INVALID', { batchId, from: fromSeq, to: toSeq });
    return rows;
  }
  const wanted = [...new Set((selection.codes ?? []).map((text) => normaliseBarcodeDigits(text) ?? text))];
  const rows = await repo.findCodes(db, wanted, scope);
  const found = new Map(rows.map((row) => [row.code, row]));
  const unknown = wanted.filter((code) => !found.has(code));
  if (unknown.length > 0)
    throw new AppError(
      'STOCK_CODE_UNKNOWN',
      { code: unknown[0]!.slice(0, 64) },
      { details: { unknown: unknown.slice(0, DETAIL_LIMIT) } },
    );
  return wanted.map((code) => found.get(code)!);
}

/** Stock goes only to an active operator allowed to sell: anyone else could not account for it. */
async function requireCashier(db: Connection, cashierId: string): Promise<void> {
  const operator = await findOperatorById(db, cashierId);
  const allowed =
    operator?.active === 1 && (await rolesAndPermissionsOf(db, cashierId)).permissions.includes('sales.sell');
  if (!allowed) throw new AppError('STOCK_CASHIER_INVALID', { cashierId });
}
