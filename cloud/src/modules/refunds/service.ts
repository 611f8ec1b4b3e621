/**
 * Refunds (退票). A refund returns one or more tickets of one sale: each ticket's amount follows its type version's
 * refund policy (policy.ts), the money goes back by the methods that paid it — the sale's, and for a ticket upgraded
 * or extended by 补票 also the upgrades' (each pool never returns more per method than it took) — and one audited
 * transaction marks the tickets refunded through TicketsService.change (so the whitelist feed tells every gate),
 * gives their places back to capacity, voids a refunded pre-printed stub in the stock ledger, writes the refund rows
 * and the audit entry.
 *
 * Order of work (platform/approved-write.ts): the idempotency key is looked up first (a replay needs no approver
 * again); then the refund is worked out once outside the transaction to learn its amount, because past the
 * second-approval threshold a second operator must approve it; then the transaction works it out again on what it
 * locks and refuses if the amount moved in between.
 *
 * The threshold weighs what the sale has refunded so far plus this refund, so a large refund split into small ones
 * still needs the approval once the sum passes it; with the daily limit on, also the cashier's refunds in the
 * venue's business day (auth/second-approval.ts). The refund's audit entry keeps the figures (`approval`).
 *
 * Races: audited transactions queue (PostgreSQL) or share one writer (SQLite), so of parallel refunds of a ticket
 * the first commits and the rest find it refunded (TICKET_ALREADY_REFUNDED); refund_tickets.ticket_id is unique as
 * the last line. For the same reason the sums the threshold weighs inside the write's transaction include every
 * refund before it: of parallel small refunds of one sale, only those that fit under the threshold go through
 * without approval.
 */

import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type IdempotentRequest, requestHashOf } from '../../db/idempotency.js';
import type { Database } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { approvedWrite } from '../../platform/approved-write.js';
import { type AuditActor, recordAudit } from '../../platform/audit/record.js';
import {
  type ApprovalFigures,
  type EarlierAmounts,
  type SecondApprovalSettings,
  secondApprovalSettings,
  weighApproval,
} from '../../platform/auth/second-approval.js';
import type { AuthService, ClientInfo } from '../../platform/auth/service.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Cashier, IdempotentCommand, IdempotentResult } from '../../platform/idempotent-reply.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import { clockOf, dayOfIsoDate, localDayAround } from '../capacity/local-time.js';
import type { CapacityService } from '../capacity/service.js';
import type { SaleLoyalty } from '../sales/loyalty.js';
import type { Sale } from '../sales/schemas.js';
import type { SalesService } from '../sales/service.js';
import { voidRefundedStub } from '../stock/activation.js';
import { upgradeMoneyOf } from '../supplements/reads.js';
import type { TakingsRecorder } from '../takings/contract.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import type { Ticket } from '../tickets/schemas.js';
import type { TicketsService } from '../tickets/service.js';
import type { VenuesService } from '../venues/service.js';
import {
  type MethodAmount,
  type RefundPayment,
  refundableByMethod,
  splitRefundPayments,
  sumByMethod,
  supplementShare,
  type TicketRefund,
  ticketRefund,
} from './policy.js';
import * as repo from './repo.js';
import type { CreateRefund, ListRefundsQuery, Refund, RefundQuote, RefundQuoteRequest } from './schemas.js';
import { takingOfRefund } from './takings.js';

type Db = Kysely<Database>;

const REFUND: Localized = { 'zh-CN': '退票单', en: 'Refund' };
const REFUNDED_ACTION: Localized = { 'zh-CN': '退票', en: 'refunded' };

export interface RefundsDependencies {
  readonly sales: SalesService;
  readonly tickets: TicketsService;
  readonly ticketTypes: TicketTypesService;
  readonly capacity: CapacityService;
  readonly venues: VenuesService;
  readonly auth: AuthService;
  /** The customer's points: a refund takes back the refunded tickets' accrual and returns points it paid with. */
  readonly loyalty: SaleLoyalty;
  /** The takings journal: the money handed back and the tickets taken back, in the refund's transaction. */
  readonly takings: TakingsRecorder;
}

export interface RefundCommand extends IdempotentCommand<CreateRefund> {
  readonly context: ChangeContext;
  readonly client: ClientInfo;
}

