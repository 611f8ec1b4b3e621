/**
 * IC cards and wristbands with their own status (卡片管理). A card is issued by a sale (sales/cards.ts asks this
 * service through its SaleCards contract) and from then on:
 * - reported lost or blocked (挂失/停用): its ticket loses the card (`tickets.card_uid` null, one whitelist feed row),
 *   so every gate refuses the UID at its next delta, online and offline alike;
 * - replaced (补卡): a new UID is bound to the same ticket, so the entitlement — entries left, validity, visit days —
 *   stays where it always was, on the ticket. Policy: the lost card's deposit is forfeited (kept by the venue; the
 *   lost card's row still shows what it held) and the replacement is handed out without a new deposit, so it holds
 *   none and its return pays nothing back;
 * - returned at the window (退卡): unbound, its deposit paid back through the takings journal as a money-only refund
 *   in the cashier's open shift (card_returns carries the cashier's Idempotency-Key like a sale);
 * - recycled at the exit (回收): a passage whose gate's recycler kept the card (protocol `cardRecycled`) unbinds it in
 *   the ingestion transaction (passage-hook.ts); a deposit it held is not paid back by the machine.
 * A returned or recycled card may be sold again. The gates keep finding tickets by `tickets.card_uid` (the whitelist
 * record); every change here changes that column in the same transaction, through TicketsService, which appends the
 * feed row. Each change is one conditional UPDATE of the card (repo.changeCard), so of parallel changes of one card
 * exactly one wins and the others answer CARD_STATE_CONFLICT.
 */
import { randomUUID } from 'node:crypto';
import { checkCardUid } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import { type IdempotentRequest, idempotentWrite, requestHashOf } from '../../db/idempotency.js';
import type { Database } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { IdempotentCommand, IdempotentResult } from '../../platform/idempotent-reply.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, coversSite, type SiteScope } from '../../platform/site-scope.js';
import { clockOf } from '../capacity/local-time.js';
import type { BoundCard, SaleCards } from '../sales/cards.js';
import { invalidField } from '../sales/refusals.js';
import type { TakingsRecorder } from '../takings/contract.js';
import { findTicketRow, liveTicketWithCard, ticketIdsBy } from '../tickets/reads.js';
import type { TicketsService } from '../tickets/service.js';
import type { VenuesService } from '../venues/service.js';
import * as repo from './repo.js';
import type { CardReturn, CardView, CreateCardReturn } from './schemas.js';
import type { CardStatus } from './tables.js';

const CARD: Localized = { 'zh-CN': 'IC 卡', en: 'IC card' };
const ACTIONS = {
  lost: { 'zh-CN': '挂失', en: 'reported lost' },
  blocked: { 'zh-CN': '停用', en: 'blocked' },
  replace: { 'zh-CN': '补卡', en: 'replaced' },
  return: { 'zh-CN': '退卡', en: 'returned' },
} satisfies Record<string, Localized>;

export interface CardsDependencies {
  readonly tickets: TicketsService;
  readonly venues: VenuesService;
  readonly takings: TakingsRecorder;
}

export interface CardReturnCommand extends IdempotentCommand<CreateCardReturn> {
  readonly context: ChangeContext;
}

/** The UID normalised (upper-case hex of 4 or 7 bytes), or VALIDATION_FAILED on `field`. */
function uidOf(text: string, part: 'params' | 'body', field: string): string {
  const checked = checkCardUid(text);
  if (!checked.ok) throw invalidField(part, [field], 'IC 卡号无效', checked.message);
  return checked.uid;
}

function stateConflict(card: repo.CardRow, action: Localized): AppError {
  return new AppError('CARD_STATE_CONFLICT', { cardUid: card.uid, status: card.status, action });
}

export class CardsService implements SaleCards {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: CardsDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  /** The card with its history; a card of a site out of `scope`, or never issued, is not found. */
  async get(uidText: string, scope: SiteScope = ALL_SITES, db: Connection = this.db): Promise<CardView> {
    const uid = uidOf(uidText, 'params', 'uid');
    const card = await repo.findCard(db, uid, scope);
    if (!card) throw new AppError('NOT_FOUND', { resource: CARD, id: uid });
    return cardView(card, await repo.historyOf(db, uid));
  }

  // --- SaleCards: what a sale asks, inside its transaction ---

  depositFen(trx: Connection, siteId: string): Promise<number> {
    return repo.depositRate(trx, siteId);
  }

  async refuseBlocked(trx: Connection, cardUid: string): Promise<void> {
    const card = await repo.findCard(trx, cardUid);
    if (card && (card.status === 'lost' || card.status === 'blocked'))
      throw new AppError('CARD_BLOCKED', { cardUid }, { details: { cardUid, status: card.status } });
  }

