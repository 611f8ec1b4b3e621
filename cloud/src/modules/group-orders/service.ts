/**
 * Group orders (团队订单): a group books a visit date (and slot) with type lines and a headcount, holds the places
 * until the hold lapses, is confirmed (paid from its agency's ledger, or to be paid at the window), may be modified
 * or cancelled before pick-up, picks its tickets up at the window (one group code per line or one ticket each), and
 * is closed after the visit with its unused persons refunded by its policy.
 *
 * Every change is one audited transaction that asks states.ts whether the order may move, writes the order only
 * while it is still in the state the change was decided on (so the expiry sweep and a confirmation cannot both
 * win), takes or gives back places through the capacity service and money through the agency ledger in that same
 * transaction, and appends the transition to the order's log and the operation log (changes.ts).
 *
 * Idempotent create: the client's reference is unique per agency (or per creating operator without one); the same
 * reference with the same body answers the first order, with another body 409 ORDER_REFERENCE_CONFLICT.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { GroupOrderPolicy } from '../../config.js';
import { isUniqueViolation } from '../../db/constraint-errors.js';
import { requestHashOf } from '../../db/idempotency.js';
import type { Database } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import { type AuditActor, auditedTransaction, SYSTEM_ACTOR } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { IdempotentResult } from '../../platform/idempotent-reply.js';
import { dayNumberOf, parseIsoDate } from '../../platform/identity/civil-date.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, assertSiteInScope, type SiteScope } from '../../platform/site-scope.js';
import type { AgencyAccounts } from '../agencies/contract.js';
import { clockOf, dayOfIsoDate, isoDateOfDay } from '../capacity/local-time.js';
import type { CapacityService } from '../capacity/service.js';
import type { SigningKeys } from '../signing-keys/keys.js';
import type { CredentialSecrets } from '../signing-keys/secrets.js';
import type { TakingsRecorder } from '../takings/contract.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import type { TicketsService } from '../tickets/service.js';
import type { VenuesService } from '../venues/service.js';
import { type OrderChange, recordTransition } from './changes.js';
import { modifyOrder } from './modify.js';
import { type BookingEvents, notifyPartner } from './partner-events.js';
import { type OctoStatus, type OrderForStatus, octoStatusOf } from './partner-status.js';
import { closeOrder, pickUpOrder } from './pickup.js';
import {
  cancelFreeUntil,
  cancellationFee,
  requireBookableDay,
  requireLiveHold,
  visitorsDueAt,
} from './policy.js';
import * as repo from './repo.js';
import { createDetails, hasRealName, lineRows, newOrderRow } from './rows.js';
import type {
  CancelGroupOrder,
  CloseGroupOrder,
  CreateGroupOrder,
  GroupOrder,
  GroupOrderPage,
  ListGroupOrdersQuery,
  ModifyGroupOrder,
  OrderVisitors,
  PickUp,
} from './schemas.js';
import { ORDER_STATES, type OrderAction, type OrderState, transition } from './states.js';
import { agencyAccountTaking } from './takings.js';
import { priceOrder } from './terms.js';
import { type OrderViewKind, orderCore, orderView, summaryOf, type ViewOf } from './view.js';
import { checkedVisitors, requireVisitorsFit } from './visitors.js';

type Db = Kysely<Database>;

const ORDER: Localized = { 'zh-CN': '团队订单', en: 'Group order' };
const HOLD_SWEEP_BATCH = 100;

export interface GroupOrdersDependencies {
  readonly venues: VenuesService;
  readonly ticketTypes: TicketTypesService;
  readonly capacity: CapacityService;
  readonly tickets: TicketsService;
  readonly keys: SigningKeys;
  readonly secrets: () => CredentialSecrets;
  readonly maxChangeFen: number;
  readonly policy: GroupOrderPolicy;
  /** The agencies module (contract.ts); without it only the venue's own orders can be placed. */
  readonly agencies?: AgencyAccounts;
  /** The partners' webhooks outbox (partner-events.ts); without it the channel's partners hear nothing. */
  readonly events?: BookingEvents;
  /** The takings journal: every money movement and ticket issue of an order, in its transaction (takings.ts). */
  readonly takings: TakingsRecorder;
}

