/**
 * Customers (客户资料): individuals and members registered at a site, with phone, ID number (stored as tickets store
 * holders': masked for display and a keyed hash for finding, never the plain number) and tags; their member cards
 * (IC cards bound to one customer); search by phone, ID number, card, name prefix or tag; and each customer's
 * purchases and visits with a summary.
 *
 * A customer belongs to the site it was registered at, like every row a site-limited operator may or may not see:
 * a cashier limited to one site finds that site's customers at the window, and a sale attaches only a customer of
 * its own site (whose points rules apply). A phone or an ID number names at most one customer per site.
 *
 * Every change is one audited transaction. The history reads the sales, refunds, tickets and passages modules'
 * narrow reads: this module never touches their tables.
 */
import { randomUUID } from 'node:crypto';
import { checkCardUid } from '@scenic/protocol';
import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from '../../db/constraint-errors.js';
import type { Database } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import { maskResidentId, requireResidentId } from '../../platform/identity/resident-id.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, assertSiteInScope, type SiteScope } from '../../platform/site-scope.js';
import { invalidInput } from '../../platform/validation.js';
import { entriesOfTickets, lastEntriesOfTickets } from '../passages/reads.js';
import { formatDateTime } from '../printing/format.js';
import { refundedOfSales } from '../refunds/reads.js';
import { purchasesOfCustomer, salesOfCustomer } from '../sales/reads.js';
import type { CredentialSecrets } from '../signing-keys/secrets.js';
import { ticketIdsOfSales } from '../tickets/reads.js';
import type { VenuesService } from '../venues/service.js';
import * as repo from './repo.js';
import {
  type BindCard,
  type CreateCustomer,
  type Customer,
  type CustomerHistory,
  type CustomerPage,
  type HistoryQuery,
  normalisePhone,
  RECENT_VISITS,
  type SearchCustomersQuery,
  type UpdateCustomer,
} from './schemas.js';
import type { CustomersTable } from './tables.js';

type Db = Kysely<Database>;

const CUSTOMER: Localized = { 'zh-CN': '客户', en: 'Customer' };
const CARD: Localized = { 'zh-CN': '会员卡', en: 'Member card' };
const PHONE: Localized = { 'zh-CN': '手机号', en: 'phone number' };
const ID_NUMBER: Localized = { 'zh-CN': '证件号', en: 'ID number' };

export interface CustomersDependencies {
  readonly venues: VenuesService;
  readonly secrets: () => CredentialSecrets;
}

/** The card UID as the protocol normalises it; a malformed one is refused as the request's field. */
function cardUidOf(input: string, part: 'body' | 'querystring'): string {
  const card = checkCardUid(input);
  if (!card.ok)
    throw invalidInput(part, [
      { path: ['cardUid'], code: 'custom', messages: { 'zh-CN': 'IC 卡号无效', en: card.message } },
    ]);
  return card.uid;
}

/** What the operation log keeps of a customer: never the ID number's hash. */
function audited(customer: Customer): object {
  const { cards, ...rest } = customer;
  return rest;
}

