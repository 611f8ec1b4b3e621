/**
 * Pre-printed ticket stock (门票制作 / 出入仓). Owns the rules: a code exists once in the installation; it enters the
 * warehouse by generation or import, goes out to a cashier who may sell (出仓), comes back unsold (入仓), is sold
 * only through `activateForSale` (activation.ts), or is voided with a reason. Every operation is all-or-nothing:
 * one transaction that moves the codes, appends one ledger row per code and one audit entry; a code that is not
 * where the operation expects it refuses the whole request and names every such code.
 */
import { checkBarcode, generateBarcodes, normaliseBarcodeDigits } from '@scenic/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import { findOperatorById, rolesAndPermissionsOf } from '../../platform/auth/repo.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import { reconcile } from './reconciliation.js';
import * as repo from './repo.js';
import type {
  Batch,
  CashierBalance,
  CodeDetail,
  CreatedBatch,
  GenerateBatch,
  ImportBatch,
  IssueRequest,
  Moved,
  MyBalance,
  Reconciliation,
  ReturnRequest,
  Selection,
  VoidRequest,
  WarehouseBalance,
} from './schemas.js';
import type { StockBatchSource, StockMovementKind, StockState } from './tables.js';

type Db = Kysely<Database>;

const BATCH: Localized = { 'zh-CN': '票库批次', en: 'Stock batch' };
/** Refusal details list at most this many codes; the message states the full count. */
const DETAIL_LIMIT = 1_000;
/** Random 12-digit codes practically never collide; the bound only keeps an exhausted code space from spinning. */
const MAX_GENERATION_ROUNDS = 20;

const OPERATION: Record<'issue' | 'return' | 'void', Localized> = {
  issue: { 'zh-CN': '出仓', en: 'issued' },
  return: { 'zh-CN': '交回入仓', en: 'returned' },
  void: { 'zh-CN': '作废', en: 'voided' },
};

export type ImportRejection = 'MALFORMED' | 'BAD_CHECK_DIGIT' | 'DUPLICATE_IN_LIST' | 'ALREADY_EXISTS';

export interface StockServiceOptions {
  readonly now?: () => number;
  /** Source of fresh codes; protocol's generator unless a test needs to force a collision. */
  readonly generate?: (count: number) => string[];
}

function batchOf(row: repo.BatchRow): Batch {
  return {
    batchId: row.id,
    siteId: row.site_id,
    ticketTypeId: row.ticket_type_id,
    count: row.count,
    source: row.source,
    note: row.note,
    createdBy: row.created_by,
    createdByUsername: row.created_by_username,
    createdAt: row.created_at,
  };
}

export class StockService {
  private readonly now: () => number;
  private readonly generate: (count: number) => string[];

  constructor(
    private readonly db: Db,
    private readonly ticketTypes: TicketTypesService,
    options: StockServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.generate = options.generate ?? ((count) => generateBarcodes(count));
  }

  /** A print run (门票制作) of `count` fresh codes, none equal to any code already in stock. */
  generateBatch(input: GenerateBatch, context: ChangeContext): Promise<CreatedBatch> {
    return auditedTransaction(this.db, async (trx) => {
      const chosen = new Set<string>();
      for (let round = 0; chosen.size < input.count; round++) {
        if (round === MAX_GENERATION_ROUNDS) throw new Error('no unused codes left to generate');
        const fresh = this.generate(input.count - chosen.size).filter((code) => !chosen.has(code));
        const taken = await repo.existingCodes(trx, fresh);
        for (const code of fresh) if (!taken.has(code)) chosen.add(code);
      }
      return this.createBatch(trx, 'generated', input.ticketTypeId, [...chosen], input.note, context);
    });
  }

  /**
   * Codes printed elsewhere. Each must be a well-formed barcode with a correct check digit, appear once in the list
   * and be new to the installation; otherwise nothing is imported and every bad entry is named by its 1-based
   * position.
   */
  importBatch(input: ImportBatch, context: ChangeContext): Promise<CreatedBatch> {
    return auditedTransaction(this.db, async (trx) => {
      const rejected: { position: number; code: string; reason: ImportRejection }[] = [];
      const firstSeen = new Map<string, number>();
      input.codes.forEach((text, index) => {
        const checked = checkBarcode(text);
        if (!checked.ok) rejected.push({ position: index + 1, code: text, reason: checked.code });
        else if (firstSeen.has(checked.barcode))
          rejected.push({ position: index + 1, code: checked.barcode, reason: 'DUPLICATE_IN_LIST' });
        else firstSeen.set(checked.barcode, index + 1);
      });
      const existing = await repo.existingCodes(trx, [...firstSeen.keys()]);
      for (const [code, position] of firstSeen)
        if (existing.has(code)) rejected.push({ position, code, reason: 'ALREADY_EXISTS' });
      if (rejected.length > 0) {
        rejected.sort((a, b) => a.position - b.position);
        throw new AppError(
          'STOCK_IMPORT_REJECTED',
          { count: rejected.length },
          { details: { rejected: rejected.slice(0, DETAIL_LIMIT) } },
        );
      }
      return this.createBatch(
        trx,
        'imported',
        input.ticketTypeId,
        [...firstSeen.keys()],
        input.note,
        context,
      );
    });
  }