/** Who asks: the change context, the agency they act for (null for the venue's staff), whether they manage orders. */
export interface OrderRequester {
  readonly context: ChangeContext;
  readonly agencyId: string | null;
  /** Holds groups.manage: every order of their sites; otherwise only their agency's or their own orders. */
  readonly manages: boolean;
  /**
   * A partner's channel API key (channel module): its orders remember it (webhooks, the key's own list). A key of
   * an agency sees its agency's orders; a key without one only the orders it placed.
   */
  readonly channelKeyId?: string;
}

function viewerOf(requester: OrderRequester): repo.OrderViewer {
  if (requester.agencyId !== null) return { agencyId: requester.agencyId };
  if (requester.channelKeyId !== undefined) return { channelKeyId: requester.channelKeyId };
  if (!requester.manages) return { createdById: requester.context.actor?.id ?? '' };
  return {};
}

function scopeOf(requester: OrderRequester): SiteScope {
  return requester.context.sites ?? ALL_SITES;
}

export class GroupOrdersService {
  constructor(
    private readonly db: Db,
    private readonly deps: GroupOrdersDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  /** The agency an operator acts for (agencies contract), null for the venue's staff or without the module. */
  async agencyOf(operatorId: string): Promise<string | null> {
    return this.deps.agencies ? this.deps.agencies.agencyOfOperator(operatorId) : null;
  }

  /**
   * Places the order on hold. `view` 'partner' answers the channel's lighter view (view.ts `orderCore`), built from
   * what the transaction wrote instead of read back; a replay answers the order as `get` shows it.
   */
  async create<K extends OrderViewKind = 'full'>(
    input: CreateGroupOrder,
    requester: OrderRequester,
    view?: K,
  ): Promise<IdempotentResult<ViewOf<K> | GroupOrder>> {
    assertSiteInScope(scopeOf(requester), input.siteId);
    if (requester.agencyId !== null && input.agencyId !== undefined && input.agencyId !== requester.agencyId)
      throw new AppError('ORDER_AGENCY_FORBIDDEN');
    const agencyId = requester.agencyId ?? input.agencyId ?? null;
    const actor = requester.context.actor ?? SYSTEM_ACTOR;
    const referenceScope = referenceScopeOf(requester, agencyId);
    const hash = requestHashOf({ ...input, agencyId });
    // ID numbers are checked and hashed once, before the transaction.
    const visitors = checkedVisitors(input.visitors ?? [], this.deps.secrets);
    const replayOf = async (db: Connection) => {
      const earlier = await repo.findByReference(db, referenceScope, input.reference);
      if (earlier && earlier.request_hash !== hash)
        throw new AppError('ORDER_REFERENCE_CONFLICT', { reference: input.reference });
      return earlier?.id;
    };
    const written: { order?: ViewOf<K> } = {};
    let id: string;
    try {
      id = await auditedTransaction(this.db, async (trx) => {
        const earlier = await replayOf(trx);
        if (earlier !== undefined) return earlier;
        const now = this.now();
        const site = await this.deps.venues.getSite(input.siteId, trx);
        const visitOn = parseIsoDate(input.visitDate)!;
        const visitDay = dayNumberOf(visitOn);
        requireBookableDay(input.visitDate, visitDay, clockOf(site.timezone).dayNumber(now));
        const priced = await priceOrder(this.deps, trx, {
          siteId: input.siteId,
          agencyId,
          visitDate: input.visitDate,
          visitOn,
          lines: input.lines,
        });
        requireVisitorsFit(priced.lines, visitors, 'at_most');
        const claim = await this.deps.capacity.consume(trx, {
          siteId: input.siteId,
          visitDate: input.visitDate,
          visitDay,
          slotId: input.slotId ?? null,
          persons: priced.headcount,
        });
        const { policy } = this.deps;
        const orderId = randomUUID();
        const row = newOrderRow({
          id: orderId,
          input,
          agencyId,
          referenceScope,
          hash,
          visitDay,
          claim,
          priced,
          policy,
          visitorsDueAt: visitorsDueAt(visitDay, site.timezone, policy, hasRealName(priced)),
          actor,
          channelKeyId: requester.channelKeyId ?? null,
          now,
        });
        const lines = lineRows(orderId, priced);
        const visitorRows = visitors.map((v, i) => ({ order_id: orderId, seq: i + 1, ...v.row }));
        await repo.insertOrder(trx, row, lines, visitorRows);
        await recordTransition(trx, {
          order: row,
          action: 'create',
          from: null,
          to: 'held',
          context: requester.context,
          at: now,
          details: createDetails(row, priced),
          seq: 1,
        });
        written.order = (await (view === 'partner'
          ? orderCore(trx, row, site.timezone, { lines, visitors: visitorRows })
          : orderView(trx, this.deps.tickets, row, site.timezone, now))) as ViewOf<K>;
        return orderId;
      });
    } catch (error) {
      // A parallel create with the same reference won the insert: answer its order (or refuse another body).
      if (!isUniqueViolation(error)) throw error;
      const winner = await replayOf(this.db);
      if (winner === undefined) throw error;
      id = winner;
    }
    if (written.order?.id === id) return { value: written.order, replayed: false };
    return { value: await this.get(id, requester), replayed: true };
  }

  async get(orderId: string, requester: OrderRequester): Promise<GroupOrder> {
    const row = await this.find(this.db, orderId, requester);
    return orderView(
      this.db,
      this.deps.tickets,
      row,
      await this.timeZoneOf(this.db, row.site_id),
      this.now(),
    );
  }

  /**
   * The order a client's reference placed (the reference is unique per agency, per channel key without an agency,
   * or per operator), as `get` shows it to this requester.
   */
  async getByReference(reference: string, requester: OrderRequester): Promise<GroupOrder> {
    const row = await repo.findOrderByReference(
      this.db,
      referenceScopeOf(requester, requester.agencyId),
      reference,
      scopeOf(requester),
      viewerOf(requester),
    );
    if (!row) throw new AppError('NOT_FOUND', { resource: ORDER, id: reference });
    return orderView(
      this.db,
      this.deps.tickets,
      row,
      await this.timeZoneOf(this.db, row.site_id),
      this.now(),
    );
  }

  /** The order's status in OCTO's words now (partner-status.ts). */
  octoStatus(order: OrderForStatus): OctoStatus {
    return octoStatusOf(order, this.now());
  }

  async list(
    query: ListGroupOrdersQuery & { channelKeyId?: string },
    requester: OrderRequester,
  ): Promise<GroupOrderPage> {
    const visitDay = query.visitDate === undefined ? undefined : dayOfIsoDate(query.visitDate);
    const { rows, total, counts } = await repo.listOrders(
      this.db,
      { ...query, ...(visitDay !== undefined && { visitDay }) },
      scopeOf(requester),
      viewerOf(requester),
    );
    const zones = new Map<string, string>();
    for (const row of rows)
      if (!zones.has(row.site_id)) zones.set(row.site_id, await this.timeZoneOf(this.db, row.site_id));
    return {
      orders: rows.map((row) => summaryOf(row, zones.get(row.site_id)!)),
      total,
      counts: Object.fromEntries(ORDER_STATES.map((state) => [state, counts[state] ?? 0])) as Record<
        OrderState,
        number
      >,
    };
  }

  /** Held → confirmed: a ledger agency pays its total now; an order paid at the window no longer lapses. */
  confirm<K extends OrderViewKind = 'full'>(
    orderId: string,
    requester: OrderRequester,
    view?: K,
  ): Promise<ViewOf<K>> {
    return this.change(
      orderId,
      requester,
      'confirm',
      async ({ trx, row, now, actor }) => {
        requireLiveHold(row, now);
        const paid = row.payment_mode === 'window' ? 0 : row.total_fen;
        if (paid > 0) {
          await this.ledger().debit(trx, this.money(row, paid, now, 'order_debit', actor));
          await this.agencyTaking(trx, row, now, [paid]);
        }
        return { patch: { hold_expires_at: null, paid_fen: paid }, details: { paidFen: paid } };
      },
      view,
    );
  }

  /** The real-name visitor list, replaced as a whole until it is due. */
  setVisitors(orderId: string, input: OrderVisitors, requester: OrderRequester): Promise<GroupOrder> {
    const visitors = checkedVisitors(input.visitors, this.deps.secrets);
    return this.change(orderId, requester, 'visitors', async ({ trx, row, now }) => {
      requireLiveHold(row, now);
      if (row.visitors_due_at !== null && now >= row.visitors_due_at)
        throw new AppError('ORDER_VISITORS_CLOSED', {
          dueAt: await this.localTime(trx, row.site_id, row.visitors_due_at),
        });
      requireVisitorsFit(await this.pricedLinesOf(trx, row), visitors, 'at_most');
      await repo.replaceVisitors(
        trx,
        row.id,
        visitors.map((v, i) => ({ order_id: row.id, seq: i + 1, ...v.row })),
      );
      return { patch: {}, details: { visitors: visitors.length } };
    });
  }

  /**
   * Lines, date or slot before pick-up: the old places are given back and the new ones taken in one transaction
   * (so a decrease frees places and an increase is refused when they are gone), the lines priced again at today's
   * terms, and for an order already paid from the ledger the difference debited or credited.
   */
  modify(orderId: string, input: ModifyGroupOrder, requester: OrderRequester): Promise<GroupOrder> {
    return this.change(orderId, requester, 'modify', (step) => {
      const { trx, row, now } = step;
      requireLiveHold(row, now);
      return modifyOrder(this.deps, step, input, {
        release: () => this.releasePlaces(trx, row),
        debit: async (fen) => {
          await this.ledger().debit(trx, this.money(row, fen, now, 'order_debit', step.actor));
          await this.agencyTaking(trx, row, now, [fen]);
        },
        credit: async (fen) => {
          await this.ledger().credit(trx, this.money(row, fen, now, 'cancellation_credit', step.actor));
          await this.agencyTaking(trx, row, now, [-fen]);
        },
      });
    });
  }

  /**
   * Held or confirmed → cancelled: the places are given back; what the agency paid is credited back and, after the
   * order's cut-off, the fee debited (policy.ts).
   */
  cancel(orderId: string, input: CancelGroupOrder, requester: OrderRequester): Promise<GroupOrder> {
    return this.change(orderId, requester, 'cancel', async ({ trx, row, now, actor }) => {
      await this.releasePlaces(trx, row);
      const timeZone = await this.timeZoneOf(trx, row.site_id);
      const fee = cancellationFee(
        {
          paidFen: row.paid_fen,
          freeUntil: cancelFreeUntil(row.visit_day, timeZone, row.cancel_free_hours),
          feePermille: row.cancel_fee_permille,
        },
        now,
      );
      if (row.paid_fen > 0) {
        await this.ledger().credit(trx, this.money(row, row.paid_fen, now, 'cancellation_credit', actor));
        if (fee > 0) await this.ledger().debit(trx, this.money(row, fee, now, 'fee', actor));
        await this.agencyTaking(trx, row, now, [-row.paid_fen, fee]);
      }
      const cancelled: repo.OrderRow = { ...row, state: 'cancelled', hold_expires_at: null };
      await notifyPartner(this.deps.events, trx, cancelled, 'booking.cancelled', now, {
        feeFen: fee,
        ...(input.reason && { reason: input.reason }),
      });
      if (row.paid_fen - fee > 0)
        await notifyPartner(this.deps.events, trx, cancelled, 'booking.refunded', now, {
          refund: 'cancellation_credit',
          amountFen: row.paid_fen - fee,
          feeFen: fee,
        });
      return {
        patch: { hold_expires_at: null, fee_fen: fee, refunded_fen: row.paid_fen - fee, paid_fen: fee },
        details: { feeFen: fee, creditedFen: row.paid_fen, ...(input.reason && { reason: input.reason }) },
      };
    });
  }

  /** Confirmed → picked up at the window: paid there (unless paid from the ledger) and the tickets issued. */
  async pickUp(orderId: string, input: PickUp, requester: OrderRequester): Promise<GroupOrder> {
    // Outside the transaction: the first signing of an installation may create the key in its own transaction.
    const signer = await this.deps.keys.active();
    return this.change(orderId, requester, 'pick_up', (step) =>
      pickUpOrder(this.deps, step, input, signer, this.pricedLinesOf.bind(this)),
    );
  }

  /** Picked up → closed once the visit day is over: unused persons refunded by the order's policy. */
  close(orderId: string, input: CloseGroupOrder, requester: OrderRequester): Promise<GroupOrder> {
    return this.change(orderId, requester, 'close', async (step) => {
      const change = await closeOrder(this.deps, step, input, (trx, row, fen, at) =>
        this.ledger().credit(trx, this.money(row, fen, at, 'refund_credit', step.actor)),
      );
      const { refundFen, unusedPersons } = change.details as { refundFen: number; unusedPersons: number };
      if (refundFen > 0)
        await notifyPartner(
          this.deps.events,
          step.trx,
          { ...step.row, ...change.patch, state: 'closed' },
          'booking.refunded',
          step.now,
          { refund: 'unused_persons', amountFen: refundFen, unusedPersons },
        );
      return change;
    });
  }

  /**
   * The expiry sweep: every held order whose hold lapsed by now gives its places back and becomes expired, each in
   * its own transaction (a confirmation that got there first wins: the order is no longer held). Answers how many
   * expired.
   */
  async expireLapsed(): Promise<number> {
    let expired = 0;
    for (;;) {
      const ids = await repo.lapsedHolds(this.db, this.now(), HOLD_SWEEP_BATCH);
      for (const id of ids) {
        const done = await this.apply(
          id,
          { context: { actor: SYSTEM_ACTOR, ip: null }, agencyId: null, manages: true },
          'expire',
          async ({ trx, row, now }) => {
            if (row.hold_expires_at === null || row.hold_expires_at > now) return null;
            await this.releasePlaces(trx, row);
            await notifyPartner(
              this.deps.events,
              trx,
              { ...row, state: 'expired', hold_expires_at: null },
              'booking.expired',
              now,
              { holdExpiredAt: row.hold_expires_at },
            );
            return { patch: {}, details: { holdExpiresAt: row.hold_expires_at } };
          },
        ).then(
          (order) => order !== null,
          (error: unknown) => {
            // Confirmed or cancelled meanwhile: nothing to expire.
            if (error instanceof AppError && error.code === 'ORDER_STATE_INVALID') return false;
            throw error;
          },
        );
        if (done) expired++;
      }
      if (ids.length < HOLD_SWEEP_BATCH) return expired;
    }
  }

  /** A transition whose work always changes the order (see apply). */
  private async change<K extends OrderViewKind = 'full'>(
    orderId: string,
    requester: OrderRequester,
    action: OrderAction,
    work: (step: OrderStep) => Promise<OrderChange>,
    view?: K,
  ): Promise<ViewOf<K>> {
    return (await this.apply(orderId, requester, action, work, view))!;
  }

  /**
   * One transition in one audited transaction: the order as the requester may see it, the state it may move to
   * (states.ts), the change's own work, then the order written only if still in the state it was read in, and the
   * transition logged and audited. `work` answering null changes nothing (and the answer is null).
   */
  private apply<K extends OrderViewKind = 'full'>(
    orderId: string,
    requester: OrderRequester,
    action: OrderAction,
    work: (step: OrderStep) => Promise<OrderChange | null>,
    view?: K,
  ): Promise<ViewOf<K> | null> {
    return auditedTransaction(this.db, async (trx) => {
      const row = await this.find(trx, orderId, requester);
      const to = transition(action, row.state);
      const now = this.now();
      const change = await work({
        trx,
        row,
        now,
        actorId: requester.context.actor?.id ?? null,
        actor: requester.context.actor ?? null,
      });
      if (change === null) return null;
      const patch = { ...change.patch, state: to, updated_at: now };
      // Both engines serialise these transactions, so this guard only fires if that ever stops being true.
      if (!(await repo.updateOrder(trx, row.id, row.state, patch)))
        throw new AppError('CONFLICT', {
          reason: { 'zh-CN': '订单已被同时修改，请重试', en: 'the order changed meanwhile: try again' },
        });
      const updated: repo.OrderRow = { ...row, ...patch };
      await recordTransition(trx, {
        order: updated,
        action,
        from: row.state,
        to,
        context: requester.context,
        at: now,
        details: change.details,
      });
      const timeZone = await this.timeZoneOf(trx, row.site_id);
      return (
        view === 'partner'
          ? orderCore(trx, updated, timeZone)
          : orderView(trx, this.deps.tickets, updated, timeZone, now)
      ) as Promise<ViewOf<K>>;
    });
  }

  private async find(db: Connection, orderId: string, requester: OrderRequester): Promise<repo.OrderRow> {
    const row = await repo.findOrder(db, orderId, scopeOf(requester), viewerOf(requester));
    if (!row) throw new AppError('NOT_FOUND', { resource: ORDER, id: orderId });
    return row;
  }

  private async releasePlaces(trx: Connection, row: repo.OrderRow): Promise<void> {
    await this.deps.capacity.release(trx, {
      siteId: row.site_id,
      visitDate: isoDateOfDay(row.visit_day),
      visitDay: row.visit_day,
      slotId: row.slot_id,
      persons: row.headcount,
    });
  }

  private async pricedLinesOf(trx: Connection, row: repo.OrderRow) {
    const lines = await repo.linesOf(trx, row.id);
    return Promise.all(
      lines.map(async (line) => ({
        lineNo: line.line_no,
        quantity: line.quantity,
        unitPriceFen: line.unit_price_fen,
        type: await this.deps.ticketTypes.getVersion(line.type_id, line.type_version, trx),
      })),
    );
  }

  private ledger(): AgencyAccounts {
    if (!this.deps.agencies) throw new AppError('ORDER_AGENCIES_UNAVAILABLE');
    return this.deps.agencies;
  }

  /** The agency account's movements of one change, as one taking on the site's day (takings.ts). */
  private async agencyTaking(trx: Connection, row: repo.OrderRow, at: number, signedFen: number[]) {
    const day = clockOf(await this.timeZoneOf(trx, row.site_id)).dayNumber(at);
    await this.deps.takings.record(trx, agencyAccountTaking(row, { at, day }, signedFen));
  }

  private money<K extends string>(
    row: repo.OrderRow,
    amountFen: number,
    at: number,
    kind: K,
    actor: AuditActor | null,
  ) {
    return { agencyId: row.agency_id!, orderId: row.id, amountFen, at, note: row.reference, kind, actor };
  }

  private async timeZoneOf(db: Connection, siteId: string): Promise<string> {
    return (await this.deps.venues.getSite(siteId, db)).timezone;
  }

  private async localTime(db: Connection, siteId: string, at: number): Promise<string> {
    const timeZone = await this.timeZoneOf(db, siteId);
    return new Date(at).toLocaleString('sv-SE', { timeZone }).slice(0, 16);
  }
}

/** Where a client's reference is unique: per agency, else per channel key, else per operator. */
function referenceScopeOf(requester: OrderRequester, agencyId: string | null): string {
  if (agencyId !== null) return `agency:${agencyId}`;
  if (requester.channelKeyId !== undefined) return `key:${requester.channelKeyId}`;
  return `operator:${requester.context.actor?.id ?? 'system'}`;
}

export interface OrderStep {
  readonly trx: Connection;
  readonly row: repo.OrderRow;
  readonly now: number;
  /** The operator making the change (a taking at the window names them); null for the system and partners. */
  readonly actorId: string | null;
  /** Who makes the change, as the agency ledger shows it ("by"): operator, partner key or the system. */
  readonly actor: AuditActor | null;
}

export type { OrderState };
