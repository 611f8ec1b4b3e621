/**
 * Agencies (旅行社 / 分销商): their accounts, the ticket types each may sell at a settlement price, and a ledger of
 * every change of their balance. Agencies are venue-wide (not bound to a site).
 *
 * Money: `balance_fen` is what the agency has with the venue. A prepaid agency (预存) orders while the balance
 * covers the order; a credit agency (授信) while the balance stays at or above minus its credit limit; a window
 * agency (现付) never orders against its account. Every change of a balance is one conditional UPDATE (repo.move)
 * followed by one ledger row carrying the seq and balance it returned, so the ledger is gapless and each row's
 * balance is the previous one plus its amount: a statement's identity holds by construction.
 *
 * Implements AgencyAccounts (contract.ts) for group orders: their calls run in the order's own transaction and
 * leave the audit entry to the order; the venue's own changes (top-ups, adjustments, terms) are audited here.
 */

import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../db/constraint-errors.js';
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { ReportTable } from '../../platform/exports/report.js';
import type { Language, Localized } from '../../platform/language.js';
import { invalidInput } from '../../platform/validation.js';
import { CHANNEL_NAMES } from '../ticket-types/channels.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import type {
  AgencyAccounts,
  AgencyOrderLine,
  AgencyOrderTerms,
  AgencyPaymentMode,
  OrderMoney,
} from './contract.js';
import * as ledger from './ledger.js';
import * as repo from './repo.js';
import type {
  Adjustment,
  Agency,
  AgencyListQuery,
  AgencyOperator,
  AgencyPage,
  AgencyType,
  CreateAgency,
  LedgerEntry,
  LedgerPage,
  LedgerQuery,
  PutAgencyType,
  Statement,
  TopUp,
  UpdateAgency,
} from './schemas.js';
import { statementTable } from './statement-table.js';
import { type AgencyDb, agencyTables } from './tables.js';
import { agencyRow, agencyView, datedRanges, dayField, entryView, typeView } from './views.js';

const AUTHORISATION: Localized = { 'zh-CN': '授权票种', en: 'Authorised ticket type' };
const LINK: Localized = { 'zh-CN': '旅行社操作员', en: 'Agency operator' };

export interface AgenciesOptions {
  /** The venue's zone: a statement's dates are local days in it. */
  readonly timeZone: string;
  readonly now?: () => number;
}

/** What linking needs to know of an operator (OperatorsService.get answers it). */
export interface OperatorRoles {
  get(id: string): Promise<{ readonly id: string; readonly roles: readonly string[] }>;
}

export class AgenciesService implements AgencyAccounts {
  private readonly db: AgencyDb;
  private readonly now: () => number;

  constructor(
    db: Connection,
    private readonly ticketTypes: TicketTypesService,
    private readonly operators: OperatorRoles,
    private readonly options: AgenciesOptions,
  ) {
    this.db = agencyTables(db);
    this.now = options.now ?? Date.now;
  }

  // ——— AgencyAccounts (contract.ts) ———

  /**
   * Each line at the dated settlement price covering its visit date, else the type's default. A settlement price is
   * never above the type's current agency price: it was checked when set, and should the venue lower the agency
   * price later, the lower price applies until the agency's terms are revised (a type that has lost its agency
   * price altogether is refused, TICKET_TYPE_NOT_ON_CHANNEL).
   */
  async orderTerms(
    db: Connection,
    agencyId: string,
    lines: readonly AgencyOrderLine[],
  ): Promise<AgencyOrderTerms> {
    const agency = await this.row(db, agencyId);
    if (agency.status !== 'active') throw new AppError('AGENCY_INACTIVE', { agencyId });
    const days = lines.map((line, index) => dayField(line.visitDate, ['lines', index, 'visitDate'], 'body'));
    const typeIds = [...new Set(lines.map((line) => line.typeId))];
    const terms = await repo.termsOf(db, agencyId, typeIds, Math.min(...days), Math.max(...days));
    const defaults = new Map(terms.types.map((row) => [row.type_id, row.price_fen]));
    const ceilings = new Map<number, number>();
    for (const typeId of typeIds) {
      if (!defaults.has(typeId)) throw new AppError('AGENCY_TYPE_NOT_AUTHORISED', { agencyId, typeId });
      ceilings.set(typeId, await this.agencyPriceOf(db, typeId));
    }
    const unitPricesFen = lines.map((line, index) => {
      const day = days[index]!;
      const dated = terms.dated.find(
        (row) => row.type_id === line.typeId && row.from_day <= day && day <= row.to_day,
      );
      return Math.min(dated?.price_fen ?? defaults.get(line.typeId)!, ceilings.get(line.typeId)!);
    });
    return { agencyId, paymentMode: agency.payment_mode as AgencyPaymentMode, unitPricesFen };
  }

