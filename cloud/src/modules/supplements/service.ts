/**
 * Supplementary tickets (补票), each one audited transaction with its payments, like a window sale, in three flows:
 * upgrade / extension (upgrade.ts), an overstay or re-entry fee (fee.ts) and the reissue of a lost ticket
 * (reissue.ts). Every credential change goes through TicketsService (feed rows); the supplement row links old and
 * new tickets.
 *
 * Order of work, as for refunds (platform/approved-write.ts): the idempotency key is looked up first (a replay
 * needs no approver again); the supplement is planned once outside the transaction to learn its amount, because
 * past the second-approval threshold another operator holding supplements.approve must approve it; the
 * transaction plans again on what it reads and refuses if the amount moved in between. As for refunds, the
 * threshold weighs this supplement plus the earlier ones on the same sale (the ticket's), read again in the write's
 * transaction, so small supplements in a row or in parallel cannot pass it unapproved; the audit entry keeps the
 * figures (`approval`).
 *
 * Races: audited transactions run one after another, so of parallel upgrades or reissues of one ticket the first
 * revokes it and the rest find it revoked (TICKET_STATE_CONFLICT); a partial unique index on the replaced ticket
 * is the last line (CONFLICT).
 */

import { randomUUID } from 'node:crypto';
import type { SigningKeyPair } from '@scenic/protocol';
import { type IdempotentRequest, requestHashOf } from '../../db/idempotency.js';
import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { approvedWrite } from '../../platform/approved-write.js';
import { type AuditActor, auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import {
  type ApprovalFigures,
  type EarlierAmounts,
  secondApprovalSettings,
  weighApproval,
} from '../../platform/auth/second-approval.js';
import type { AuthService, ClientInfo } from '../../platform/auth/service.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Cashier, IdempotentCommand, IdempotentResult } from '../../platform/idempotent-reply.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, coversAllSites, type SiteScope } from '../../platform/site-scope.js';
import { clockOf } from '../capacity/local-time.js';
import { settle } from '../sales/payments.js';
import type { SigningKeys } from '../signing-keys/keys.js';
import type { TakingsRecorder } from '../takings/contract.js';
import { findTicketRow, type TicketRow } from '../tickets/reads.js';
import { applyFee, type Fee, planFee } from './fee.js';
import type { Db, FlowDependencies, FlowOutcome, FlowPlan, Trx } from './flow.js';
import { applyReissue, planReissue, type Reissue } from './reissue.js';
import * as repo from './repo.js';
import type {
  CreateSupplement,
  FeeRate,
  ListSupplementsQuery,
  Supplement,
  SupplementQuote,
  SupplementQuoteRequest,
} from './schemas.js';
import { takingOfSupplement } from './takings.js';
import { applyUpgrade, planUpgrade, type Upgrade, type UpgradePlan } from './upgrade.js';

const SUPPLEMENT: Localized = { 'zh-CN': '补票单', en: 'Supplement' };
const TICKET: Localized = { 'zh-CN': '票', en: 'Ticket' };

export interface SupplementsDependencies extends FlowDependencies {
  readonly keys: SigningKeys;
  /** Checks a second operator's approval; only a service that records supplements needs it (not lookups). */
  readonly auth?: AuthService;
  /** The most change one supplement may give (config `CASH_MAX_CHANGE_FEN`), as for sales. */
  readonly maxChangeFen: number;
  /** The takings journal: the supplement's money, in its transaction (modules/takings). */
  readonly takings: TakingsRecorder;
}

export interface SupplementCommand extends IdempotentCommand<CreateSupplement> {
  readonly context: ChangeContext;
  readonly client?: ClientInfo;
}

/** One flow's request with its plan. */
type Planned =
  | { readonly kind: 'upgrade'; readonly input: Upgrade; readonly plan: UpgradePlan }
  | { readonly kind: 'fee'; readonly input: Fee; readonly plan: FlowPlan }
  | { readonly kind: 'reissue'; readonly input: Reissue; readonly plan: FlowPlan };

/** A supplement worked out from reads alone as of `now`: the ticket it concerns and its flow's plan. */
interface SupplementPlan {
  readonly now: number;
  readonly old: TicketRow;
  readonly planned: Planned;
}

