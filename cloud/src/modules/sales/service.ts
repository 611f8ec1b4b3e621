/**
 * Window sales (窗口售票). One sale is one audited transaction that prices every line (TicketTypesService.priceFor,
 * with age discounts from each holder's ID), enforces per-ID daily limits, takes capacity (day and slot), writes the
 * sale with its lines and payments, issues the tickets with signed QR codes and their whitelist feed entries,
 * activates pre-printed stubs, and appends the audit entry — so a sale exists completely or not at all.
 *
 * Idempotency: every request carries a key, unique per cashier; db/idempotency.ts idempotentWrite looks the key up
 * inside the sale's transaction (sales queue on the audit lock on PostgreSQL and on the single writer on SQLite, so
 * parallel requests with one key find the first one's sale) and answers a unique-key refusal from a concurrent
 * insert the same way.
 */
import { randomUUID } from 'node:crypto';
import { normaliseBarcodeDigits, QR_FLAGS } from '@scenic/protocol';
import type { Kysely, Transaction } from 'kysely';
import { type IdempotentRequest, idempotentWrite, requestHashOf } from '../../db/idempotency.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import { maskResidentId, requireResidentId } from '../../platform/identity/resident-id.js';
import type { Localized } from '../../platform/language.js';
import { clockOf, dayOfIsoDate, isoDateOfDay } from '../capacity/local-time.js';
import type { CapacityService } from '../capacity/service.js';
import type { SigningKeys } from '../signing-keys/keys.js';
import type { CredentialSecrets } from '../signing-keys/secrets.js';
import { activateForSale } from '../stock/activation.js';
import type { Quote, TicketType } from '../ticket-types/schemas.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import { ticketView } from '../tickets/repo.js';
import type { TicketsService, TicketToIssue } from '../tickets/service.js';
import { validityWindow } from '../tickets/validity.js';
import type { VenuesService } from '../venues/service.js';

type Site = Awaited<ReturnType<VenuesService['getSite']>>;

import * as repo from './repo.js';
import type { CreateSale, ListSalesQuery, Sale, SaleLineInput } from './schemas.js';

type Db = Kysely<Database>;

const SALE: Localized = { 'zh-CN': '销售单', en: 'Sale' };
const BODY: Localized = { 'zh-CN': '请求体', en: 'body' };
/** How far ahead a window sells: today and the next 365 venue-local days. */
const MAX_ADVANCE_DAYS = 365;

export interface Cashier {
  readonly id: string;
  readonly username: string;
}

export interface SaleResult {
  readonly sale: Sale;
  /** True when the idempotency key had already made this sale. */
  readonly replayed: boolean;
}

export interface SalesDependencies {
  readonly venues: VenuesService;
  readonly ticketTypes: TicketTypesService;
  readonly capacity: CapacityService;
  readonly tickets: TicketsService;
  readonly keys: SigningKeys;
  readonly secrets: () => CredentialSecrets;
}

function invalid(path: (string | number)[], zh: string, en: string): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    { part: BODY },
    { issues: [{ path, code: 'custom', messages: { 'zh-CN': zh, en } }] },
  );
}

/**
 * Payments must cover the total exactly, except that cash may exceed it: the excess is change, handed back in cash,
 * so non-cash payments alone never exceed the total and the change is less than the cash taken.
 */
function settle(totalFen: number, payments: CreateSale['payments']): { paidFen: number; changeFen: number } {
  const paidFen = payments.reduce((sum, payment) => sum + payment.amountFen, 0);
  const cashFen = payments.filter((p) => p.method === 'cash').reduce((sum, p) => sum + p.amountFen, 0);
  const mismatch = (zh: string, en: string) =>
    new AppError('PAYMENT_MISMATCH', { paid: paidFen, total: totalFen, reason: { 'zh-CN': zh, en } });
  if (paidFen < totalFen) throw mismatch('付款不足', 'not enough paid');
  const changeFen = paidFen - totalFen;
  if (changeFen > 0 && changeFen >= cashFen)
    throw mismatch('只有现金可以多付找零', 'only cash may exceed the total (change is given in cash)');
  return { paidFen, changeFen };
}