  debit(db: Connection, money: OrderMoney & { readonly kind: 'order_debit' | 'fee' }): Promise<void> {
    return ledger.debit(db, money);
  }

  credit(
    db: Connection,
    money: OrderMoney & { readonly kind: 'cancellation_credit' | 'refund_credit' },
  ): Promise<void> {
    return ledger.credit(db, money);
  }

  async agencyOfOperator(operatorId: string): Promise<string | null> {
    return (await repo.agencyOfOperator(this.db, operatorId)) ?? null;
  }

  // ——— Accounts ———

  async get(agencyId: string): Promise<Agency> {
    return agencyView(await this.row(this.db, agencyId));
  }

  async list(query: AgencyListQuery): Promise<AgencyPage> {
    const { rows, next } = await repo.listAgencies(this.db, { status: query.status }, query);
    return { agencies: rows.map(agencyView), next };
  }

  create(input: CreateAgency, context: ChangeContext): Promise<Agency> {
    return this.licenceUnique(input.licenceNo, () =>
      auditedTransaction(this.db, async (trx) => {
        const now = this.now();
        const row: repo.AgencyRow = {
          id: randomUUID(),
          name: input.name,
          licence_no: input.licenceNo,
          contacts_json: JSON.stringify(input.contacts),
          status: 'active',
          payment_mode: input.paymentMode,
          credit_limit_fen: input.creditLimitFen,
          balance_fen: 0,
          ledger_seq: 0,
          last_entry_at: 0,
          created_at: now,
          updated_at: now,
        };
        await repo.insertAgency(trx, row);
        const created = agencyView(row);
        await recordAudit(trx, {
          actor: context.actor,
          ip: context.ip,
          action: 'agency.create',
          entity: 'agency',
          entityId: row.id,
          after: created,
        });
        return created;
      }),
    );
  }

