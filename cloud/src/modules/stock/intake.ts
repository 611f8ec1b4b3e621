/**
 * Codes entering the warehouse (门票制作 / 入库): a print run of fresh codes, or codes printed elsewhere and imported.
 * Either creates one batch whose codes are all `in_warehouse`, with one `import` ledger row per code and one audit
 * entry, inside the caller's transaction.
 */
import { checkBarcode } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import { ledgerRow, operatorOf } from './ledger.js';
import * as repo from './repo.js';
import { type CreatedBatch, DETAIL_LIMIT, type GenerateBatch, type ImportBatch } from './schemas.js';
import type { StockBatchSource } from './tables.js';
import { batchOf } from './views.js';

/** Random 12-digit codes practically never collide; the bound only keeps an exhausted code space from spinning. */
const MAX_GENERATION_ROUNDS = 20;

export type ImportRejection = 'MALFORMED' | 'BAD_CHECK_DIGIT' | 'DUPLICATE_IN_LIST' | 'ALREADY_EXISTS';

export interface IntakeDeps {
  readonly ticketTypes: TicketTypesService;
  readonly now: () => number;
  /** Source of fresh codes. */
  readonly generate: (count: number) => string[];
}

/** A print run (门票制作) of `count` fresh codes, none equal to any code already in stock. */
export async function generateBatch(
  trx: Connection,
  input: GenerateBatch,
  context: ChangeContext,
  deps: IntakeDeps,
): Promise<CreatedBatch> {
  const chosen = new Set<string>();
  for (let round = 0; chosen.size < input.count; round++) {
    if (round === MAX_GENERATION_ROUNDS) throw new Error('no unused codes left to generate');
    const fresh = deps.generate(input.count - chosen.size).filter((code) => !chosen.has(code));
    const taken = await repo.existingCodes(trx, fresh);
    for (const code of fresh) if (!taken.has(code)) chosen.add(code);
  }
  return createBatch(
    trx,
    { source: 'generated', ticketTypeId: input.ticketTypeId, note: input.note, codes: [...chosen] },
    context,
    deps,
  );
}

/**
 * Codes printed elsewhere. Each must be a well-formed barcode with a correct check digit, appear once in the list
 * and be new to the installation; otherwise nothing is imported and every bad entry is named by its 1-based
 * position.
 */
export async function importBatch(
  trx: Connection,
  input: ImportBatch,
  context: ChangeContext,
  deps: IntakeDeps,
): Promise<CreatedBatch> {
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
  return createBatch(
    trx,
    { source: 'imported', ticketTypeId: input.ticketTypeId, note: input.note, codes: [...firstSeen.keys()] },
    context,
    deps,
  );
}

interface NewBatch {
  readonly source: StockBatchSource;
  readonly ticketTypeId: number;
  readonly note: string | undefined;
  readonly codes: readonly string[];
}

async function createBatch(
  trx: Connection,
  { source, ticketTypeId, note, codes }: NewBatch,
  context: ChangeContext,
  deps: IntakeDeps,
): Promise<CreatedBatch> {
  // A type of a site out of the operator's scope is not found: no stock is made for it.
  const type = await deps.ticketTypes.get(ticketTypeId, trx, context.sites);
  const now = deps.now();
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
      ...ledgerRow(code, row.id, 'import', operator, now),
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