/** What the refund's transaction writes, besides what the request says. */
interface RefundRecord {
  readonly input: CreateRefund;
  readonly worked: Worked;
  readonly request: IdempotentRequest;
  readonly cashier: Cashier;
  readonly approver: AuditActor | null;
  readonly context: ChangeContext;
  readonly figures: ApprovalFigures;
}

interface Worked {
  readonly sale: Sale;
  /** The sale's site's time zone: its business day bounds the cashier's daily refunds. */
  readonly timeZone: string;
  readonly tickets: readonly {
    ticket: Ticket;
    /** The ticket's visit date as a day number, parsed once. */
    visitDay: number;
    money: TicketRefund;
    supplementFen: number;
  }[];
  readonly totalFen: number;
  readonly feeFen: number;
  /** The upgrade supplements whose money the refund returns. */
  readonly supplementIds: readonly string[];
  readonly payments: RefundPayment[];
}

/** The approver's password never enters the hash (nor anything stored). */
function requestHash(input: CreateRefund): string {
  const { approval, ...rest } = input;
  return requestHashOf(rest);
}

export class RefundsService {
  constructor(
    private readonly db: Db,
    private readonly deps: RefundsDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  async refund(command: RefundCommand): Promise<IdempotentResult<Refund>> {
    const { input, cashier } = command;
    const request: IdempotentRequest = {
      lookup: repo.byIdempotencyKey,
      cashierId: cashier.id,
      key: command.idempotencyKey,
      hash: requestHash(input),
    };
    const outcome = await approvedWrite({
      db: this.db,
      auth: this.deps.auth,
      request,
      approval: { actor: cashier, approval: input.approval },
      client: command.client,
      earlier: (db, worked, settings) => this.earlier(db, worked, cashier, settings),
      preview: async () => {
        // A sale of a site out of the operator's scope is not found: nothing of it is refunded.
        const sale = await this.deps.sales.get(input.saleId, command.context.sites);
        // Refused before anyone is asked to approve it.
        await this.requireWindow(this.db, sale, input.windowId);
        // One snapshot, so the tickets and the sale's earlier refunds are read as of the same moment.
        return transaction(this.db, (trx) => this.work(trx, sale, input));
      },
      // The sale was read once, before approval: its payments and change do not change after it is made.
      replan: (trx, preview) => this.work(trx, preview.sale, input),
      amountOf: (worked) => worked.totalFen,
      apply: (trx, worked, approver, _ready, figures) =>
        this.record(trx, { input, worked, request, cashier, approver, context: command.context, figures }),
      changedMeanwhile: {
        'zh-CN': '票的状态刚刚变化，请重新办理',
        en: 'a ticket changed meanwhile; try again',
      },
      takenMeanwhile: { 'zh-CN': '票已在另一笔退票中退出', en: 'a ticket was refunded by another request' },
    });
    return { value: await this.get(outcome.id, command.context.sites), replayed: outcome.replayed };
  }

  /**
   * What refunding these tickets would hand back, ticket by ticket and method by method, and whether a second
   * operator must approve it if `cashier` makes it — worked out exactly as the refund will be, refused with the
   * refund's own codes, and writing nothing. The refund itself works it out again (a ticket may be used in between).
   */
  async quote(
    input: RefundQuoteRequest,
    cashier: Cashier,
    scope: SiteScope = ALL_SITES,
  ): Promise<RefundQuote> {
    const sale = await this.deps.sales.get(input.saleId, scope);
    const { worked, figures } = await transaction(this.db, async (trx) => {
      const worked = await this.work(trx, sale, input);
      const settings = await secondApprovalSettings(trx);
      const earlier = await this.earlier(trx, worked, cashier, settings);
      return { worked, figures: weighApproval(settings, worked.totalFen, earlier) };
    });
    return {
      saleId: sale.id,
      amountFen: worked.totalFen,
      feeFen: worked.feeFen,
      tickets: worked.tickets.map(({ ticket, money, supplementFen }) => ({
        ticketId: ticket.ticketId,
        priceFen: ticket.priceFen,
        entriesUsed: ticket.entriesUsed,
        entriesTotal: ticket.entriesTotal,
        grossFen: money.grossFen,
        feeFen: money.feeFen,
        amountFen: money.amountFen,
        supplementFen,
      })),
      payments: worked.payments.map((p) => ({
        method: p.method,
        amountFen: p.amountFen,
        supplementFen: p.supplementFen,
      })),
      thresholdFen: figures.thresholdFen,
      cumulativeFen: figures.saleCumulativeFen,
      approvalRequired: figures.exceeds !== null,
    };
  }

  /** A refund of a site out of `scope` is not found. */
  async get(refundId: string, scope: SiteScope = ALL_SITES): Promise<Refund> {
    const refund = await repo.findRefund(this.db, refundId, scope);
    if (!refund) throw new AppError('NOT_FOUND', { resource: REFUND, id: refundId });
    return refund;
  }

  list(query: ListRefundsQuery, scope: SiteScope = ALL_SITES): Promise<Refund[]> {
    return repo.listRefunds(this.db, query, scope);
  }

  /** The refunds that returned any of these tickets (the validity lookup's history). */
  ofTickets(ticketIds: readonly number[]): Promise<Refund[]> {
    return repo.refundsOfTickets(this.db, ticketIds);
  }

  /**
   * What the sale's earlier refunds handed back and, while the daily limit is on, the cashier's refunds so far in the
   * business day of the sale's site (midnight to midnight in its time zone).
   */
  private async earlier(
    db: Connection,
    worked: Worked,
    cashier: Cashier,
    settings: SecondApprovalSettings,
  ): Promise<EarlierAmounts> {
    const saleFen = await repo.refundedAmountOfSale(db, worked.sale.id);
    if (settings.cashierDailyThresholdFen === null) return { saleFen };
    const day = localDayAround(this.now(), worked.timeZone);
    return { saleFen, cashierDayFen: await repo.refundedByCashier(db, cashier.id, day.from, day.to) };
  }

  /**
   * Each ticket's amount under its own type version's policy, the part of it that returns upgrade money, and how
   * the total goes back: the sale's money out of what the sale's payments may still return, the upgrades' out of
   * theirs (an upgraded ticket is refunded once, so its upgrades' pool is whole).
   */
  private async work(db: Db, sale: Sale, input: RefundQuoteRequest): Promise<Worked> {
    const now = this.now();
    const site = await this.deps.venues.getSite(sale.siteId, db);
    const tickets = [];
    const upgradesPaid: MethodAmount[] = [];
    const supplementIds: string[] = [];
    for (const ticketId of input.ticketIds) {
      const ticket = await this.deps.tickets.get(ticketId, db);
      if (ticket.saleId !== sale.id) throw new AppError('TICKET_NOT_IN_SALE', { ticketId, saleId: sale.id });
      const version = await this.deps.ticketTypes.getVersion(ticket.typeId, ticket.typeVersion, db);
      const visitDay = dayOfIsoDate(ticket.visitDate)!;
      const money = ticketRefund(
        {
          ticketId,
          status: ticket.status,
          priceFen: ticket.priceFen,
          entriesTotal: ticket.entriesTotal,
          entriesUsed: ticket.entriesUsed,
          visitDay,
          validTo: ticket.validTo,
        },
        version.refund,
        now,
        site.timezone,
      );
      const upgrades = await upgradeMoneyOf(db, ticketId);
      upgradesPaid.push(...upgrades.paid);
      supplementIds.push(...upgrades.supplementIds);
      tickets.push({
        ticket,
        visitDay,
        money,
        supplementFen: supplementShare(money.amountFen, ticket.priceFen, upgrades.amountFen),
      });
    }
    const totalFen = tickets.reduce((sum, t) => sum + t.money.amountFen, 0);
    const supplementFen = tickets.reduce((sum, t) => sum + t.supplementFen, 0);
    const saleLeft = refundableByMethod(
      sale.payments,
      sale.changeFen,
      await repo.refundedForSale(db, sale.id),
    );
    return {
      sale,
      timeZone: site.timezone,
      tickets,
      totalFen,
      feeFen: tickets.reduce((sum, t) => sum + t.money.feeFen, 0),
      supplementIds,
      payments: splitRefundPayments(
        totalFen,
        supplementFen,
        saleLeft,
        sumByMethod(upgradesPaid),
        input.payments,
      ),
    };
  }

  /** The window a refund names must be an active one of the sale's site, as a sale's must be. */
  private async requireWindow(db: Connection, sale: Sale, windowId: string | undefined): Promise<void> {
    if (windowId === undefined) return;
    const window = await this.deps.venues.getWindow(sale.siteId, windowId, db);
    if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId });
  }

  private async record(trx: Transaction<Database>, record: RefundRecord): Promise<string> {
    const { input, worked, request, cashier, approver, context, figures } = record;
    const { sale } = worked;
    const now = this.now();
    await this.requireWindow(trx, sale, input.windowId);
    const refundId = randomUUID();
    for (const { ticket, visitDay } of worked.tickets) {
      await this.deps.tickets.change(
        trx,
        ticket.ticketId,
        'refund',
        { status: 'refunded' },
        { allowedFrom: ['active'], action: REFUNDED_ACTION },
      );
      // A ticket never used still holds its place on the visit day (and slot); a used count card's day is spent.
      if (ticket.entriesUsed === 0)
        await this.deps.capacity.release(trx, {
          siteId: ticket.siteId,
          visitDate: ticket.visitDate,
          visitDay,
          slotId: ticket.slot?.id ?? null,
          persons: ticket.persons,
        });
      // A pre-printed stub stays in the visitor's or the cashier's hand with a code the gates now know as refunded:
      // it leaves stock as voided, never to be sold again (stock/README.md).
      if (ticket.barcode)
        await voidRefundedStub(
          trx,
          {
            code: ticket.barcode,
            ticketId: String(ticket.ticketId),
            refundId,
            operatorId: cashier.id,
            operatorUsername: cashier.username,
          },
          now,
        );
    }
    await repo.insertRefund(
      trx,
      {
        id: refundId,
        site_id: sale.siteId,
        sale_id: sale.id,
        cashier_id: cashier.id,
        cashier_username: cashier.username,
        idempotency_key: request.key,
        request_hash: request.hash,
        amount_fen: worked.totalFen,
        fee_fen: worked.feeFen,
        reason: input.reason ?? null,
        approved_by_id: approver?.id ?? null,
        approved_by_username: approver?.username ?? null,
        created_at: now,
      },
      worked.tickets.map(({ ticket, money, supplementFen }) => ({
        refund_id: refundId,
        ticket_id: ticket.ticketId,
        price_fen: ticket.priceFen,
        entries_used: ticket.entriesUsed,
        entries_total: ticket.entriesTotal,
        gross_fen: money.grossFen,
        fee_fen: money.feeFen,
        amount_fen: money.amountFen,
        supplement_fen: supplementFen,
      })),
      worked.payments.map((p, seq) => ({
        refund_id: refundId,
        seq: seq + 1,
        method: p.method,
        amount_fen: p.amountFen,
        supplement_fen: p.supplementFen,
      })),
    );
    await this.deps.takings.record(
      trx,
      takingOfRefund({
        refundId,
        sale,
        cashierId: cashier.id,
        windowId: input.windowId ?? null,
        at: now,
        day: clockOf(worked.timeZone).dayNumber(now),
        tickets: worked.tickets,
        payments: worked.payments,
      }),
    );
    const points = await this.deps.loyalty.onRefund(trx, {
      saleId: sale.id,
      refundId,
      saleTotalFen: sale.totalFen,
      ticketsFen: worked.tickets.reduce((sum, t) => sum + t.ticket.priceFen, 0),
      pointsFen: worked.payments
        .filter((p) => p.method === 'points')
        .reduce((sum, p) => sum + p.amountFen, 0),
      at: now,
      actor: context.actor,
    });
    await recordAudit(
      trx,
      {
        actor: context.actor,
        ip: context.ip,
        action: 'refund.create',
        entity: 'refund',
        entityId: refundId,
        after: {
          saleId: sale.id,
          ticketIds: worked.tickets.map((t) => t.ticket.ticketId),
          amountFen: worked.totalFen,
          feeFen: worked.feeFen,
          payments: worked.payments,
          supplementIds: worked.supplementIds,
          reason: input.reason ?? null,
          approvedBy: approver,
          // What the second-approval threshold weighed: this refund, the sale's refunds with it, the cashier's day.
          approval: figures,
          ...(sale.customerId !== null && { points }),
        },
      },
      now,
    );
    return refundId;
  }
}