export class CustomersService {
  constructor(
    private readonly db: Db,
    private readonly deps: CustomersDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  create(input: CreateCustomer, context: ChangeContext): Promise<Customer> {
    assertSiteInScope(context.sites ?? ALL_SITES, input.siteId);
    return auditedTransaction(this.db, async (trx) => {
      await this.deps.venues.getSite(input.siteId, trx);
      const now = this.now();
      const id = randomUUID();
      const identity = this.identityOf(input.idNumber);
      const row = {
        id,
        site_id: input.siteId,
        kind: input.kind,
        name: input.name,
        phone: input.phone ?? null,
        ...identity,
        tags: JSON.stringify(input.tags),
        note: input.note ?? null,
        created_at: now,
        updated_at: now,
      };
      await this.refuseDuplicate(trx, row);
      await unique(() => repo.insertCustomer(trx, row));
      const customer = (await repo.findCustomer(trx, id, ALL_SITES))!;
      await this.audit(trx, context, 'customer.create', id, { after: audited(customer) });
      return customer;
    });
  }

  update(id: string, changes: UpdateCustomer, context: ChangeContext): Promise<Customer> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await this.get(id, context.sites, trx);
      const row = (await repo.findCustomerRow(trx, id, ALL_SITES))!;
      const next = {
        ...row,
        ...(changes.kind !== undefined && { kind: changes.kind }),
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.phone !== undefined && { phone: changes.phone }),
        ...(changes.idNumber !== undefined && this.identityOf(changes.idNumber ?? undefined)),
        ...(changes.tags !== undefined && { tags: JSON.stringify(changes.tags) }),
        ...(changes.note !== undefined && { note: changes.note }),
        updated_at: this.now(),
      };
      await this.refuseDuplicate(trx, next);
      const { id: _, site_id: __, created_at: ___, ...set } = next;
      await unique(() => repo.updateCustomer(trx, id, set));
      const after = (await repo.findCustomer(trx, id, ALL_SITES))!;
      await this.audit(trx, context, 'customer.update', id, {
        before: audited(before),
        after: audited(after),
      });
      return after;
    });
  }

  /** A customer of a site out of `scope` is not found. */
  async get(id: string, scope: SiteScope = ALL_SITES, db: Connection = this.db): Promise<Customer> {
    const customer = await repo.findCustomer(db, id, scope);
    if (!customer) throw new AppError('NOT_FOUND', { resource: CUSTOMER, id });
    return customer;
  }

  /** Customers of `scope` matching every field given: phone, ID number and card whole, name by its start. */
  search(query: SearchCustomersQuery, scope: SiteScope = ALL_SITES): Promise<CustomerPage> {
    return repo.searchCustomers(
      this.db,
      {
        siteId: query.siteId,
        phone: query.phone === undefined ? undefined : normalisePhone(query.phone),
        idHash:
          query.idNumber === undefined
            ? undefined
            : this.deps.secrets().idHash(requireResidentId(query.idNumber).number),
        cardUid: query.cardUid === undefined ? undefined : cardUidOf(query.cardUid, 'querystring'),
        namePrefix: query.name,
        tag: query.tag,
        kind: query.kind,
      },
      { limit: query.limit, offset: query.offset },
      scope,
    );
  }

  /**
   * Binds an IC card to the customer; with `replaces`, the customer's old card (lost, broken) ends as replaced in
   * the same transaction. A UID active on any card is refused (CUSTOMER_CARD_IN_USE): the partial unique index is
   * the last line against two parallel bindings.
   */
  bindCard(customerId: string, input: BindCard, context: ChangeContext): Promise<Customer> {
    const cardUid = cardUidOf(input.cardUid, 'body');
    return auditedTransaction(this.db, async (trx) => {
      const customer = await this.get(customerId, context.sites, trx);
      const now = this.now();
      if (input.replaces !== undefined) await this.endCard(trx, customerId, input.replaces, 'replaced', now);
      const id = randomUUID();
      try {
        await repo.insertCard(trx, {
          id,
          customer_id: customerId,
          site_id: customer.siteId,
          card_uid: cardUid,
          status: 'active',
          created_at: now,
          ended_at: null,
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('CUSTOMER_CARD_IN_USE', { cardUid }, { cause: error });
        throw error;
      }
      await this.audit(trx, context, 'customer.card_bind', customerId, {
        after: { cardId: id, cardUid, replaces: input.replaces ?? null },
      });
      return this.get(customerId, ALL_SITES, trx);
    });
  }

  /** Blocks a card (lost, withdrawn): it no longer finds the customer, and its UID may be bound again. */
  blockCard(customerId: string, cardId: string, context: ChangeContext): Promise<Customer> {
    return auditedTransaction(this.db, async (trx) => {
      await this.get(customerId, context.sites, trx);
      const card = await this.endCard(trx, customerId, cardId, 'blocked', this.now());
      await this.audit(trx, context, 'customer.card_block', customerId, {
        after: { cardId, cardUid: card.card_uid },
      });
      return this.get(customerId, ALL_SITES, trx);
    });
  }

  /**
   * The customer's purchases (newest first, a page) and a summary over all of them: what they spent less refunds,
   * tickets less refunded ones, entries through the gates and the last one (in the site's local time); and the
   * latest entries themselves (RECENT_VISITS). Sales of sites out of `scope` are left out.
   */
  async history(id: string, query: HistoryQuery, scope: SiteScope = ALL_SITES): Promise<CustomerHistory> {
    const customer = await this.get(id, scope);
    const [sales, purchases] = await Promise.all([
      salesOfCustomer(this.db, id, scope, query),
      purchasesOfCustomer(this.db, id, scope),
    ]);
    const [refunded, ticketIds] = await Promise.all([
      refundedOfSales(this.db, purchases.saleIds),
      ticketIdsOfSales(this.db, purchases.saleIds),
    ]);
    const [entries, recent] = await Promise.all([
      entriesOfTickets(this.db, ticketIds),
      lastEntriesOfTickets(this.db, ticketIds, RECENT_VISITS),
    ]);
    const site = await this.deps.venues.getSite(customer.siteId);
    return {
      summary: {
        sales: purchases.saleIds.length,
        spentFen: purchases.totalFen - refunded.amountFen,
        refundedFen: refunded.amountFen,
        tickets: purchases.tickets - refunded.tickets,
        visits: entries.entries,
        lastVisitAt: entries.lastAt,
        lastVisit: entries.lastAt === null ? null : formatDateTime(entries.lastAt, site.timezone),
      },
      sales,
      visits: recent.map((visit) => ({ ...visit, time: formatDateTime(visit.at, site.timezone) })),
    };
  }

  private identityOf(idNumber: string | undefined): Pick<CustomersTable, 'id_masked' | 'id_hash'> {
    if (idNumber === undefined) return { id_masked: null, id_hash: null };
    return { id_masked: maskResidentId(idNumber), id_hash: this.deps.secrets().idHash(idNumber) };
  }

  /** Another customer of the site with the same phone or ID number: CUSTOMER_DUPLICATE naming which. */
  private async refuseDuplicate(
    db: Connection,
    row: Pick<Selectable<CustomersTable>, 'id' | 'site_id' | 'phone' | 'id_hash'>,
  ): Promise<void> {
    for (const [field, value, filter] of [
      [PHONE, row.phone, { phone: row.phone ?? undefined }],
      [ID_NUMBER, row.id_hash, { idHash: row.id_hash ?? undefined }],
    ] as const) {
      if (value === null) continue;
      const found = await repo.searchCustomers(
        db,
        { siteId: row.site_id, ...filter },
        { limit: 2, offset: 0 },
        ALL_SITES,
      );
      if (found.customers.some((other) => other.id !== row.id))
        throw new AppError('CUSTOMER_DUPLICATE', { field });
    }
  }

  private async endCard(
    db: Connection,
    customerId: string,
    cardId: string,
    status: 'blocked' | 'replaced',
    at: number,
  ) {
    const card = await repo.findCard(db, customerId, cardId);
    if (!card) throw new AppError('NOT_FOUND', { resource: CARD, id: cardId });
    if (!(await repo.endCard(db, cardId, status, at)))
      throw new AppError('CUSTOMER_CARD_ENDED', { cardUid: card.card_uid });
    return card;
  }

  private audit(
    trx: Connection,
    context: ChangeContext,
    action: string,
    entityId: string,
    change: { before?: unknown; after?: unknown },
  ): Promise<unknown> {
    return recordAudit(trx, {
      actor: context.actor,
      ip: context.ip,
      action,
      entity: 'customer',
      entityId,
      ...change,
    });
  }
}

/** Runs a write; a unique-index refusal (a parallel registration of the same phone or ID) is CUSTOMER_DUPLICATE. */
async function unique(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError(
        'CUSTOMER_DUPLICATE',
        { field: { 'zh-CN': '手机号或证件号', en: 'phone or ID number' } },
        { cause: error },
      );
    throw error;
  }
}