  async bind(
    trx: Connection,
    cards: readonly BoundCard[],
    at: number,
    actorId: string | null,
  ): Promise<void> {
    for (const card of cards) {
      const issued = await repo.issueCard(trx, {
        uid: card.uid,
        site_id: card.siteId,
        ticket_id: card.ticketId,
        deposit_fen: card.depositFen,
        created_at: at,
        updated_at: at,
      });
      if (!issued) throw new AppError('CARD_BLOCKED', { cardUid: card.uid });
      await repo.appendEvent(trx, {
        uid: card.uid,
        site_id: card.siteId,
        at,
        action: 'issue',
        ticket_id: card.ticketId,
        deposit_fen: card.depositFen,
        actor_id: actorId,
        other_uid: null,
        source_id: card.saleId,
      });
    }
  }

  // --- The window's and the supervisor's changes ---

  /** Reports the card lost (or blocks it): its ticket keeps the entitlement but no longer answers to this UID. */
  async block(uidText: string, status: 'lost' | 'blocked', context: ChangeContext): Promise<CardView> {
    const uid = uidOf(uidText, 'params', 'uid');
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const card = await this.found(trx, uid, context);
      if (card.status !== 'issued' || card.ticket_id === null) throw stateConflict(card, ACTIONS[status]);
      const ticketId = Number(card.ticket_id);
      if (!(await repo.changeCard(trx, uid, ['issued'], { status, updated_at: now }, { ticketId })))
        throw stateConflict(card, ACTIONS[status]);
      await this.unbindTicket(trx, ticketId, uid);
      await repo.appendEvent(trx, event(card, now, status, context, { ticketId }));
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: status === 'lost' ? 'card.lost' : 'card.block',
          entity: 'card',
          entityId: uid,
          before: { status: card.status, ticketId },
          after: { status, ticketId, depositFen: Number(card.deposit_fen) },
        },
        now,
      );
      return cardView((await repo.findCard(trx, uid))!, await repo.historyOf(trx, uid));
    });
  }

  /**
   * Issues `newUidText` in place of a lost or blocked card, bound to the same ticket (its entries, validity and
   * visit days are the ticket's, untouched). At most one replacement per card: parallel attempts leave one winner.
   */
  async replace(
    uidText: string,
    newUidText: string,
    context: ChangeContext,
  ): Promise<{ old: CardView; replacement: CardView }> {
    const uid = uidOf(uidText, 'params', 'uid');
    const newUid = uidOf(newUidText, 'body', 'newCardUid');
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const card = await this.found(trx, uid, context);
      const replaceable =
        (card.status === 'lost' || card.status === 'blocked') &&
        card.replaced_by === null &&
        card.ticket_id !== null;
      if (!replaceable) throw stateConflict(card, ACTIONS.replace);
      const ticketId = Number(card.ticket_id);
      if (newUid === uid) throw stateConflict(card, ACTIONS.replace);
      const holder = await liveTicketWithCard(trx, newUid, now);
      if (holder !== undefined)
        throw new AppError(
          'CARD_UID_IN_USE',
          { cardUid: newUid },
          { details: { cardUid: newUid, inThisSale: false, ticketId: holder } },
        );
      await this.refuseBlocked(trx, newUid);
      if (
        !(await repo.changeCard(
          trx,
          uid,
          ['lost', 'blocked'],
          { replaced_by: newUid, updated_at: now },
          { ticketId, notReplaced: true },
        ))
      )
        throw stateConflict(card, ACTIONS.replace);
      // The ticket answers to the new UID from its next feed row on; refused if it was refunded or revoked meanwhile.
      await this.deps.tickets.change(
        trx,
        ticketId,
        'update',
        { cardUid: newUid },
        { allowedFrom: ['active'], action: ACTIONS.replace },
      );
      if (
        !(await repo.issueCard(trx, {
          uid: newUid,
          site_id: card.site_id,
          ticket_id: ticketId,
          deposit_fen: 0,
          created_at: now,
          updated_at: now,
        }))
      )
        throw new AppError('CARD_BLOCKED', { cardUid: newUid });
      await repo.appendEvent(trx, event(card, now, 'replace', context, { ticketId, otherUid: newUid }));
      await repo.appendEvent(trx, {
        ...event(card, now, 'issue', context, { ticketId, otherUid: uid }),
        uid: newUid,
      });
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'card.replace',
          entity: 'card',
          entityId: uid,
          before: { status: card.status, ticketId },
          after: { replacedBy: newUid, ticketId, forfeitedDepositFen: Number(card.deposit_fen) },
        },
        now,
      );
      return {
        old: cardView((await repo.findCard(trx, uid))!, await repo.historyOf(trx, uid)),
        replacement: cardView((await repo.findCard(trx, newUid))!, await repo.historyOf(trx, newUid)),
      };
    });
  }

  /**
   * The card handed back at the window: unbound, and the deposit it holds paid back (a money-only refund in the
   * takings journal, so the cashier's open shift expects that much less cash). Idempotent per cashier and key.
   */
  async returnCard(command: CardReturnCommand): Promise<IdempotentResult<CardReturn>> {
    const { input, cashier, context } = command;
    const uid = uidOf(input.cardUid, 'body', 'cardUid');
    const request: IdempotentRequest = {
      lookup: repo.returnByIdempotencyKey,
      cashierId: cashier.id,
      key: command.idempotencyKey,
      hash: requestHashOf(input),
    };
    const outcome = await idempotentWrite(this.db, request, async (trx) => {
      const now = this.now();
      const card = await this.found(trx, uid, context);
      if (card.status !== 'issued' || card.ticket_id === null) throw stateConflict(card, ACTIONS.return);
      const ticketId = Number(card.ticket_id);
      const site = await this.deps.venues.getSite(card.site_id, trx);
      const window = await this.deps.venues.getWindow(card.site_id, input.windowId, trx);
      if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId: input.windowId });
      const depositFen = Number(card.deposit_fen);
      if (
        !(await repo.changeCard(
          trx,
          uid,
          ['issued'],
          { status: 'returned', ticket_id: null, deposit_fen: 0, updated_at: now },
          { ticketId },
        ))
      )
        throw stateConflict(card, ACTIONS.return);
      await this.unbindTicket(trx, ticketId, uid);
      const id = randomUUID();
      await repo.insertReturn(trx, {
        id,
        uid,
        site_id: card.site_id,
        ticket_id: ticketId,
        window_id: input.windowId,
        cashier_id: cashier.id,
        idempotency_key: command.idempotencyKey,
        request_hash: request.hash,
        method: input.method,
        deposit_fen: depositFen,
        at: now,
      });
      // A deposit is no ticket revenue: the journal's refund carries money only, no ticket items.
      await this.deps.takings.record(trx, {
        source: 'refund',
        sourceId: id,
        siteId: card.site_id,
        at: now,
        day: clockOf(site.timezone).dayNumber(now),
        channel: 'window',
        windowId: input.windowId,
        cashierId: cashier.id,
        agencyId: null,
        payments: depositFen > 0 ? [{ method: input.method, amountFen: -depositFen }] : [],
        items: [],
      });
      await repo.appendEvent(trx, {
        ...event(card, now, 'return', context, { ticketId }),
        deposit_fen: -depositFen,
        source_id: id,
      });
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'card.return',
          entity: 'card',
          entityId: uid,
          before: { status: card.status, ticketId, depositFen },
          after: { status: 'returned', returnId: id, refundedFen: depositFen, method: input.method },
        },
        now,
      );
      return id;
    });
    const row = (await repo.findReturn(this.db, outcome.id))!;
    return { value: returnView(row), replayed: outcome.replayed };
  }

  /** The deposit a site charges per card (0 when none is set). */
  async depositOf(
    siteId: string,
    scope: SiteScope = ALL_SITES,
  ): Promise<{ siteId: string; depositFen: number }> {
    await this.deps.venues.getSite(siteId, this.db, scope);
    return { siteId, depositFen: await repo.depositRate(this.db, siteId) };
  }

  async setDeposit(siteId: string, depositFen: number, context: ChangeContext) {
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      await this.deps.venues.getSite(siteId, trx, context.sites ?? ALL_SITES);
      const before = await repo.depositRate(trx, siteId);
      await repo.setDepositRate(trx, siteId, depositFen, now);
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'card.deposit.set',
          entity: 'site',
          entityId: siteId,
          before: { depositFen: before },
          after: { depositFen },
        },
        now,
      );
      return { siteId, depositFen };
    });
  }

  /**
   * A gate's recycler kept the card of this exit: the card is unbound and may be sold again. Runs inside the passage
   * ingestion's transaction (passage-hook.ts); a ticket carrying no card (a replayed or odd event) changes nothing.
   */
  async recycled(trx: Connection, ticketId: number, eventId: string, at: number): Promise<void> {
    const ticket = await findTicketRow(trx, ticketId);
    const uid = ticket?.card_uid;
    if (!uid) return;
    const card = await this.adopt(trx, uid, await repo.findCard(trx, uid), ticketId);
    if (card.status !== 'issued') return;
    if (
      !(await repo.changeCard(
        trx,
        card.uid,
        ['issued'],
        { status: 'recycled', ticket_id: null, deposit_fen: 0, updated_at: at },
        { ticketId },
      ))
    )
      return;
    await this.unbindTicket(trx, ticketId, card.uid);
    await repo.appendEvent(trx, {
      uid: card.uid,
      site_id: card.site_id,
      at,
      action: 'recycle',
      ticket_id: ticketId,
      deposit_fen: 0,
      actor_id: null,
      other_uid: null,
      source_id: eventId,
    });
  }

  /**
   * The card as a change finds it, visible to the change's operator (NOT_FOUND otherwise). The ticket carrying the
   * UID (tickets.card_uid, newest first) is the one the gates know, so it decides: a card bound before cards had rows,
   * or moved to another ticket by a supplement's reissue or upgrade (which set tickets.card_uid themselves), is
   * brought up to date here, and no such card escapes a loss report.
   */
  private async found(trx: Connection, uid: string, context: ChangeContext): Promise<repo.CardRow> {
    const scope = context.sites ?? ALL_SITES;
    const card = await repo.findCard(trx, uid);
    if (card && !coversSite(scope, card.site_id))
      throw new AppError('NOT_FOUND', { resource: CARD, id: uid });
    const [bearer] = await ticketIdsBy(trx, 'card_uid', uid, scope);
    if (bearer !== undefined) return this.adopt(trx, uid, card, bearer);
    if (!card) throw new AppError('NOT_FOUND', { resource: CARD, id: uid });
    return card;
  }

  /** The card's row made to say it is issued on `ticketId`, which carries its UID (see `found`). */
  private async adopt(
    trx: Connection,
    uid: string,
    card: repo.CardRow | undefined,
    ticketId: number,
  ): Promise<repo.CardRow> {
    if (card && (card.status === 'lost' || card.status === 'blocked')) return card;
    if (card?.status === 'issued' && Number(card.ticket_id) === ticketId) return card;
    const now = this.now();
    const ticket = await findTicketRow(trx, ticketId);
    if (!ticket) throw new AppError('NOT_FOUND', { resource: CARD, id: uid });
    // A deposit is known only for a card this module issued; a card it never saw holds none.
    const depositFen = card?.status === 'issued' ? Number(card.deposit_fen) : 0;
    const row = {
      uid,
      site_id: ticket.site_id,
      ticket_id: ticketId,
      deposit_fen: depositFen,
      created_at: card ? Number(card.created_at) : now,
      updated_at: now,
    };
    await repo.issueCard(trx, row);
    return { ...row, status: 'issued', replaced_by: null };
  }

  /** The ticket stops answering to `uid` (only if it still does: a reissue may have moved it already). */
  private async unbindTicket(trx: Connection, ticketId: number, uid: string): Promise<void> {
    const ticket = await this.deps.tickets.get(ticketId, trx).catch(() => undefined);
    if (ticket?.cardUid === uid) await this.deps.tickets.change(trx, ticketId, 'update', { cardUid: null });
  }
}