/** What the supplement's transaction writes besides the flow's own changes. */
interface SupplementRecord {
  readonly request: IdempotentRequest;
  readonly cashier: Cashier;
  readonly approver: AuditActor | null;
  readonly context: ChangeContext;
  readonly signer: SigningKeyPair;
  readonly figures: ApprovalFigures;
}

/** The approver's password never enters the hash (nor anything stored). */
function requestHash(input: CreateSupplement): string {
  const { approval, ...rest } = input;
  return requestHashOf(rest);
}

export class SupplementsService {
  constructor(
    private readonly db: Db,
    private readonly deps: SupplementsDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  async supplement(command: SupplementCommand): Promise<IdempotentResult<Supplement>> {
    const { input, cashier, context } = command;
    const request: IdempotentRequest = {
      lookup: repo.byIdempotencyKey,
      cashierId: cashier.id,
      key: command.idempotencyKey,
      hash: requestHash(input),
    };
    const { auth } = this.deps;
    if (!auth) throw new Error('SupplementsService records supplements only with an AuthService');
    const outcome = await approvedWrite({
      db: this.db,
      auth,
      request,
      approval: { actor: cashier, approval: input.approval, permission: 'supplements.approve' },
      client: command.client ?? { ip: context.ip, userAgent: null },
      // One snapshot: the ticket, its type and the rates as of the same moment.
      preview: () => transaction(this.db, (trx) => this.plan(trx, input, this.now(), context.sites)),
      replan: (trx) => this.plan(trx, input, this.now(), context.sites),
      amountOf: (plan) => plan.planned.plan.amountFen,
      earlier: (db, plan) => this.earlier(db, plan),
      // Outside the transaction: the first credential of an installation may create the signing key.
      ready: () => this.deps.keys.active(),
      apply: (trx, plan, approver, signer, figures) =>
        this.record(trx, plan, { request, cashier, approver, context, signer, figures }),
      changedMeanwhile: {
        'zh-CN': '票或价格刚刚变化，请重新办理',
        en: 'the ticket or its price changed meanwhile; try again',
      },
      takenMeanwhile: {
        'zh-CN': '该票已在另一笔补票中升级或补办',
        en: 'the ticket was upgraded or reissued by another request',
      },
    });
    return { value: await this.get(outcome.id, context.sites), replayed: outcome.replayed };
  }

  /**
   * What the supplement would charge and whether a second operator must approve it, planned exactly as the
   * supplement will be (refused with its codes) and writing nothing. The supplement itself plans again.
   */
  async quote(input: SupplementQuoteRequest, scope: SiteScope = ALL_SITES): Promise<SupplementQuote> {
    const request: CreateSupplement = { ...input, payments: [] };
    const { planned, figures } = await transaction(this.db, async (trx) => {
      const plan = await this.plan(trx, request, this.now(), scope);
      const settings = await secondApprovalSettings(trx);
      return {
        planned: plan.planned,
        figures: weighApproval(settings, plan.planned.plan.amountFen, await this.earlier(trx, plan)),
      };
    });
    const upgrade = planned.kind === 'upgrade' ? planned.plan : null;
    return {
      kind: planned.kind,
      ticketId: input.ticketId,
      amountFen: planned.plan.amountFen,
      newPriceFen: upgrade?.quote.priceFen ?? null,
      visitDate: upgrade?.visitDate ?? null,
      thresholdFen: figures.thresholdFen,
      cumulativeFen: figures.saleCumulativeFen,
      approvalRequired: figures.exceeds !== null,
    };
  }

  /** A supplement of a site out of `scope` is not found. */
  async get(id: string, scope: SiteScope = ALL_SITES): Promise<Supplement> {
    const row = await repo.findSupplement(this.db, id, scope);
    if (!row) throw new AppError('NOT_FOUND', { resource: SUPPLEMENT, id });
    return this.view(row);
  }

  async list(query: ListSupplementsQuery, scope: SiteScope = ALL_SITES): Promise<Supplement[]> {
    return Promise.all((await repo.listSupplements(this.db, query, scope)).map((row) => this.view(row)));
  }

  /** Supplements that concern or issued any of these tickets (the validity lookup's history). */
  async ofTickets(ticketIds: readonly number[]): Promise<Supplement[]> {
    return Promise.all((await repo.supplementsOfTickets(this.db, ticketIds)).map((row) => this.view(row)));
  }

  /** The standing rates of the types of the sites in `scope`. */
  async feeRates(scope: SiteScope = ALL_SITES): Promise<FeeRate[]> {
    const typeIds = coversAllSites(scope)
      ? null
      : (await this.deps.ticketTypes.list({}, scope)).map((type) => type.typeId);
    return (await repo.feeRates(this.db, typeIds)).map((r) => ({
      typeId: r.type_id,
      reason: r.reason,
      amountFen: r.amount_fen,
    }));
  }

  /** Sets a type's standing overstay or re-entry fee, audited. */
  async setFeeRate(rate: FeeRate, context: ChangeContext): Promise<FeeRate> {
    return auditedTransaction(this.db, async (trx) => {
      await this.deps.ticketTypes.get(rate.typeId, trx, context.sites);
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

  /** What earlier supplements of the same sale charged (a ticket without a sale has nothing before it). */
  private async earlier(db: Connection, plan: SupplementPlan): Promise<EarlierAmounts> {
    const saleId = plan.old.sale_id;
    return { saleFen: saleId === null ? 0 : await repo.supplementedAmountOfSale(db, saleId) };
  }

  /** The ticket the supplement concerns, at a window of its site that is open. */
  /** The ticket concerned; a ticket of a site out of `scope` is not found. */
  private async ticketAt(db: Db, input: CreateSupplement, scope: SiteScope): Promise<TicketRow> {
    const old = await findTicketRow(db, input.ticketId, scope);
    if (!old) throw new AppError('NOT_FOUND', { resource: TICKET, id: input.ticketId });
    const window = await this.deps.venues.getWindow(old.site_id, input.windowId, db);
    if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId: input.windowId });
    return old;
  }

  /** What the supplement charges, with every check that can refuse it before anything is written. */
  private async plan(
    db: Db,
    input: CreateSupplement,
    now: number,
    scope: SiteScope = ALL_SITES,
  ): Promise<SupplementPlan> {
    const old = await this.ticketAt(db, input, scope);
    const planned: Planned =
      input.kind === 'upgrade'
        ? { kind: 'upgrade', input, plan: await planUpgrade(this.deps, db, input, old, now) }
        : input.kind === 'fee'
          ? { kind: 'fee', input, plan: await planFee(db, input, old, now) }
          : { kind: 'reissue', input, plan: planReissue(input, old, now) };
    return { now, old, planned };
  }

  /** Applies the planned flow and writes the supplement row with its payments and audit entry. */
  private async record(
    trx: Trx,
    { now, old, planned }: SupplementPlan,
    record: SupplementRecord,
  ): Promise<string> {
    const { request, cashier, approver, context, signer, figures } = record;
    const step = { old, now, signer };
    const outcome: FlowOutcome =
      planned.kind === 'upgrade'
        ? await applyUpgrade(this.deps, trx, { ...step, ...planned })
        : planned.kind === 'fee'
          ? await applyFee(this.deps, trx, { ...step, ...planned })
          : await applyReissue(this.deps, trx, { ...step, ...planned });
    const { input } = planned;
    const { amountFen } = planned.plan;
    const { paidFen, changeFen } = settle(amountFen, input.payments, this.deps.maxChangeFen);
    const id = randomUUID();
    await repo.insertSupplement(
      trx,
      {
        id,
        site_id: old.site_id,
        kind: input.kind,
        ticket_id: old.id,
        new_ticket_id: outcome.newTicketId,
        sale_id: old.sale_id,
        reason: outcome.reason,
        note: outcome.note,
        amount_fen: amountFen,
        paid_fen: paidFen,
        change_fen: changeFen,
        cashier_id: cashier.id,
        cashier_username: cashier.username,
        idempotency_key: request.key,
        request_hash: request.hash,
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
    const site = await this.deps.venues.getSite(old.site_id, trx);
    await this.deps.takings.record(
      trx,
      takingOfSupplement({
        supplementId: id,
        siteId: old.site_id,
        windowId: input.windowId,
        cashierId: cashier.id,
        at: now,
        day: clockOf(site.timezone).dayNumber(now),
        typeId: planned.kind === 'upgrade' ? (planned.input.toTypeId ?? old.type_id) : old.type_id,
        amountFen,
        changeFen,
        payments: input.payments,
      }),
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
          amountFen,
          paidFen,
          changeFen,
          payments: input.payments,
          approvedBy: approver,
          // What the second-approval threshold weighed: this supplement and the sale's supplements with it.
          approval: figures,
        },
      },
      now,
    );
    return id;
  }
}
