/**
 * Points (积分): each site's rules, every customer's balance and its ledger. Points accrue on a sale made for a
 * customer and pay part of one (积分抵扣), both in the sale's transaction (SaleLoyalty, called by the sales service);
 * a refund takes back the refunded tickets' share of the accrual and returns the points it gives back, in the
 * refund's transaction; an operator holding customers.manage adjusts a balance by hand with a reason; the expiry job
 * (expiry.ts) writes off the points that expired.
 *
 * Races: a redemption is decided by one conditional UPDATE of the account's balance (`balance >= n`), so parallel
 * redemptions never overdraw, on either engine. Every other change of an account updates the same row first, so
 * they queue on it (PostgreSQL row lock, SQLite's single writer) and the lots below stay in step.
 *
 * Lots: each accrual (and each positive adjustment or return) is a lot with an expiry; whatever takes points takes
 * them from the lots expiring first. The open lots' points always add up to the balance (or to zero when a reversal
 * left it negative), which is what lets expiry write off exactly the points that expired.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import {
  type AuditActor,
  auditedTransaction,
  recordAudit,
  SYSTEM_ACTOR,
} from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import { clockOf } from '../capacity/local-time.js';
import { type CustomerRef, customerRef } from '../customers/reads.js';
import type {
  LoyaltyOutcome,
  LoyaltyRefund,
  LoyaltySale,
  RefundPoints,
  SaleLoyalty,
} from '../sales/loyalty.js';
import type { VenuesService } from '../venues/service.js';
import * as repo from './repo.js';
import { expiryOf, pointsEarned, pointsForFen, pointsToReturn, pointsToReverse } from './rules.js';
import type { Adjustment, LedgerQuery, PointsAccount, PointsRules, PointsRulesInput } from './schemas.js';
import type { PointsLedgerTable } from './tables.js';

type Db = Kysely<Database>;

const CUSTOMER: Localized = { 'zh-CN': '客户', en: 'Customer' };
/** Lots written off per round of the expiry job. */
const EXPIRY_BATCH = 500;

export interface PointsDependencies {
  readonly venues: VenuesService;
}

/** A lot of points: earned, returned by a refund or added by hand. */
interface Lot {
  readonly customer: CustomerRef;
  readonly kind: 'accrual' | 'redemption_reversal' | 'adjustment';
  readonly points: number;
  readonly at: number;
  readonly saleId?: string;
  readonly refundId?: string;
  readonly fen?: number;
  readonly basisFen?: number;
  readonly reason?: string;
  readonly actor?: AuditActor | null;
}

