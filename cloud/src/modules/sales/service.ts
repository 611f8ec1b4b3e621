/**
 * Window sales (窗口售票). One sale is one audited transaction that prices every line (with age discounts from each
 * holder's ID), enforces per-ID daily limits, takes capacity (day and slot), writes the sale with its lines and
 * payments, issues the tickets with signed QR codes and their whitelist feed entries, activates pre-printed stubs,
 * and appends the audit entry — so a sale exists completely or not at all.
 *
 * The request becomes domain values once (order.ts); the transaction resolves it line by line into a sold sale
 * (sold.ts: pricing.ts prices the tickets), from which the rows (rows.ts), the audit entry (audit.ts) and the answer
 * (view.ts) are built.
 *
 * Idempotency: every request carries a key, unique per cashier; db/idempotency.ts idempotentWrite looks the key up
 * inside the sale's transaction (sales queue on the audit lock on PostgreSQL and on the single writer on SQLite, so
 * parallel requests with one key find the first one's sale) and answers a unique-key refusal from a concurrent
 * insert the same way.
 */

import { randomUUID } from 'node:crypto';
import type { SigningKeyPair } from '@scenic/protocol';
import type { Kysely, Transaction } from 'kysely';
import { type IdempotentRequest, idempotentWrite, requestHashOf } from '../../db/idempotency.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Cashier, IdempotentCommand, IdempotentResult } from '../../platform/idempotent-reply.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, assertSiteInScope, type SiteScope } from '../../platform/site-scope.js';
import { clockOf, isoDateOfDay } from '../capacity/local-time.js';
import type { CapacityService } from '../capacity/service.js';
import type { SigningKeys } from '../signing-keys/keys.js';
import type { CredentialSecrets } from '../signing-keys/secrets.js';
import { activateForSale } from '../stock/activation.js';
import type { TakingsRecorder } from '../takings/contract.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import { issuableWindow, MAX_ADVANCE_DAYS } from '../ticket-types/validity.js';
import type { TicketRow } from '../tickets/reads.js';
import type { TicketsService } from '../tickets/service.js';
import type { VenuesService } from '../venues/service.js';
import { saleAuditEntry } from './audit.js';
import { cardsOfLine, type SaleCards } from './cards.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { LoyaltyOutcome, SaleLoyalty } from './loyalty.js';
import { type OrderLine, orderOf, type SaleOrder } from './order.js';
import { priceLine } from './pricing.js';
import * as repo from './repo.js';
import { saleRows, ticketsToIssue } from './rows.js';
import type { CreateSale, ListSalesQuery, Sale } from './schemas.js';
import { type SoldLine, type SoldSale, soldSale } from './sold.js';
import { takingOfSale } from './takings.js';
import { saleView } from './view.js';

type Db = Kysely<Database>;
type Site = Awaited<ReturnType<VenuesService['getSite']>>;

const SALE: Localized = { 'zh-CN': '销售单', en: 'Sale' };

export interface SalesDependencies {
  readonly venues: VenuesService;
  readonly ticketTypes: TicketTypesService;
  readonly capacity: CapacityService;
  readonly tickets: TicketsService;
  readonly keys: SigningKeys;
  readonly secrets: () => CredentialSecrets;
  /** The most change one sale may give (config `CASH_MAX_CHANGE_FEN`). */
  readonly maxChangeFen: number;
  /** The customer's points: accrued on the sale, and spent by a `points` payment (loyalty.ts). */
  readonly loyalty: SaleLoyalty;
  /** The takings journal: the sale's money and tickets, in its transaction (modules/takings). */
  readonly takings: TakingsRecorder;
  /** The IC cards' status and the site's card deposit (modules/cards). */
  readonly cards: SaleCards;
}

export interface SaleCommand extends IdempotentCommand<CreateSale> {
  readonly context: ChangeContext;
}

function requireSellableDay(line: OrderLine, today: number): void {
  if (line.visitDay < today || line.visitDay > today + MAX_ADVANCE_DAYS)
    throw new AppError('VISIT_DATE_OUT_OF_RANGE', {
      date: line.visitDate,
      from: isoDateOfDay(today),
      to: isoDateOfDay(today + MAX_ADVANCE_DAYS),
    });
}