  private async createBatch(
    trx: Transaction<Database>,
    source: StockBatchSource,
    ticketTypeId: number,
    codes: readonly string[],
    note: string | undefined,
    context: ChangeContext,
  ): Promise<CreatedBatch> {
    const type = await this.ticketTypes.get(ticketTypeId, trx);
    const now = this.now();
    const operator = operatorOf(context);
    const row = await repo.insertBatch(trx, {
      site_id: type.siteId,
      ticket_type_id: ticketTypeId,
      count: codes.length,
      source,
      note: note || null,
      created_by: operator.id,
      created_by_username: operator.username,
      created_at: now,
    });
    await repo.insertCodes(
      trx,
      codes.map((code, index) => ({
        code,
        batch_id: row.id,
        seq: index + 1,
        site_id: type.siteId,
        ticket_type_id: ticketTypeId,
        state: 'in_warehouse' as const,
        holder_id: null,
        ticket_id: null,
        state_changed_at: now,
      })),
    );
    await repo.insertMovements(
      trx,
      codes.map((code) => ({
        ...movementBase(code, row.id, 'import', operator, now),
        from_state: null,
        to_state: 'in_warehouse' as const,
      })),
    );
    const batch = batchOf(row);
    await recordAudit(
      trx,
      {
        actor: context.actor,
        ip: context.ip,
        action: source === 'generated' ? 'stock.generate' : 'stock.import',
        entity: 'stock_batch',
        entityId: row.id,
        after: { ...batch, firstCode: codes[0], lastCode: codes[codes.length - 1] },
      },
      now,
    );
    return { ...batch, codes: [...codes] };
  }

  /** 出仓: codes in the warehouse go to a cashier who may sell. */
  issue(input: IssueRequest, context: ChangeContext): Promise<Moved> {
    return auditedTransaction(this.db, async (trx) => {
      await this.requireCashier(trx, input.cashierId);
      return this.move(trx, 'issue', input, context, {
        allowed: (row) => row.state === 'in_warehouse',
        to: { state: 'issued', holderId: input.cashierId },
        condition: { fromStates: ['in_warehouse'] },
        audit: { cashierId: input.cashierId },
      });
    });
  }

  /** 入仓: a cashier hands unsold codes back. Only codes issued to that cashier. */
  returnToWarehouse(input: ReturnRequest, context: ChangeContext): Promise<Moved> {
    return auditedTransaction(this.db, (trx) =>
      this.move(trx, 'return', input, context, {
        allowed: (row) => row.state === 'issued' && row.holder_id === input.cashierId,
        to: { state: 'in_warehouse', holderId: null },
        condition: { fromStates: ['issued'], fromHolder: input.cashierId },
        audit: { cashierId: input.cashierId },
      }),
    );
  }

  /** Lost or damaged stubs, from the warehouse or from a cashier; a sold code is the refunds module's business. */
  voidCodes(input: VoidRequest, context: ChangeContext): Promise<Moved> {
    return auditedTransaction(this.db, (trx) =>
      this.move(trx, 'void', input, context, {
        allowed: (row) => row.state === 'in_warehouse' || row.state === 'issued',
        to: { state: 'voided', holderId: null },
        condition: { fromStates: ['in_warehouse', 'issued'] },
        reason: input.reason,
        audit: { reason: input.reason },
      }),
    );
  }

