/**
 * Supplementary tickets (补票), each one audited transaction with its payments, like a window sale:
 * - upgrade / extension: pay the difference to another type or a later visit date. The old credential is revoked,
 *   its places go back to capacity and the new date's are taken, and a new ticket is issued under the same sale
 *   line (so the sale's printouts and refunds see it) carrying the stub barcode, card and holder over;
 * - fee: an overstay or re-entry charge (the type's standing rate or an amount given with a reason); a re-entry also
 *   gives back one entry of a used ticket, which the gates learn from the feed;
 * - reissue: a lost ticket's credential is revoked and a new one issued with the same remaining rights (validity,
 *   entries left, slot, holder) — never the lost stub's barcode — for an optional fee.
 * Every credential change goes through TicketsService (feed rows); the supplement row links old and new tickets.
 *
 * Order of work, as for refunds: the idempotency key is looked up first (a replay needs no approver again); the
 * supplement is quoted once outside the transaction to learn its amount, because above the second-approval
 * threshold another operator holding supplements.approve must approve it (a password check: slow, never inside a
 * transaction); the transaction quotes again on what it reads and refuses if the amount moved in between.
 *
 * Races: audited transactions run one after another, so of parallel upgrades or reissues of one ticket the first
 * revokes it and the rest find it revoked (TICKET_STATE_CONFLICT); a partial unique index on the replaced ticket
 * is the last line (CONFLICT).
 */