export class SalesService {
  constructor(
    private readonly db: Db,
    private readonly deps: SalesDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  async sell(command: SaleCommand): Promise<IdempotentResult<Sale>> {
    const { input, cashier, context } = command;
    assertSiteInScope(context.sites ?? ALL_SITES, input.siteId);
    const request: IdempotentRequest = {
      lookup: repo.byIdempotencyKey,
      cashierId: cashier.id,
      key: command.idempotencyKey,
      hash: requestHashOf(input),
    };
    const order = orderOf(input);
    // Outside the transaction: the first sale of an installation may create the signing key in its own transaction.
    const signer = await this.deps.keys.active();
    // The last run of `write` is the one that committed (a batch that failed as a whole runs its members again).
    const written: { sale?: Sale } = {};
    const outcome = await idempotentWrite(this.db, request, async (trx) => {
      written.sale = await this.record(trx, { order, request, cashier, context, signer });
      return written.sale.id;
    });
    // A new sale is answered from what was just written (the same shape as the stored one, tested); a replay reads it.
    if (!outcome.replayed && written.sale) return { value: written.sale, replayed: false };
    return { value: await this.get(outcome.id), replayed: true };
  }

  /** A sale of a site out of `scope` is not found. */
  async get(saleId: string, scope: SiteScope = ALL_SITES): Promise<Sale> {
    const sale = await repo.findSale(this.db, saleId, scope);
    if (!sale) throw new AppError('NOT_FOUND', { resource: SALE, id: saleId });
    return { ...sale, tickets: await this.deps.tickets.ofSale(saleId) };
  }

  async list(query: ListSalesQuery, scope: SiteScope = ALL_SITES) {
    const cursor = query.before === undefined ? undefined : decodeCursor(query.before);
    const sales = await repo.listSales(this.db, query, cursor, scope);
    const last = sales.at(-1);
    return {
      sales,
      next: sales.length === query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  private async record(trx: Transaction<Database>, sale: SaleToRecord): Promise<Sale> {
    const { order, request, cashier, context, signer } = sale;
    const now = this.now();
    const site = await this.deps.venues.getSite(order.siteId, trx);
    const window = await this.deps.venues.getWindow(order.siteId, order.windowId, trx);
    if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId: order.windowId });
    const today = clockOf(site.timezone).dayNumber(now);
    const heldToday = new Map<string, number>();
    const cards = new Set<string>();
    const lines: SoldLine[] = [];
    for (const line of order.lines) {
      requireSellableDay(line, today);
      lines.push(await this.sellLine(trx, { order, line, site, now, heldToday, cards }));
    }
    const sold = soldSale(
      { id: randomUUID(), order, cashier, request, createdAt: now, lines },
      this.deps.maxChangeFen,
    );
    const points = await this.customerPoints(trx, sold, today, context);
    const rows = saleRows(sold);
    await repo.insertSale(trx, rows.sale, rows.lines, rows.payments);
    await this.deps.takings.record(trx, takingOfSale(sold, today));
    const issued = await this.issueTickets(trx, sold, signer);
    await this.bindCards(trx, sold, issued);
    await recordAudit(
      trx,
      saleAuditEntry(
        sold,
        context,
        issued.map((ticket) => ticket.id),
        points,
      ),
      now,
    );
    return saleView(sold, issued);
  }

  /**
   * A sale made for a customer spends the points its `points` payments name and accrues what the rest earns, in the
   * sale's transaction; points without a customer are refused.
   */
  private async customerPoints(
    trx: Transaction<Database>,
    sold: SoldSale,
    today: number,
    context: ChangeContext,
  ): Promise<LoyaltyOutcome | null> {
    const { order } = sold;
    const pointsFen = order.payments
      .filter((payment) => payment.method === 'points')
      .reduce((sum, payment) => sum + payment.amountFen, 0);
    if (order.customerId === null) {
      if (pointsFen > 0) throw new AppError('POINTS_CUSTOMER_REQUIRED');
      return null;
    }
    return this.deps.loyalty.onSale(trx, {
      saleId: sold.id,
      siteId: order.siteId,
      customerId: order.customerId,
      day: today,
      at: sold.createdAt,
      lines: sold.lines.map((line) => ({ typeId: line.type.typeId, amountFen: line.amountFen })),
      // A deposit is given back when the card is; it earns no points.
      totalFen: sold.totalFen - sold.depositFen,
      pointsFen,
      actor: context.actor,
      sites: context.sites ?? ALL_SITES,
    });
  }

  /** One line: its type at this site, its tickets priced, its places taken and its validity. */
  private async sellLine(trx: Transaction<Database>, selling: LineToSell): Promise<SoldLine> {
    const { order, line, site, now } = selling;
    const type = await this.deps.ticketTypes.get(line.typeId, trx);
    if (type.siteId !== order.siteId)
      throw new AppError('TICKET_TYPE_OTHER_SITE', { typeId: line.typeId, siteId: order.siteId });
    const priced = await priceLine(this.deps, trx, {
      line,
      type,
      agePolicy: site.agePolicy,
      heldToday: selling.heldToday,
    });
    const cardUids = await cardsOfLine(trx, line, type, selling.cards, now, this.deps.cards);
    const depositFen =
      cardUids.length === 0 ? 0 : cardUids.length * (await this.deps.cards.depositFen(trx, order.siteId));
    const tickets = priced.map((ticket, i) => ({ ...ticket, cardUid: cardUids[i] ?? null }));
    const personsPerTicket = tickets[0]!.quote.persons;
    const claim = await this.deps.capacity.consume(trx, {
      siteId: order.siteId,
      visitDate: line.visitDate,
      visitDay: line.visitDay,
      slotId: line.slotId,
      persons: personsPerTicket * line.quantity,
    });
    const { validFrom, validTo, activation } = issuableWindow(type, line.visitDay, now, site.timezone);
    return {
      lineNo: line.lineNo,
      type,
      visitDate: line.visitDate,
      visitDay: line.visitDay,
      quantity: line.quantity,
      personsPerTicket,
      amountFen: tickets.reduce((sum, ticket) => sum + ticket.quote.priceFen, 0),
      depositFen,
      slot: claim.slot,
      validFrom,
      validTo,
      activation,
      tickets,
    };
  }

  /** The cards the sale bound, each holding its line's deposit per card. */
  private async bindCards(trx: Transaction<Database>, sold: SoldSale, issued: readonly TicketRow[]) {
    const perCard = new Map<number, number>();
    for (const line of sold.lines)
      if (line.depositFen > 0) perCard.set(line.lineNo, line.depositFen / line.tickets.length);
    const bound = issued
      .filter((row) => row.card_uid !== null)
      .map((row) => ({
        uid: row.card_uid!,
        siteId: row.site_id,
        ticketId: row.id,
        saleId: sold.id,
        depositFen: perCard.get(row.sale_line ?? 0) ?? 0,
      }));
    if (bound.length > 0) await this.deps.cards.bind(trx, bound, sold.createdAt, sold.cashier.id);
  }

  /**
   * Activates the sale's stubs and issues its tickets. Stubs first, under the ids their tickets will get: a stub
   * already sold is refused by the stock module before a second ticket could claim its barcode.
   */
  private async issueTickets(
    trx: Transaction<Database>,
    sold: SoldSale,
    signer: SigningKeyPair,
  ): Promise<TicketRow[]> {
    const { tickets, stubs } = ticketsToIssue(sold);
    // Only stubs need their ids now; the tickets module draws the others as it inserts them.
    const stubIds = await this.deps.tickets.allocateIds(trx, stubs.length);
    const idOf = new Map<number, number>();
    for (const [n, stub] of stubs.entries()) {
      const ticketId = stubIds[n]!;
      idOf.set(stub.index, ticketId);
      await activateForSale(
        trx,
        {
          code: stub.code,
          cashierId: sold.cashier.id,
          ticketTypeId: stub.typeId,
          ticketId: String(ticketId),
        },
        sold.createdAt,
      );
    }
    return this.deps.tickets.issue(
      trx,
      idOf.size === 0
        ? tickets
        : tickets.map((ticket, index) => {
            const ticketId = idOf.get(index);
            return ticketId === undefined ? ticket : { ...ticket, ticketId };
          }),
      signer,
    );
  }
}

interface SaleToRecord {
  readonly order: SaleOrder;
  readonly request: IdempotentRequest;
  readonly cashier: Cashier;
  readonly context: ChangeContext;
  readonly signer: SigningKeyPair;
}

interface LineToSell {
  readonly order: SaleOrder;
  readonly line: OrderLine;
  readonly site: Site;
  readonly now: number;
  readonly heldToday: Map<string, number>;
  /** The card UIDs bound by the sale's lines so far. */
  readonly cards: Set<string>;
}