interface PricedTicket {
  readonly quote: Quote;
  readonly holder: TicketToIssue['holder'];
  readonly barcode: string | null;
}

export class SalesService {
  constructor(
    private readonly db: Db,
    private readonly deps: SalesDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  async sell(
    input: CreateSale,
    idempotencyKey: string,
    cashier: Cashier,
    context: ChangeContext,
  ): Promise<SaleResult> {
    const request: IdempotentRequest = {
      table: 'sales',
      cashierId: cashier.id,
      key: idempotencyKey,
      hash: requestHashOf(input),
    };
    // Outside the transaction: the first sale of an installation may create the signing key in its own transaction.
    const signer = await this.deps.keys.active();
    // The last run of `write` is the one that committed (a batch that failed as a whole runs its members again).
    const written: { sale?: Sale } = {};
    const outcome = await idempotentWrite(this.db, request, async (trx) => {
      written.sale = await this.record(trx, input, idempotencyKey, request.hash, cashier, context, signer);
      return written.sale.id;
    });
    // A new sale is answered from what was just written (the same shape as the stored one, tested); a replay reads it.
    if (!outcome.replayed && written.sale) return { sale: written.sale, replayed: false };
    return { sale: await this.get(outcome.id), replayed: true };
  }

  async get(saleId: string): Promise<Sale> {
    const sale = await repo.findSale(this.db, saleId);
    if (!sale) throw new AppError('NOT_FOUND', { resource: SALE, id: saleId });
    return { ...sale, tickets: await this.deps.tickets.ofSale(saleId) };
  }

  async list(query: ListSalesQuery) {
    const cursor = query.before === undefined ? undefined : decodeCursor(query.before);
    const sales = await repo.listSales(this.db, query, cursor);
    const last = sales.at(-1);
    return {
      sales,
      next: sales.length === query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  private async record(
    trx: Transaction<Database>,
    input: CreateSale,
    idempotencyKey: string,
    hash: string,
    cashier: Cashier,
    context: ChangeContext,
    signer: Awaited<ReturnType<SigningKeys['active']>>,
  ): Promise<Sale> {
    const now = this.now();
    const site = await this.deps.venues.getSite(input.siteId, trx);
    const window = await this.deps.venues.getWindow(input.siteId, input.windowId, trx);
    if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId: input.windowId });
    const today = clockOf(site.timezone).dayNumber(now);
    const saleId = randomUUID();

    const heldToday = new Map<string, number>();
    const lines = [];
    const lineViews: Sale['lines'] = [];
    const typeOfLine = new Map<number, { name: { zh: string; en: string }; kind: string }>();
    const toIssue: TicketToIssue[] = [];
    const barcodes: { code: string; index: number; typeId: number }[] = [];
    for (const [index, line] of input.lines.entries()) {
      const visitDay = dayOfIsoDate(line.visitDate)!;
      if (visitDay < today || visitDay > today + MAX_ADVANCE_DAYS)
        throw new AppError('VISIT_DATE_OUT_OF_RANGE', {
          date: line.visitDate,
          from: isoDateOfDay(today),
          to: isoDateOfDay(today + MAX_ADVANCE_DAYS),
        });
      const type = await this.deps.ticketTypes.get(line.typeId, trx);
      if (type.siteId !== input.siteId)
        throw new AppError('TICKET_TYPE_OTHER_SITE', { typeId: line.typeId, siteId: input.siteId });
      const priced = await this.price(trx, line, index, type, site.agePolicy, heldToday);
      const personsPerTicket = priced[0]!.quote.persons;
      const claim = await this.deps.capacity.consume(trx, {
        siteId: input.siteId,
        visitDate: line.visitDate,
        slotId: line.slotId,
        persons: personsPerTicket * line.quantity,
      });
      const { validFrom, validTo } = validityWindow(type.validity, visitDay, now, site.timezone);
      const amountFen = priced.reduce((sum, ticket) => sum + ticket.quote.priceFen, 0);
      lines.push({
        sale_id: saleId,
        line_no: index + 1,
        type_id: type.typeId,
        type_version: type.version,
        visit_day: visitDay,
        slot_id: claim.slot?.id ?? null,
        quantity: line.quantity,
        persons: personsPerTicket,
        amount_fen: amountFen,
      });
      lineViews.push({
        lineNo: index + 1,
        typeId: type.typeId,
        typeVersion: type.version,
        typeName: type.name,
        visitDate: isoDateOfDay(visitDay),
        slot: claim.slot && { id: claim.slot.id, start: claim.slot.startAt, end: claim.slot.endAt },
        quantity: line.quantity,
        persons: personsPerTicket,
        amountFen,
      });
      typeOfLine.set(index + 1, { name: type.name, kind: type.kind });
      for (const ticket of priced) {
        if (ticket.barcode)
          barcodes.push({ code: ticket.barcode, index: toIssue.length, typeId: type.typeId });
        toIssue.push({
          siteId: input.siteId,
          typeId: type.typeId,
          typeVersion: type.version,
          saleId,
          saleLine: index + 1,
          visitDay,
          validFrom,
          validTo,
          entriesTotal: type.entries,
          persons: ticket.quote.persons,
          slot: claim.slot,
          holder: ticket.holder,
          priceFen: ticket.quote.priceFen,
          flags:
            (ticket.quote.ageRule && ticket.quote.priceFen < ticket.quote.basePriceFen
              ? QR_FLAGS.CONCESSION
              : 0) | (type.kind === 'group' ? QR_FLAGS.GROUP : 0),
          barcode: ticket.barcode,
        });
      }
    }
    const totalFen = lines.reduce((sum, line) => sum + line.amount_fen, 0);
    const { paidFen, changeFen } = settle(totalFen, input.payments);
    await repo.insertSale(
      trx,
      {
        id: saleId,
        site_id: input.siteId,
        window_id: input.windowId,
        channel: input.channel,
        cashier_id: cashier.id,
        cashier_username: cashier.username,
        idempotency_key: idempotencyKey,
        request_hash: hash,
        total_fen: totalFen,
        paid_fen: paidFen,
        change_fen: changeFen,
        ticket_count: toIssue.length,
        persons: toIssue.reduce((sum, ticket) => sum + ticket.persons, 0),
        created_at: now,
      },
      lines,
      input.payments.map((payment, seq) => ({
        sale_id: saleId,
        seq: seq + 1,
        method: payment.method,
        amount_fen: payment.amountFen,
      })),
    );
    // Stubs first, under the ids their tickets will get: a stub already sold is refused by the stock module before
    // a second ticket could claim its barcode.
    // Only stubs need their ids now; the tickets module draws the others as it inserts them.
    const stubIds = await this.deps.tickets.allocateIds(trx, barcodes.length);
    const idOf = new Map<number, number>();
    for (const [n, stub] of barcodes.entries()) {
      const ticketId = stubIds[n]!;
      idOf.set(stub.index, ticketId);
      await activateForSale(
        trx,
        { code: stub.code, cashierId: cashier.id, ticketTypeId: stub.typeId, ticketId: String(ticketId) },
        now,
      );
    }
    const issued = await this.deps.tickets.issue(
      trx,
      idOf.size === 0
        ? toIssue
        : toIssue.map((ticket, index) => {
            const ticketId = idOf.get(index);
            return ticketId === undefined ? ticket : { ...ticket, ticketId };
          }),
      signer,
    );
    await recordAudit(
      trx,
      {
        actor: context.actor,
        ip: context.ip,
        action: 'sale.create',
        entity: 'sale',
        entityId: saleId,
        after: {
          siteId: input.siteId,
          windowId: input.windowId,
          totalFen,
          paidFen,
          changeFen,
          payments: input.payments,
          lines: lines.map((line) => ({
            typeId: line.type_id,
            typeVersion: line.type_version,
            visitDay: line.visit_day,
            slotId: line.slot_id,
            quantity: line.quantity,
            amountFen: line.amount_fen,
          })),
          ticketIds: issued.map((ticket) => ticket.id),
        },
      },
      now,
    );
    const persons = toIssue.reduce((sum, ticket) => sum + ticket.persons, 0);
    return {
      id: saleId,
      siteId: input.siteId,
      windowId: input.windowId,
      channel: input.channel,
      cashier: { id: cashier.id, username: cashier.username },
      totalFen,
      paidFen,
      changeFen,
      ticketCount: toIssue.length,
      persons,
      createdAt: now,
      lines: lineViews,
      payments: input.payments.map((payment) => ({ method: payment.method, amountFen: payment.amountFen })),
      tickets: issued
        .map((row) => {
          const type = typeOfLine.get(row.sale_line!)!;
          return ticketView(row, type.name, type.kind);
        })
        .sort((a, b) => a.saleLine! - b.saleLine! || a.ticketId - b.ticketId),
    };
  }

  /**
   * Quotes every ticket of a line. With holders, each is priced from their own ID (age discounts) and counted
   * against the per-ID daily limit (tickets already sold plus earlier ones in this sale); holders' ID numbers
   * leave this function only masked and hashed.
   */
  private async price(
    trx: Db,
    line: SaleLineInput,
    index: number,
    type: TicketType,
    agePolicy: Site['agePolicy'],
    heldToday: Map<string, number>,
  ): Promise<PricedTicket[]> {
    const realName = type.realName === 'per_ticket';
    const perIdDailyLimit = type.perIdDailyLimit;
    const holders = line.holders ?? [];
    if (realName && holders.length !== line.quantity)
      throw new AppError('HOLDERS_REQUIRED', {
        typeId: line.typeId,
        quantity: line.quantity,
        count: holders.length,
      });
    if (holders.length > 0 && holders.length !== line.quantity)
      throw invalid(
        ['lines', index, 'holders'],
        `游客人数应与张数 ${line.quantity} 相同`,
        `list one visitor per ticket (${line.quantity})`,
      );
    const barcodes = line.barcodes ?? [];
    if (barcodes.length > 0 && barcodes.length !== line.quantity)
      throw invalid(
        ['lines', index, 'barcodes'],
        `条码数应与张数 ${line.quantity} 相同`,
        `give one barcode per ticket (${line.quantity})`,
      );
    const barcodeAt = (i: number): string | null => {
      const text = barcodes[i];
      if (text === undefined) return null;
      const code = normaliseBarcodeDigits(text);
      if (code === null) throw new AppError('STOCK_CODE_UNKNOWN', { code: text.slice(0, 64) });
      return code;
    };
    // The type and its site were read in this transaction already: priced as priceFor would, without reading again.
    const request = { channel: 'window' as const, visitDate: line.visitDate };
    if (holders.length === 0) {
      const quote = this.deps.ticketTypes.quote(type, agePolicy, {
        ...request,
        ...(line.persons !== undefined && { persons: line.persons }),
      });
      return Array.from({ length: line.quantity }, (_, i) => ({
        quote,
        holder: null,
        barcode: barcodeAt(i),
      }));
    }
    const visitDay = dayOfIsoDate(line.visitDate)!;
    const priced: PricedTicket[] = [];
    for (const [i, holder] of holders.entries()) {
      const id = requireResidentId(holder.idNumber);
      const quote = this.deps.ticketTypes.quote(type, agePolicy, {
        ...request,
        idNumber: id.number,
        ...(line.persons !== undefined && { persons: line.persons }),
      });
      const idHash = this.deps.secrets().idHash(id.number);
      const idMasked = maskResidentId(id.number);
      if (perIdDailyLimit !== null) {
        const key = `${line.typeId}/${visitDay}/${idHash}`;
        const already =
          heldToday.get(key) ?? (await this.deps.tickets.countForHolder(trx, idHash, visitDay, line.typeId));
        if (already + 1 > perIdDailyLimit)
          throw new AppError('PER_ID_LIMIT_EXCEEDED', {
            idNumber: idMasked,
            date: line.visitDate,
            typeId: line.typeId,
            limit: perIdDailyLimit,
          });
        heldToday.set(key, already + 1);
      }
      priced.push({ quote, holder: { name: holder.name, idMasked, idHash }, barcode: barcodeAt(i) });
    }
    return priced;
  }
}

function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(text: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(createdAt) && typeof id === 'string')
      return { createdAt: createdAt as number, id };
  } catch {
    // fall through to the refusal below
  }
  throw invalid(['before'], '翻页游标无效', 'invalid page cursor');
}