function event(
  card: repo.CardRow,
  at: number,
  action: repo.CardEventRow['action'],
  context: ChangeContext,
  extra: { ticketId: number; otherUid?: string },
) {
  return {
    uid: card.uid,
    site_id: card.site_id,
    at,
    action,
    ticket_id: extra.ticketId,
    deposit_fen: 0,
    actor_id: context.actor?.id ?? null,
    other_uid: extra.otherUid ?? null,
    source_id: null,
  };
}

export function cardView(card: repo.CardRow, history: readonly repo.CardEventRow[]): CardView {
  return {
    uid: card.uid,
    siteId: card.site_id,
    status: card.status as CardStatus,
    ticketId: card.ticket_id === null ? null : Number(card.ticket_id),
    depositFen: Number(card.deposit_fen),
    replacedBy: card.replaced_by,
    createdAt: Number(card.created_at),
    updatedAt: Number(card.updated_at),
    history: history.map((e) => ({
      at: Number(e.at),
      action: e.action,
      ticketId: e.ticket_id === null ? null : Number(e.ticket_id),
      depositFen: Number(e.deposit_fen),
      actorId: e.actor_id,
      otherUid: e.other_uid,
      sourceId: e.source_id,
    })),
  };
}

function returnView(row: NonNullable<Awaited<ReturnType<typeof repo.findReturn>>>): CardReturn {
  return {
    id: row.id,
    cardUid: row.uid,
    siteId: row.site_id,
    ticketId: Number(row.ticket_id),
    windowId: row.window_id,
    method: row.method as CardReturn['method'],
    depositFen: Number(row.deposit_fen),
    at: Number(row.at),
  };
}