export class PointsService implements SaleLoyalty {
  constructor(
    private readonly db: Db,
    private readonly deps: PointsDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  /** The site's rules (defaults, earning nothing, until set); a site out of `scope` is not found. */
  async rules(siteId: string, scope: SiteScope = ALL_SITES): Promise<PointsRules> {
    await this.deps.venues.getSite(siteId, this.db, scope);
    return repo.findRules(this.db, siteId);
  }

  setRules(siteId: string, input: PointsRulesInput, context: ChangeContext): Promise<PointsRules> {
    return auditedTransaction(this.db, async (trx) => {
      await this.deps.venues.getSite(siteId, trx, context.sites);
      const before = await repo.findRules(trx, siteId);
      const rules = { ...input, siteId, updatedAt: this.now() };
      await repo.saveRules(trx, rules);
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'points.rules_update',
        entity: 'site',
        entityId: siteId,
        before,
        after: rules,
      });
      return rules;
    });
  }

  /** The customer's balance and a page of the ledger; a customer out of `scope` is not found. */
  async account(
    customerId: string,
    query: LedgerQuery,
    scope: SiteScope = ALL_SITES,
  ): Promise<PointsAccount> {
    const customer = await this.customer(this.db, customerId, scope);
    const [balance, ledger] = await Promise.all([
      repo.balanceOf(this.db, customerId),
      repo.ledgerOf(this.db, customerId, query),
    ]);
    return { customerId, siteId: customer.siteId, balance: balance ?? 0, ...ledger };
  }

  /** Adds or takes points by hand (customers.manage): never below zero, with the reason in the ledger and the log. */
  adjust(customerId: string, input: Adjustment, context: ChangeContext): Promise<PointsAccount> {
    return auditedTransaction(this.db, async (trx) => {
      const customer = await this.customer(trx, customerId, context.sites ?? ALL_SITES);
      const at = this.now();
      let balanceAfter: number;
      if (input.points > 0) {
        balanceAfter = await this.addLot(trx, {
          customer,
          kind: 'adjustment',
          points: input.points,
          at,
          reason: input.reason,
          actor: context.actor,
        });
      } else {
        balanceAfter = await this.take(trx, customer, -input.points, at);
        await repo.insertEntry(trx, {
          ...entryBase(customer, at, context.actor),
          kind: 'adjustment',
          points: input.points,
          balance_after: balanceAfter,
          reason: input.reason,
        });
      }
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'points.adjust',
        entity: 'customer',
        entityId: customerId,
        after: { points: input.points, reason: input.reason, balance: balanceAfter },
      });
      return {
        customerId,
        siteId: customer.siteId,
        balance: balanceAfter,
        ...(await repo.ledgerOf(trx, customerId, { limit: 50, offset: 0 })),
      };
    });
  }

  async onSale(db: Connection, sale: LoyaltySale): Promise<LoyaltyOutcome> {
    const customer = await this.customer(db, sale.customerId, sale.sites);
    if (customer.siteId !== sale.siteId)
      throw new AppError('CUSTOMER_OTHER_SITE', { customerSite: customer.siteId, siteId: sale.siteId });
    const rules = await repo.findRules(db, sale.siteId);
    let pointsRedeemed = 0;
    if (sale.pointsFen > 0) {
      pointsRedeemed = pointsForFen(rules, sale.pointsFen);
      const balanceAfter = await this.take(db, customer, pointsRedeemed, sale.at);
      await repo.insertEntry(db, {
        ...entryBase(customer, sale.at, sale.actor),
        kind: 'redemption',
        points: -pointsRedeemed,
        balance_after: balanceAfter,
        sale_id: sale.saleId,
        fen: sale.pointsFen,
      });
    }
    const pointsEarnedNow = pointsEarned(rules, { ...sale, member: customer.kind === 'member' });
    if (pointsEarnedNow > 0)
      await this.addLot(db, {
        customer,
        kind: 'accrual',
        points: pointsEarnedNow,
        at: sale.at,
        saleId: sale.saleId,
        basisFen: sale.totalFen - sale.pointsFen,
        actor: sale.actor,
      });
    return { pointsRedeemed, pointsEarned: pointsEarnedNow };
  }

  async onRefund(db: Connection, refund: LoyaltyRefund): Promise<RefundPoints> {
    const entries = await repo.entriesOfSale(db, refund.saleId);
    const accrual = entries.find((e) => e.kind === 'accrual');
    const redemption = entries.find((e) => e.kind === 'redemption');
    const first = accrual ?? redemption;
    if (!first) return { pointsReversed: 0, pointsReturned: 0 };
    const customer = await this.customer(db, first.customer_id, ALL_SITES);
    let pointsReversed = 0;
    if (accrual) {
      const before = sumOf(entries, 'reversal');
      const reverse = pointsToReverse(
        accrual.points,
        refund.saleTotalFen,
        { basisFen: before.basisFen, points: -before.points },
        refund.ticketsFen,
      );
      // What expired of the accrual's lot was already taken from the customer by the expiry job: a refund takes
      // back at most the rest — the points the customer had the use of — never the expired ones a second time.
      const expired = reverse.points > 0 ? await repo.expiredOfLot(db, customer.id, Number(accrual.id)) : 0;
      const owed = Math.min(reverse.points, Math.max(0, accrual.points - expired + before.points));
      if (owed > 0) {
        pointsReversed = owed;
        // A reversal is owed whatever is left: the balance may go below zero (points already spent).
        const balanceAfter = await repo.addToBalance(db, customer.id, -owed, refund.at);
        await repo.consumeLots(db, customer.id, owed, Number(accrual.id));
        await repo.insertEntry(db, {
          ...entryBase(customer, refund.at, refund.actor),
          kind: 'reversal',
          points: -owed,
          balance_after: balanceAfter,
          sale_id: refund.saleId,
          refund_id: refund.refundId,
          basis_fen: reverse.basisFen,
        });
      }
    }
    let pointsReturned = 0;
    if (redemption && refund.pointsFen > 0) {
      const before = sumOf(entries, 'redemption_reversal');
      pointsReturned = pointsToReturn(
        { points: -redemption.points, fen: redemption.fen ?? 0 },
        { points: before.points, fen: before.fen },
        refund.pointsFen,
      );
      if (pointsReturned > 0)
        await this.addLot(db, {
          customer,
          kind: 'redemption_reversal',
          points: pointsReturned,
          at: refund.at,
          saleId: refund.saleId,
          refundId: refund.refundId,
          fen: refund.pointsFen,
          actor: refund.actor,
        });
    }
    return { pointsReversed, pointsReturned };
  }

  /**
   * Writes off every lot whose points expired by now: per lot one audited transaction that empties it (only if
   * nothing took from it meanwhile: a parallel sale or another instance's job), takes its points from the balance
   * and writes the `expiry` entry. How many lots expired.
   */
  async expireDue(): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await repo.dueLots(this.db, this.now(), EXPIRY_BATCH);
      let progressed = false;
      for (const lot of due) {
        const done = await auditedTransaction(this.db, async (trx) => {
          if (!(await repo.emptyLot(trx, lot.id, lot.remaining))) return false;
          const at = this.now();
          const balanceAfter = await repo.addToBalance(trx, lot.customer_id, -lot.remaining, at);
          await repo.insertEntry(trx, {
            customer_id: lot.customer_id,
            site_id: lot.site_id,
            kind: 'expiry',
            points: -lot.remaining,
            balance_after: balanceAfter,
            lot_id: lot.id,
            created_at: at,
          });
          await recordAudit(trx, {
            actor: SYSTEM_ACTOR,
            action: 'points.expire',
            entity: 'customer',
            entityId: lot.customer_id,
            after: { lotId: lot.id, points: lot.remaining, balance: balanceAfter },
          });
          return true;
        });
        if (done) {
          expired += 1;
          progressed = true;
        }
      }
      // A lot changed meanwhile is read again next round; stop when a round finds nothing more to do.
      if (due.length < EXPIRY_BATCH || !progressed) return expired;
    }
  }

  private async customer(db: Connection, id: string, scope: SiteScope): Promise<CustomerRef> {
    const customer = await customerRef(db, id, scope);
    if (!customer) throw new AppError('NOT_FOUND', { resource: CUSTOMER, id });
    return customer;
  }

  /** Takes points the balance holds (POINTS_INSUFFICIENT otherwise) from the lots expiring first; the new balance. */
  private async take(db: Connection, customer: CustomerRef, points: number, at: number): Promise<number> {
    const balanceAfter = await repo.takeFromBalance(db, customer.id, points, at);
    if (balanceAfter === undefined)
      throw new AppError(
        'POINTS_INSUFFICIENT',
        { needed: points, balance: Math.max(0, (await repo.balanceOf(db, customer.id)) ?? 0) },
        { details: { needed: points } },
      );
    await repo.consumeLots(db, customer.id, points);
    return balanceAfter;
  }

  /**
   * Adds a lot: the balance grows by its points, and the lot holds what of them is not owed (a balance below zero
   * after a reversal is paid back first). The new balance.
   */
  private async addLot(db: Connection, lot: Lot): Promise<number> {
    const { customer } = lot;
    await repo.ensureAccount(db, customer.id, customer.siteId, lot.at);
    const balanceAfter = await repo.addToBalance(db, customer.id, lot.points, lot.at);
    const rules = await repo.findRules(db, customer.siteId);
    const site = await this.deps.venues.getSite(customer.siteId, db);
    const day = clockOf(site.timezone).dayNumber(lot.at);
    await repo.insertEntry(db, {
      ...entryBase(customer, lot.at, lot.actor ?? null),
      kind: lot.kind,
      points: lot.points,
      balance_after: balanceAfter,
      sale_id: lot.saleId ?? null,
      refund_id: lot.refundId ?? null,
      fen: lot.fen ?? null,
      basis_fen: lot.basisFen ?? null,
      remaining: Math.min(lot.points, Math.max(0, balanceAfter)),
      expires_at: expiryOf(rules, lot.at, site.timezone, day),
      reason: lot.reason ?? null,
    });
    return balanceAfter;
  }
}

function entryBase(customer: CustomerRef, at: number, actor: AuditActor | null) {
  return {
    customer_id: customer.id,
    site_id: customer.siteId,
    operator_id: actor?.id ?? null,
    operator_username: actor?.username ?? null,
    created_at: at,
  };
}

/** The sum of the entries of one kind: points, fen and basis. */
function sumOf(entries: readonly Selectable<PointsLedgerTable>[], kind: PointsLedgerTable['kind']) {
  let points = 0;
  let fen = 0;
  let basisFen = 0;
  for (const entry of entries)
    if (entry.kind === kind) {
      points += entry.points;
      fen += entry.fen ?? 0;
      basisFen += entry.basis_fen ?? 0;
    }
  return { points, fen, basisFen };
}