  private async move(
    trx: Transaction<Database>,
    kind: 'issue' | 'return' | 'void',
    selection: Selection,
    context: ChangeContext,
    rule: {
      allowed: (row: repo.CodeRow) => boolean;
      to: { state: StockState; holderId: string | null };
      condition: { fromStates: readonly StockState[]; fromHolder?: string };
      reason?: string;
      audit: Record<string, string>;
    },
  ): Promise<Moved> {
    const rows = await this.resolve(trx, selection);
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
    const now = this.now();
    const codes = rows.map((row) => row.code);
    const changed = await repo.moveCodes(trx, codes, rule.condition, { ...rule.to, at: now });
    // Serializable isolation already rules this out; if it ever happened, the transaction must not commit.
    if (changed !== codes.length) throw new Error(`moved ${changed} of ${codes.length} stock codes`);
    const operator = operatorOf(context);
    await repo.insertMovements(
      trx,
      rows.map((row) => ({
        ...movementBase(row.code, row.batch_id, kind, operator, now),
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

  /** The selected rows, every one of which must exist; listed codes are normalised and de-duplicated. */
  private async resolve(db: Db, selection: Selection): Promise<repo.CodeRow[]> {
    if (selection.range) {
      const { batchId, fromSeq, toSeq } = selection.range;
      const rows = await repo.codesInRange(db, batchId, fromSeq, toSeq);
      if (rows.length !== toSeq - fromSeq + 1)
        throw new AppError('STOCK_RANGE_INVALID', { batchId, from: fromSeq, to: toSeq });
      return rows;
    }
    const wanted = [...new Set((selection.codes ?? []).map((text) => normaliseBarcodeDigits(text) ?? text))];
    const rows = await repo.findCodes(db, wanted);
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
  private async requireCashier(db: Db, cashierId: string): Promise<void> {
    const operator = await findOperatorById(db, cashierId);
    const allowed =
      operator?.active === 1 &&
      (await rolesAndPermissionsOf(db, cashierId)).permissions.includes('sales.sell');
    if (!allowed) throw new AppError('STOCK_CASHIER_INVALID', { cashierId });
  }

  async getBatch(batchId: number): Promise<Batch> {
    const row = await repo.findBatch(this.db, batchId);
    if (!row) throw new AppError('NOT_FOUND', { resource: BATCH, id: batchId });
    return batchOf(row);
  }

  async batchCodes(batchId: number): Promise<string[]> {
    await this.getBatch(batchId);
    return repo.codesOfBatch(this.db, batchId);
  }

  async listBatches(filter: {
    siteId?: string | undefined;
    ticketTypeId?: number | undefined;
  }): Promise<Batch[]> {
    return (await repo.listBatches(this.db, filter)).map(batchOf);
  }

  async codeDetail(text: string): Promise<CodeDetail> {
    const code = normaliseBarcodeDigits(text) ?? text;
    const row = await repo.findCode(this.db, code);
    if (!row) throw new AppError('STOCK_CODE_UNKNOWN', { code: code.slice(0, 64) });
    const movements = await repo.movementsOf(this.db, code);
    return {
      code: row.code,
      batchId: row.batch_id,
      seq: row.seq,
      siteId: row.site_id,
      ticketTypeId: row.ticket_type_id,
      state: row.state,
      holderId: row.holder_id,
      ticketId: row.ticket_id,
      stateChangedAt: row.state_changed_at,
      movements: movements.map((m) => ({
        kind: m.kind,
        fromState: m.from_state,
        toState: m.to_state,
        fromHolder: m.from_holder,
        toHolder: m.to_holder,
        ticketId: m.ticket_id,
        reason: m.reason,
        operatorId: m.operator_id,
        operatorUsername: m.operator_username,
        at: m.at,
      })),
    };
  }

  async warehouseBalances(filter: { siteId?: string | undefined }): Promise<WarehouseBalance[]> {
    const rows = await repo.warehouseCounts(this.db, filter);
    return rows.map((row) => ({ siteId: row.site_id, ticketTypeId: row.ticket_type_id, inWarehouse: row.n }));
  }

  async cashierBalances(filter: {
    siteId?: string | undefined;
    cashierId?: string | undefined;
  }): Promise<CashierBalance[]> {
    const rows = await repo.cashierCounts(this.db, filter);
    return rows.map((row) => ({
      cashierId: row.holder_id!,
      cashierUsername: row.username,
      ticketTypeId: row.ticket_type_id,
      issued: row.n,
    }));
  }

  /** What one cashier holds, code by code: what they count against at the end of their shift. */
  async balanceOf(cashierId: string): Promise<MyBalance> {
    const rows = await repo.codesHeldBy(this.db, cashierId);
    const byType = new Map<number, string[]>();
    for (const row of rows) {
      const codes = byType.get(row.ticket_type_id) ?? [];
      codes.push(row.code);
      byType.set(row.ticket_type_id, codes);
    }
    return {
      cashierId,
      types: [...byType].map(([ticketTypeId, codes]) => ({ ticketTypeId, issued: codes.length, codes })),
    };
  }

  async reconciliation(filter: {
    siteId?: string | undefined;
    batchId?: number | undefined;
  }): Promise<Reconciliation> {
    const batches = await repo.listBatches(this.db, filter);
    const ids = batches.map((batch) => batch.id);
    return reconcile(
      batches,
      await repo.stateCountsByBatch(this.db, ids),
      await repo.movementCountsByBatch(this.db, ids),
    );
  }
}

function operatorOf(context: ChangeContext): { id: string | null; username: string } {
  return context.actor ?? { id: null, username: 'system' };
}

function movementBase(
  code: string,
  batchId: number,
  kind: StockMovementKind,
  operator: { id: string | null; username: string },
  at: number,
) {
  return {
    code,
    batch_id: batchId,
    kind,
    from_holder: null,
    to_holder: null,
    ticket_id: null,
    reason: null,
    operator_id: operator.id,
    operator_username: operator.username,
    at,
  };
}