  /**
   * Changes the account. A payment mode or limit changed under a balance is allowed: a prepaid agency whose balance
   * is below zero (a negative adjustment) simply cannot order until it tops up; a credit agency whose limit falls
   * below what it has used likewise.
   */
  update(agencyId: string, input: UpdateAgency, context: ChangeContext): Promise<Agency> {
    return this.licenceUnique(input.licenceNo ?? '', () =>
      auditedTransaction(this.db, async (trx) => {
        const before = agencyView(await this.row(trx, agencyId));
        await repo.updateAgency(trx, agencyId, {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.licenceNo !== undefined && { licence_no: input.licenceNo }),
          ...(input.contacts !== undefined && { contacts_json: JSON.stringify(input.contacts) }),
          ...(input.status !== undefined && { status: input.status }),
          ...(input.paymentMode !== undefined && { payment_mode: input.paymentMode }),
          ...(input.creditLimitFen !== undefined && { credit_limit_fen: input.creditLimitFen }),
          updated_at: this.now(),
        });
        const after = agencyView(await this.row(trx, agencyId));
        await recordAudit(trx, {
          actor: context.actor,
          ip: context.ip,
          action: 'agency.update',
          entity: 'agency',
          entityId: agencyId,
          before,
          after,
        });
        return after;
      }),
    );
  }

  // ——— Authorised types and settlement prices ———

  async listTypes(agencyId: string): Promise<AgencyType[]> {
    await this.row(this.db, agencyId);
    const { types, dated } = await repo.listTypes(this.db, agencyId);
    return types.map((row) =>
      typeView(
        row,
        dated.filter((price) => price.type_id === row.type_id),
      ),
    );
  }

  /**
   * Authorises a type at a settlement price (and dated prices), replacing what it had. Every price must be at most
   * the type's current agency channel price, and a type without one cannot be authorised: the settlement price is
   * the agency's discount on that price, never a price above what the venue asks of agencies.
   */
  async putType(
    agencyId: string,
    typeId: number,
    input: PutAgencyType,
    context: ChangeContext,
  ): Promise<AgencyType> {
    const ranges = datedRanges(input.dated);
    return auditedTransaction(this.db, async (trx) => {
      await this.row(trx, agencyId);
      const channelFen = await this.agencyPriceOf(trx, typeId);
      for (const priceFen of [input.priceFen, ...ranges.map((range) => range.price_fen)])
        if (priceFen > channelFen)
          throw new AppError('AGENCY_PRICE_ABOVE_CHANNEL', { typeId, priceFen, channelFen });
      const before = await this.typeOf(trx, agencyId, typeId);
      const now = this.now();
      const row = {
        agency_id: agencyId,
        type_id: typeId,
        price_fen: input.priceFen,
        created_at: now,
        updated_at: now,
      };
      const dated = ranges.map(({ from_day, to_day, price_fen }) => ({
        agency_id: agencyId,
        type_id: typeId,
        from_day,
        to_day,
        price_fen,
      }));
      await repo.putType(trx, row, dated);
      const after = (await this.typeOf(trx, agencyId, typeId))!;
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'agency.type.put',
        entity: 'agency',
        entityId: agencyId,
        before: before ?? undefined,
        after,
      });
      return after;
    });
  }

  removeType(agencyId: string, typeId: number, context: ChangeContext): Promise<void> {
    return auditedTransaction(this.db, async (trx) => {
      await this.row(trx, agencyId);
      const before = await this.typeOf(trx, agencyId, typeId);
      if (!before || !(await repo.deleteType(trx, agencyId, typeId)))
        throw new AppError('NOT_FOUND', { resource: AUTHORISATION, id: `${agencyId}/${typeId}` });
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'agency.type.remove',
        entity: 'agency',
        entityId: agencyId,
        before,
      });
    });
  }

  // ——— Ledger ———

  /** Money received from the agency (a deposit, or a credit agency paying back what it used). */
  topUp(agencyId: string, input: TopUp, context: ChangeContext): Promise<LedgerEntry> {
    return this.venueMovement(agencyId, 'topup', input.amountFen, input.note ?? null, context);
  }

  /** A correction by the venue's finance, either way, with its reason; never refused for the balance. */
  adjust(agencyId: string, input: Adjustment, context: ChangeContext): Promise<LedgerEntry> {
    return this.venueMovement(agencyId, 'adjustment', input.amountFen, input.reason, context);
  }

  async ledger(agencyId: string, query: LedgerQuery): Promise<LedgerPage> {
    await this.row(this.db, agencyId);
    const { rows, next } = await repo.listLedger(this.db, agencyId, query);
    return { entries: rows.map(entryView), next };
  }

  /** The statement of venue-local days [from, to] (ledger.ts statementOf: its identity always holds). */
  async statement(agencyId: string, from: string, to: string): Promise<Statement> {
    const fromDay = dayField(from, ['from'], 'querystring');
    const toDay = dayField(to, ['to'], 'querystring');
    if (toDay < fromDay)
      throw invalidInput('querystring', [
        {
          path: ['to'],
          code: 'custom',
          messages: { 'zh-CN': '结束日期不能早于开始日期', en: 'to must not be before from' },
        },
      ]);
    return ledger.statementOf(this.db, agencyId, fromDay, toDay, this.options.timeZone);
  }

  /** The statement as a report table for the exports (statement-table.ts), headed with the agency's name. */
  async statementTable(agencyId: string, from: string, to: string, language: Language): Promise<ReportTable> {
    const statement = await this.statement(agencyId, from, to);
    const { name } = await this.get(agencyId);
    return statementTable(statement, name, language, this.options.timeZone);
  }

  // ——— Agency operators ———

  async listOperators(agencyId: string): Promise<AgencyOperator[]> {
    await this.row(this.db, agencyId);
    const rows = await repo.operatorsOf(this.db, agencyId);
    return rows.map((row) => ({ operatorId: row.operator_id, linkedAt: row.created_at }));
  }

  /**
   * Links an operator of the `agency` role to this agency (replacing a link to another). Only that role: a link
   * limits what its holder sees, and a member of the venue's staff must never be narrowed, or widened, by one.
   */
  async linkOperator(agencyId: string, operatorId: string, context: ChangeContext): Promise<AgencyOperator> {
    const operator = await this.operators.get(operatorId);
    if (!operator.roles.includes('agency'))
      throw invalidInput('body', [
        {
          path: ['operatorId'],
          code: 'custom',
          messages: {
            'zh-CN': '只能关联具有“旅行社”角色的操作员',
            en: 'only an operator with the agency role can be linked',
          },
        },
      ]);
    return auditedTransaction(this.db, async (trx) => {
      await this.row(trx, agencyId);
      const before = await repo.agencyOfOperator(trx, operatorId);
      const now = this.now();
      await repo.linkOperator(trx, operatorId, agencyId, now);
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'agency.operator.link',
        entity: 'agency',
        entityId: agencyId,
        before: before === undefined ? undefined : { operatorId, agencyId: before },
        after: { operatorId, agencyId },
      });
      return { operatorId, linkedAt: now };
    });
  }

  unlinkOperator(agencyId: string, operatorId: string, context: ChangeContext): Promise<void> {
    return auditedTransaction(this.db, async (trx) => {
      if (!(await repo.unlinkOperator(trx, operatorId, agencyId)))
        throw new AppError('NOT_FOUND', { resource: LINK, id: `${agencyId}/${operatorId}` });
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'agency.operator.unlink',
        entity: 'agency',
        entityId: agencyId,
        before: { operatorId, agencyId },
      });
    });
  }

  // ——— helpers ———

  /** The type's current agency channel price (NOT_FOUND, or TICKET_TYPE_NOT_ON_CHANNEL without one). */
  private async agencyPriceOf(db: Connection, typeId: number): Promise<number> {
    const channelFen = (await this.ticketTypes.get(typeId, db)).prices.agency;
    if (channelFen === undefined)
      throw new AppError('TICKET_TYPE_NOT_ON_CHANNEL', { typeId, channel: CHANNEL_NAMES.agency });
    return channelFen;
  }

  private row(db: Connection, agencyId: string): Promise<repo.AgencyRow> {
    return agencyRow(db, agencyId);
  }

  private async typeOf(db: Connection, agencyId: string, typeId: number): Promise<AgencyType | null> {
    const row = await repo.findType(db, agencyId, typeId);
    return row ? typeView(row, await repo.datedPricesOf(db, agencyId, typeId)) : null;
  }

  private venueMovement(
    agencyId: string,
    kind: 'topup' | 'adjustment',
    amount: number,
    note: string | null,
    context: ChangeContext,
  ): Promise<LedgerEntry> {
    return auditedTransaction(this.db, async (trx) => {
      const entry = entryView(
        await ledger.book(trx, agencyId, {
          kind,
          amount,
          at: this.now(),
          orderId: null,
          note,
          actor: context.actor,
        }),
      );
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: kind === 'topup' ? 'agency.topup' : 'agency.adjust',
        entity: 'agency',
        entityId: agencyId,
        after: entry,
      });
      return entry;
    });
  }

  /** A licence number already held by another agency answers AGENCY_LICENCE_TAKEN (the unique index decides). */
  private async licenceUnique<T>(licenceNo: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('AGENCY_LICENCE_TAKEN', { licenceNo }, { cause: error });
      throw error;
    }
  }
}
