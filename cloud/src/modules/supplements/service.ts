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
 */
import { createHash, randomUUID } from 'node:crypto';
import { checkCardUid, QR_FLAGS, type SigningKeyPair } from '@scenic/protocol';
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../../db/constraint-errors.js';
import type { Database } from '../../db/schema.js';
import { canonicalJson } from '../../platform/audit/canonical-json.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { clockOf, dayOfIsoDate, isoDateOfDay } from '../capacity/local-time.js';
import type { CapacityService } from '../capacity/service.js';
import type { Cashier } from '../sales/service.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import { findTicketRow, type TicketRow } from '../tickets/repo.js';
import type { TicketsService, TicketToIssue } from '../tickets/service.js';
import type { SigningKeys } from '../tickets/signing-keys.js';
import { validityWindow } from '../tickets/validity.js';
import type { ChangeContext } from '../venues/change-context.js';
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
const MAX_ADVANCE_DAYS = 365;

export interface SupplementsDependencies {
  readonly venues: VenuesService;
  readonly ticketTypes: TicketTypesService;
  readonly capacity: CapacityService;
  readonly tickets: TicketsService;
  readonly keys: SigningKeys;
}

interface Outcome {
  readonly siteId: string;
  readonly newTicketId: number | null;
  readonly amountFen: number;
  readonly reason: string | null;
  readonly note: string | null;
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
  ): Promise<{ supplement: Supplement; replayed: boolean }> {
    const hash = createHash('sha256').update(canonicalJson(input)).digest('base64url');
    // Outside the transaction: the first credential of an installation may create the signing key.
    const signer = await this.deps.keys.active();
    let outcome: { id: string; replayed: boolean };
    try {
      outcome = await auditedTransaction(this.db, async (trx) => {
        const existing = await repo.findByKey(trx, cashier.id, idempotencyKey);
        if (existing) {
          if (existing.request_hash !== hash)
            throw new AppError('IDEMPOTENCY_KEY_REUSED', { key: idempotencyKey });
          return { id: existing.id, replayed: true };
        }
        return {
          id: await this.record(trx, input, idempotencyKey, hash, cashier, context, signer),
          replayed: false,
        };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await repo.findByKey(this.db, cashier.id, idempotencyKey);
      if (!existing) throw error;
      if (existing.request_hash !== hash)
        throw new AppError('IDEMPOTENCY_KEY_REUSED', { key: idempotencyKey });
      outcome = { id: existing.id, replayed: true };
    }
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
      createdAt: row.created_at,
      payments: row.payments,
      newTicket: row.new_ticket_id === null ? null : await this.deps.tickets.get(row.new_ticket_id),
    };
  }

  private async record(
    trx: Trx,
    input: CreateSupplement,
    idempotencyKey: string,
    hash: string,
    cashier: Cashier,
    context: ChangeContext,
    signer: SigningKeyPair,
  ): Promise<string> {
    const now = this.now();
    const old = await findTicketRow(trx, input.ticketId);
    if (!old) throw new AppError('NOT_FOUND', { resource: TICKET, id: input.ticketId });
    const window = await this.deps.venues.getWindow(old.site_id, input.windowId, trx);
    if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId: input.windowId });
    const outcome =
      input.kind === 'upgrade'
        ? await this.upgrade(trx, input, old, now, signer)
        : input.kind === 'fee'
          ? await this.fee(trx, input, old, now)
          : await this.reissue(trx, input, old, now, signer);
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
        idempotency_key: idempotencyKey,
        request_hash: hash,
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

  private async upgrade(
    trx: Trx,
    input: Upgrade,
    old: TicketRow,
    now: number,
    signer: SigningKeyPair,
  ): Promise<Outcome> {
    this.requireUsable(old, now);
    if (old.entries_used > 0) throw new AppError('TICKET_USED', { ticketId: old.id });
    const site = await this.deps.venues.getSite(old.site_id, trx);
    const type = await this.deps.ticketTypes.get(input.toTypeId ?? old.type_id, trx);
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
      trx,
    );
    const amountFen = quote.priceFen - old.price_fen;
    if (amountFen < 0)
      throw new AppError('SUPPLEMENT_PRICE_LOWER', { price: quote.priceFen, paid: old.price_fen });
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
    const { validFrom, validTo } = validityWindow(type.validity, visitDay, now, site.timezone);
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

  private async fee(trx: Trx, input: Fee, old: TicketRow, now: number): Promise<Outcome> {
    let amountFen = input.amountFen;
    if (amountFen === undefined && input.reason !== 'other')
      amountFen = await repo.feeRate(trx, old.type_id, input.reason as FeeReason);
    if (amountFen === undefined)
      throw new AppError('SUPPLEMENT_FEE_UNKNOWN', { typeId: old.type_id, reason: input.reason });
    if (input.reason === 'reentry' && old.entries_total !== null) {
      // Re-entry gives one entry back, so a used ticket admits its holder once more.
      if (now >= old.valid_to) throw new AppError('TICKET_EXPIRED', { ticketId: old.id });
      if (old.entries_used === 0 || !['active', 'used'].includes(old.status))
        throw new AppError('TICKET_STATE_CONFLICT', {
          ticketId: old.id,
          status: old.status,
          action: READMITTED,
        });
      await this.deps.tickets.change(
        trx,
        old.id,
        'update',
        { status: 'active', entriesUsed: old.entries_used - 1 },
        { allowedFrom: ['active', 'used'], action: READMITTED },
      );
    }
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
