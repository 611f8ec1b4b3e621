/**
 * Pre-printed ticket stock (门票制作 / 出入仓). Owns the rules: a code exists once in the installation; it enters the
 * warehouse by generation or import (intake.ts), goes out to a cashier who may sell (出仓), comes back unsold (入仓)
 * or is voided with a reason (movements.ts), and is sold only through `activateForSale` (activation.ts). Every
 * operation is all-or-nothing: one transaction that moves the codes, appends one ledger row per code and one audit
 * entry; a code that is not where the operation expects it refuses the whole request and names every such code.
 */

import { generateBarcodes, normaliseBarcodeDigits } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction } from '../../platform/audit/record.js';
import { activeOperatorsWith } from '../../platform/auth/repo.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import * as intake from './intake.js';
import * as movements from './movements.js';
import { reconcile } from './reconciliation.js';
import * as repo from './repo.js';
import type {
  Batch,
  BatchCodePage,
  Cashier,
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
  VoidRequest,
  WarehouseBalance,
} from './schemas.js';
import { type StockDb, type StockState, stockTables } from './tables.js';
import { batchOf, codeDetailOf } from './views.js';

const BATCH: Localized = { 'zh-CN': '票库批次', en: 'Stock batch' };

export interface StockServiceOptions {
  readonly now?: () => number;
  /** Source of fresh codes; protocol's generator unless a test needs to force a collision. */
  readonly generate?: (count: number) => string[];
}

export class StockService {
  private readonly now: () => number;
  private readonly intake: intake.IntakeDeps;

  private readonly db: StockDb;

  constructor(db: Connection, ticketTypes: TicketTypesService, options: StockServiceOptions = {}) {
    this.db = stockTables(db);
    this.now = options.now ?? Date.now;
    this.intake = {
      ticketTypes,
      now: this.now,
      generate: options.generate ?? ((count) => generateBarcodes(count)),
    };
  }

  /** A print run (门票制作) of `count` fresh codes, none equal to any code already in stock. */
  generateBatch(input: GenerateBatch, context: ChangeContext): Promise<CreatedBatch> {
    return auditedTransaction(this.db, (trx) => intake.generateBatch(trx, input, context, this.intake));
  }

  /** Codes printed elsewhere, all checked first (intake.ts): nothing is imported unless every one is good. */
  importBatch(input: ImportBatch, context: ChangeContext): Promise<CreatedBatch> {
    return auditedTransaction(this.db, (trx) => intake.importBatch(trx, input, context, this.intake));
  }

  /** 出仓: codes in the warehouse go to a cashier who may sell. */
  issue(input: IssueRequest, context: ChangeContext): Promise<Moved> {
    return auditedTransaction(this.db, (trx) => movements.issue(trx, input, context, this.now));
  }

  /** 入仓: a cashier hands unsold codes back. Only codes issued to that cashier. */
  returnToWarehouse(input: ReturnRequest, context: ChangeContext): Promise<Moved> {
    return auditedTransaction(this.db, (trx) => movements.returnToWarehouse(trx, input, context, this.now));
  }

  /** Lost or damaged stubs, from the warehouse or from a cashier; a sold code is the refunds module's business. */
  voidCodes(input: VoidRequest, context: ChangeContext): Promise<Moved> {
    return auditedTransaction(this.db, (trx) => movements.voidCodes(trx, input, context, this.now));
  }

  /** A batch of a site out of `scope` is not found. */
  async getBatch(batchId: number, scope: SiteScope = ALL_SITES): Promise<Batch> {
    const row = await repo.findBatch(this.db, batchId, scope);
    if (!row) throw new AppError('NOT_FOUND', { resource: BATCH, id: batchId });
    return batchOf(row);
  }

  async batchCodes(batchId: number, scope: SiteScope = ALL_SITES): Promise<string[]> {
    await this.getBatch(batchId, scope);
    return repo.codesOfBatch(this.db, batchId);
  }

  /** A page of the batch's codes in sequence order, each with its state and holder. */
  async batchCodePage(
    batchId: number,
    filter: { after: number; limit: number; state?: StockState | undefined },
    scope: SiteScope = ALL_SITES,
  ): Promise<BatchCodePage> {
    await this.getBatch(batchId, scope);
    // One row more than asked tells whether another page follows.
    const rows = await repo.batchCodesPage(this.db, batchId, { ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map((row) => ({
        code: row.code,
        seq: row.seq,
        state: row.state,
        holderId: row.holder_id,
        holderUsername: row.holder_username,
        ticketId: row.ticket_id,
        stateChangedAt: row.state_changed_at,
      })),
      next: rows.length > filter.limit ? page[page.length - 1]!.seq : null,
    };
  }

  /** Who may receive stock (issue): active operators allowed to sell, at most 50, by username. */
  async cashiers(filter: { q?: string | undefined }): Promise<Cashier[]> {
    const rows = await activeOperatorsWith(this.db, 'sales.sell', { q: filter.q, limit: 50 });
    return rows.map((row) => ({ id: row.id, username: row.username, displayName: row.display_name }));
  }

  async listBatches(
    filter: {
      siteId?: string | undefined;
      ticketTypeId?: number | undefined;
    },
    scope: SiteScope = ALL_SITES,
  ): Promise<Batch[]> {
    return (await repo.listBatches(this.db, filter, scope)).map(batchOf);
  }

  /** A code of a site out of `scope` is unknown. */
  async codeDetail(text: string, scope: SiteScope = ALL_SITES): Promise<CodeDetail> {
    const code = normaliseBarcodeDigits(text) ?? text;
    const row = await repo.findCode(this.db, code, scope);
    if (!row) throw new AppError('STOCK_CODE_UNKNOWN', { code: code.slice(0, 64) });
    return codeDetailOf(row, await repo.movementsOf(this.db, code));
  }

  async warehouseBalances(
    filter: { siteId?: string | undefined },
    scope: SiteScope = ALL_SITES,
  ): Promise<WarehouseBalance[]> {
    const rows = await repo.warehouseCounts(this.db, filter, scope);
    return rows.map((row) => ({ siteId: row.site_id, ticketTypeId: row.ticket_type_id, inWarehouse: row.n }));
  }

  async cashierBalances(
    filter: {
      siteId?: string | undefined;
      cashierId?: string | undefined;
    },
    scope: SiteScope = ALL_SITES,
  ): Promise<CashierBalance[]> {
    const rows = await repo.cashierCounts(this.db, filter, scope);
    return rows.map((row) => ({
      cashierId: row.holder_id!,
      cashierUsername: row.username,
      ticketTypeId: row.ticket_type_id,
      issued: row.n,
    }));
  }

  /** What one cashier holds, code by code: what they count against at the end of their shift. */
  async balanceOf(cashierId: string, scope: SiteScope = ALL_SITES): Promise<MyBalance> {
    const rows = await repo.codesHeldBy(this.db, cashierId, scope);
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

  async reconciliation(
    filter: {
      siteId?: string | undefined;
      batchId?: number | undefined;
    },
    scope: SiteScope = ALL_SITES,
  ): Promise<Reconciliation> {
    const batches = await repo.listBatches(this.db, filter, scope);
    const ids = batches.map((batch) => batch.id);
    return reconcile(
      batches,
      await repo.stateCountsByBatch(this.db, ids),
      await repo.movementCountsByBatch(this.db, ids),
    );
  }
}