import { randomUUID } from 'node:crypto';
import { checkCardUid, QR_FLAGS, type SigningKeyPair } from '@scenic/protocol';
import type { Kysely, Transaction } from 'kysely';
import { type IdempotentRequest, idempotentWrite, replayedId, requestHashOf } from '../../db/idempotency.js';
import type { Database } from '../../db/schema.js';
import { transaction } from '../../db/transaction.js';
import { type AuditActor, auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import { requireSecondApproval } from '../../platform/auth/second-approval.js';
import type { AuthService, ClientInfo } from '../../platform/auth/service.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { clockOf, dayOfIsoDate, isoDateOfDay } from '../capacity/local-time.js';
import type { CapacityService } from '../capacity/service.js';
import type { Cashier } from '../sales/service.js';
import type { SigningKeys } from '../signing-keys/keys.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import { findTicketRow, type TicketRow } from '../tickets/repo.js';
import type { TicketsService, TicketToIssue } from '../tickets/service.js';
import { validityWindow } from '../tickets/validity.js';
import type { VenuesService } from '../venues/service.js';
import * as repo from './repo.js';
import type { CreateSupplement, FeeRate, ListSupplementsQuery, Supplement } from './schemas.js';
import type { FeeReason } from './tables.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type Upgrade = Extract<CreateSupplement, { kind: 'upgrade' }>;
type Fee = Extract<CreateSupplement, { kind: 'fee' }>;
type Reissue = Extract<CreateSupplement, { kind: 'reissue' }>;

const SUPPLEMENT: Localized = { 'zh-CN': '补票单', en: 'Supplement' };
const TICKET: Localized = { 'zh-CN': '票', en: 'Ticket' };
const REPLACED: Localized = { 'zh-CN': '升级或补办', en: 'upgraded or reissued' };
const READMITTED: Localized = { 'zh-CN': '再次入园', en: 're-admitted' };
const CHARGED: Localized = { 'zh-CN': '收取费用', en: 'charged a fee' };
const MAX_ADVANCE_DAYS = 365;

export interface SupplementsDependencies {
  readonly venues: VenuesService;
  readonly ticketTypes: TicketTypesService;
  readonly capacity: CapacityService;
  readonly tickets: TicketsService;
  readonly keys: SigningKeys;
  /** Checks a second operator's approval; only a service that records supplements needs it (not lookups). */
  readonly auth?: AuthService;
}

interface Outcome {
  readonly siteId: string;
  readonly newTicketId: number | null;
  readonly amountFen: number;
  readonly reason: string | null;
  readonly note: string | null;
}

/** What an upgrade will be, worked out from reads alone (the quote that decides on approval, then the write). */
interface UpgradePlan {
  readonly siteTimezone: string;
  readonly type: Awaited<ReturnType<TicketTypesService['get']>>;
  readonly visitDate: string;
  readonly visitDay: number;
  readonly holder: TicketToIssue['holder'];
  readonly quote: Awaited<ReturnType<TicketTypesService['priceFor']>>;
  readonly amountFen: number;
}

/** The approver's password never enters the hash (nor anything stored). */
function requestHash(input: CreateSupplement): string {
  const { approval, ...rest } = input;
  return requestHashOf(rest);
}

/** Same rule as window sales: payments cover the amount exactly, except cash, whose excess is change. */
function settle(amountFen: number, payments: CreateSupplement['payments']) {
  const paidFen = payments.reduce((sum, p) => sum + p.amountFen, 0);
  const cashFen = payments.filter((p) => p.method === 'cash').reduce((sum, p) => sum + p.amountFen, 0);
  const mismatch = (zh: string, en: string) =>
    new AppError('PAYMENT_MISMATCH', { paid: paidFen, total: amountFen, reason: { 'zh-CN': zh, en } });
  if (paidFen < amountFen) throw mismatch('付款不足', 'not enough paid');
  const changeFen = paidFen - amountFen;
  if (changeFen > 0 && changeFen >= cashFen)
    throw mismatch('只有现金可以多付找零', 'only cash may exceed the total (change is given in cash)');
  return { paidFen, changeFen };
}

function holderOf(row: TicketRow): TicketToIssue['holder'] {
  return row.holder_name === null
    ? null
    : { name: row.holder_name, idMasked: row.holder_id_masked ?? '', idHash: row.holder_id_hash ?? '' };
}

export class SupplementsService {
  constructor(
    private readonly db: Db,
    private readonly deps: SupplementsDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  async supplement(
    input: CreateSupplement,
    idempotencyKey: string,
    cashier: Cashier,
    context: ChangeContext,
    client: ClientInfo = { ip: context.ip, userAgent: null },
  ): Promise<{ supplement: Supplement; replayed: boolean }> {
    const key: IdempotentRequest = {
      table: 'supplements',
      cashierId: cashier.id,
      key: idempotencyKey,
      hash: requestHash(input),
    };
    const replay = await replayedId(this.db, key);
    if (replay !== undefined) return { supplement: await this.get(replay), replayed: true };
    // One snapshot: the ticket, its type and the rates as of the same moment.
    const previewFen = await transaction(this.db, (trx) => this.amountOf(trx, input, this.now()));
    if (!this.deps.auth) throw new Error('SupplementsService records supplements only with an AuthService');
    const approver = await requireSecondApproval(
      this.deps.auth,
      this.db,
      { actor: cashier, amountFen: previewFen, approval: input.approval, permission: 'supplements.approve' },
      client,
    );
    // Outside the transaction: the first credential of an installation may create the signing key.
    const signer = await this.deps.keys.active();
    const outcome = await idempotentWrite(
      this.db,
      key,
      (trx) => this.record(trx, input, key, cashier, approver, context, signer, previewFen),
      () =>
        new AppError('CONFLICT', {
          reason: {
            'zh-CN': '该票已在另一笔补票中升级或补办',
            en: 'the ticket was upgraded or reissued by another request',
          },
        }),
    );
    return { supplement: await this.get(outcome.id), replayed: outcome.replayed };
  }

  async get(id: string): Promise<Supplement> {
    const row = await repo.findSupplement(this.db, id);
    if (!row) throw new AppError('NOT_FOUND', { resource: SUPPLEMENT, id });
    return this.view(row);
  }

  async list(query: ListSupplementsQuery): Promise<Supplement[]> {
    return Promise.all((await repo.listSupplements(this.db, query)).map((row) => this.view(row)));
  }

  /** Supplements that concern or issued any of these tickets (the validity lookup's history). */
  async ofTickets(ticketIds: readonly number[]): Promise<Supplement[]> {
    return Promise.all((await repo.supplementsOfTickets(this.db, ticketIds)).map((row) => this.view(row)));
  }

  async feeRates(): Promise<FeeRate[]> {
    return (await repo.feeRates(this.db)).map((r) => ({
      typeId: r.type_id,
      reason: r.reason,
      amountFen: r.amount_fen,
    }));
  }

  /** Sets a type's standing overstay or re-entry fee, audited. */
  async setFeeRate(rate: FeeRate, context: ChangeContext): Promise<FeeRate> {
    return auditedTransaction(this.db, async (trx) => {
      await this.deps.ticketTypes.get(rate.typeId, trx);
      const before = await repo.feeRate(trx, rate.typeId, rate.reason);
      const now = this.now();
      await repo.setFeeRate(trx, rate.typeId, rate.reason, rate.amountFen, now);
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'supplement_fee_rate.update',
          entity: 'ticket_type',
          entityId: rate.typeId,
          before: before === undefined ? null : { reason: rate.reason, amountFen: before },
          after: rate,
        },
        now,
      );
      return rate;
    });
  }

  private async view(row: repo.SupplementRow): Promise<Supplement> {
    return {
      id: row.id,
      siteId: row.site_id,
      kind: row.kind,
      ticketId: row.ticket_id,
      newTicketId: row.new_ticket_id,
      reason: row.reason,
      note: row.note,
      amountFen: row.amount_fen,
      paidFen: row.paid_fen,
      changeFen: row.change_fen,
      cashier: { id: row.cashier_id, username: row.cashier_username },
      approvedBy:
        row.approved_by_id === null
          ? null
          : { id: row.approved_by_id, username: row.approved_by_username ?? '' },
      createdAt: row.created_at,
      payments: row.payments,
      newTicket: row.new_ticket_id === null ? null : await this.deps.tickets.get(row.new_ticket_id),
    };
  }

  /** The ticket the supplement concerns, at a window of its site that is open. */
  private async ticketAt(db: Db, input: CreateSupplement): Promise<TicketRow> {
    const old = await findTicketRow(db, input.ticketId);
    if (!old) throw new AppError('NOT_FOUND', { resource: TICKET, id: input.ticketId });
    const window = await this.deps.venues.getWindow(old.site_id, input.windowId, db);
    if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId: input.windowId });
    return old;
  }

  /** What the supplement charges, with every check that can refuse it, writing nothing. */
  private async amountOf(db: Db, input: CreateSupplement, now: number): Promise<number> {
    const old = await this.ticketAt(db, input);
    if (input.kind === 'upgrade') return (await this.planUpgrade(db, input, old, now)).amountFen;
    if (input.kind === 'fee') return this.feeAmount(db, input, old, now);
    this.requireUsable(old, now);
    return input.feeFen;
  }

  private async record(
    trx: Trx,
    input: CreateSupplement,
    key: IdempotentRequest,
    cashier: Cashier,
    approver: AuditActor | null,
    context: ChangeContext,
    signer: SigningKeyPair,
    previewFen: number,
  ): Promise<string> {
    const now = this.now();
    const old = await this.ticketAt(trx, input);
    const outcome =
      input.kind === 'upgrade'
        ? await this.upgrade(trx, input, old, now, signer)
        : input.kind === 'fee'
          ? await this.fee(trx, input, old, now)
          : await this.reissue(trx, input, old, now, signer);
    // The approval (or its absence) was for the amount quoted before the transaction.
    if (outcome.amountFen !== previewFen)
      throw new AppError('CONFLICT', {
        reason: {
          'zh-CN': '票或价格刚刚变化，请重新办理',
          en: 'the ticket or its price changed meanwhile; try again',
        },
      });
    const { paidFen, changeFen } = settle(outcome.amountFen, input.payments);
    const id = randomUUID();
    await repo.insertSupplement(
      trx,
      {
        id,
        site_id: outcome.siteId,
        kind: input.kind,
        ticket_id: old.id,
        new_ticket_id: outcome.newTicketId,
        reason: outcome.reason,
        note: outcome.note,
        amount_fen: outcome.amountFen,
        paid_fen: paidFen,
        change_fen: changeFen,
        cashier_id: cashier.id,
        cashier_username: cashier.username,
        idempotency_key: key.key,
        request_hash: key.hash,
        approved_by_id: approver?.id ?? null,
        approved_by_username: approver?.username ?? null,
        created_at: now,
      },
      input.payments.map((p, seq) => ({
        supplement_id: id,
        seq: seq + 1,
        method: p.method,
        amount_fen: p.amountFen,
      })),
    );
    await recordAudit(
      trx,
      {
        actor: context.actor,
        ip: context.ip,
        action: `supplement.${input.kind}`,
        entity: 'supplement',
        entityId: id,
        after: {
          kind: input.kind,
          windowId: input.windowId,
          ticketId: old.id,
          newTicketId: outcome.newTicketId,
          reason: outcome.reason,
          amountFen: outcome.amountFen,
          paidFen,
          changeFen,
          payments: input.payments,
          approvedBy: approver,
        },
      },
      now,
    );
    return id;
  }

  private requireUsable(old: TicketRow, now: number): void {
    if (old.status !== 'active')
      throw new AppError('TICKET_STATE_CONFLICT', { ticketId: old.id, status: old.status, action: REPLACED });
    if (now >= old.valid_to) throw new AppError('TICKET_EXPIRED', { ticketId: old.id });
  }

  private async planUpgrade(db: Db, input: Upgrade, old: TicketRow, now: number): Promise<UpgradePlan> {
    this.requireUsable(old, now);
    if (old.entries_used > 0) throw new AppError('TICKET_USED', { ticketId: old.id });
    const site = await this.deps.venues.getSite(old.site_id, db);
    const type = await this.deps.ticketTypes.get(input.toTypeId ?? old.type_id, db);
    if (type.siteId !== old.site_id)
      throw new AppError('TICKET_TYPE_OTHER_SITE', { typeId: type.typeId, siteId: old.site_id });
    const visitDate = input.visitDate ?? isoDateOfDay(old.visit_day);
    const visitDay = dayOfIsoDate(visitDate)!;
    if (type.typeId === old.type_id && visitDay === old.visit_day && input.slotId === undefined)
      throw new AppError('SUPPLEMENT_NOTHING_CHANGES');
    const today = clockOf(site.timezone).dayNumber(now);
    if (visitDay < today || visitDay > today + MAX_ADVANCE_DAYS)
      throw new AppError('VISIT_DATE_OUT_OF_RANGE', {
        date: visitDate,
        from: isoDateOfDay(today),
        to: isoDateOfDay(today + MAX_ADVANCE_DAYS),
      });
    const holder = holderOf(old);
    if (type.realName === 'per_ticket' && !holder)
      throw new AppError('HOLDERS_REQUIRED', { typeId: type.typeId, quantity: 1, count: 0 });
    const quote = await this.deps.ticketTypes.priceFor(
      {
        typeId: type.typeId,
        channel: 'window',
        visitDate,
        ...(type.kind === 'group' && { persons: old.persons }),
      },
      db,
    );
    const amountFen = quote.priceFen - old.price_fen;
    if (amountFen < 0)
      throw new AppError('SUPPLEMENT_PRICE_LOWER', { price: quote.priceFen, paid: old.price_fen });
    return { siteTimezone: site.timezone, type, visitDate, visitDay, holder, quote, amountFen };
  }

  private async upgrade(
    trx: Trx,
    input: Upgrade,
    old: TicketRow,
    now: number,
    signer: SigningKeyPair,
  ): Promise<Outcome> {
    const { siteTimezone, type, visitDate, visitDay, holder, quote, amountFen } = await this.planUpgrade(
      trx,
      input,
      old,
      now,
    );
    await this.deps.capacity.release(trx, {
      siteId: old.site_id,
      visitDate: isoDateOfDay(old.visit_day),
      slotId: old.slot_id,
      persons: old.persons,
    });
    const claim = await this.deps.capacity.consume(trx, {
      siteId: old.site_id,
      visitDate,
      slotId: input.slotId ?? (visitDay === old.visit_day ? old.slot_id : null),
      persons: quote.persons,
    });
    // The stub and the card go over to the new ticket: the visitor keeps what they hold.
    await this.deps.tickets.change(
      trx,
      old.id,
      'revoke',
      { status: 'revoked', barcode: null, cardUid: null },
      { allowedFrom: ['active'], action: REPLACED },
    );
    const { validFrom, validTo } = validityWindow(type.validity, visitDay, now, siteTimezone);
    const [issued] = await this.deps.tickets.issue(
      trx,
      [
        {
          siteId: old.site_id,
          typeId: type.typeId,
          typeVersion: type.version,
          saleId: old.sale_id,
          saleLine: old.sale_line,
          visitDay,
          validFrom,
          validTo,
          entriesTotal: type.entries,
          persons: quote.persons,
          slot: claim.slot,
          holder,
          priceFen: quote.priceFen,
          flags:
            (old.flags & ~(QR_FLAGS.REAL_NAME | QR_FLAGS.GROUP)) |
            (type.kind === 'group' ? QR_FLAGS.GROUP : 0),
          barcode: old.barcode,
          cardUid: old.card_uid,
        },
      ],
      signer,
    );
    return { siteId: old.site_id, newTicketId: issued!.id, amountFen, reason: null, note: null };
  }

  /**
   * A fee's amount, and its checks: a refunded or revoked ticket is no longer the visitor's to be charged on (an
   * overstay may follow expiry or use, so those are allowed); a re-entry needs a used entry to give back.
   */
  private async feeAmount(db: Db, input: Fee, old: TicketRow, now: number): Promise<number> {
    if (old.status === 'refunded' || old.status === 'revoked')
      throw new AppError('TICKET_STATE_CONFLICT', { ticketId: old.id, status: old.status, action: CHARGED });
    let amountFen = input.amountFen;
    if (amountFen === undefined && input.reason !== 'other')
      amountFen = await repo.feeRate(db, old.type_id, input.reason as FeeReason);
    if (amountFen === undefined)
      throw new AppError('SUPPLEMENT_FEE_UNKNOWN', { typeId: old.type_id, reason: input.reason });
    if (input.reason === 'reentry' && old.entries_total !== null) {
      if (now >= old.valid_to) throw new AppError('TICKET_EXPIRED', { ticketId: old.id });
      if (old.entries_used === 0 || !['active', 'used'].includes(old.status))
        throw new AppError('TICKET_STATE_CONFLICT', {
          ticketId: old.id,
          status: old.status,
          action: READMITTED,
        });
    }
    return amountFen;
  }

  private async fee(trx: Trx, input: Fee, old: TicketRow, now: number): Promise<Outcome> {
    const amountFen = await this.feeAmount(trx, input, old, now);
    if (input.reason === 'reentry' && old.entries_total !== null)
      // Re-entry gives one entry back, so a used ticket admits its holder once more.
      await this.deps.tickets.change(
        trx,
        old.id,
        'update',
        { status: 'active', entriesUsed: old.entries_used - 1 },
        { allowedFrom: ['active', 'used'], action: READMITTED },
      );
    return {
      siteId: old.site_id,
      newTicketId: null,
      amountFen,
      reason: input.reason,
      note: input.note ?? null,
    };
  }

  private async reissue(
    trx: Trx,
    input: Reissue,
    old: TicketRow,
    now: number,
    signer: SigningKeyPair,
  ): Promise<Outcome> {
    this.requireUsable(old, now);
    let cardUid: string | null = null;
    if (input.cardUid !== undefined) {
      const checked = checkCardUid(input.cardUid);
      if (!checked.ok)
        throw new AppError(
          'VALIDATION_FAILED',
          { part: { 'zh-CN': '请求体', en: 'body' } },
          {
            issues: [
              {
                path: ['cardUid'],
                code: 'custom',
                messages: { 'zh-CN': 'IC 卡号无效', en: checked.message },
              },
            ],
          },
        );
      cardUid = checked.uid;
    }
    // The lost stub's barcode stays with the revoked ticket: whoever finds it must not get in.
    await this.deps.tickets.change(
      trx,
      old.id,
      'revoke',
      { status: 'revoked', cardUid: null },
      { allowedFrom: ['active'], action: REPLACED },
    );
    const [issued] = await this.deps.tickets.issue(
      trx,
      [
        {
          siteId: old.site_id,
          typeId: old.type_id,
          typeVersion: old.type_version,
          saleId: old.sale_id,
          saleLine: old.sale_line,
          visitDay: old.visit_day,
          validFrom: old.valid_from,
          validTo: old.valid_to,
          entriesTotal: old.entries_total,
          persons: old.persons,
          slot:
            old.slot_id === null || old.slot_start === null || old.slot_end === null
              ? null
              : { id: old.slot_id, startAt: old.slot_start, endAt: old.slot_end },
          holder: holderOf(old),
          priceFen: old.price_fen,
          flags: old.flags & ~QR_FLAGS.REAL_NAME,
          cardUid,
        },
      ],
      signer,
    );
    let newTicketId = issued!.id;
    if (old.entries_used > 0)
      newTicketId = (
        await this.deps.tickets.change(trx, newTicketId, 'update', { entriesUsed: old.entries_used })
      ).id;
    return {
      siteId: old.site_id,
      newTicketId,
      amountFen: input.feeFen,
      reason: null,
      note: input.note ?? null,
    };
  }
}
