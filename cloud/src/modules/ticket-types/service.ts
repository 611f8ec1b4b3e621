/**
 * Ticket-type management (票种类管理). Owns the rules: type ids are unique installation-wide and codes per site;
 * every definition change writes a new immutable version (history is never rewritten, sales reference the version
 * they sold); activation is not a definition change; zones and gates named in the rules exist in the type's site.
 * Each change, with its audit entry, is one transaction.
 */

import { isDeepStrictEqual } from 'node:util';
import type { TicketTypeRules } from '@scenic/protocol';
import { isUniqueViolation } from '../../db/constraint-errors.js';
import type { Connection, TransactionOf } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { deepFreeze } from '../../platform/deep-freeze.js';
import { AppError } from '../../platform/errors.js';
import { ageOn, type CivilDate, parseIsoDate } from '../../platform/identity/civil-date.js';
import { requireResidentId } from '../../platform/identity/resident-id.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, assertSiteInScope, coversAllSites, type SiteScope } from '../../platform/site-scope.js';
import { invalidInput, parseLocalized } from '../../platform/validation.js';
import type { VenuesService } from '../venues/service.js';
import { toTicketTypeRules } from './gate-rules.js';
import { priceOf } from './pricing.js';
import * as repo from './repo.js';
import {
  type CreateTicketType,
  type Definition,
  defaultsFor,
  definitionSchema,
  type Quote,
  type QuoteRequest,
  type TicketType,
  type TicketTypeVersion,
  type UpdateTicketType,
} from './schemas.js';
import { type TicketTypeDb, ticketTypeTables } from './tables.js';
import { credentialLimitIssue } from './validity.js';

const TICKET_TYPE: Localized = { 'zh-CN': '票种', en: 'Ticket type' };
const VERSION: Localized = { 'zh-CN': '票种版本', en: 'Ticket type version' };

type AgePolicy = Awaited<ReturnType<VenuesService['getSite']>>['agePolicy'];

const VERSION_CACHE_SIZE = 1_000;

export type PriceForRequest = QuoteRequest & { readonly typeId: number };

function definitionOf(type: TicketType): Definition {
  const { typeId, version, createdAt, siteId, code, active, updatedAt, ...definition } = type;
  return definition;
}

/** Cross-field validation of a whole definition; failures read like request validation failures. */
function validDefinition(candidate: Definition): Definition {
  const result = parseLocalized(definitionSchema, candidate);
  if (!result.success) throw invalidInput('body', result.issues);
  return result.data;
}

function dateOrFail(text: string, field: string): CivilDate {
  const date = parseIsoDate(text);
  if (date) return date;
  throw invalidInput('body', [
    { path: [field], code: 'invalid_format', messages: { 'zh-CN': '日期无效', en: 'invalid date' } },
  ]);
}

export class TicketTypesService {
  private readonly db: TicketTypeDb;

  constructor(
    db: Connection,
    private readonly venues: VenuesService,
    private readonly now: () => number = Date.now,
  ) {
    this.db = ticketTypeTables(db);
  }

  private readonly versions = new Map<string, TicketTypeVersion>();

  async list(
    filter: { siteId?: string | undefined } = {},
    scope: SiteScope = ALL_SITES,
  ): Promise<TicketType[]> {
    const heads = await repo.listHeads(this.db, filter, scope);
    const versions = await repo.findVersions(
      this.db,
      heads.map((head) => ({ typeId: head.typeId, version: head.currentVersion })),
    );
    return heads.map((head, index) => repo.withHead(head, versions[index]!));
  }

  /**
   * The type with its current version; also for sales inside their own transaction. A type of a site out of
   * `scope` is not found.
   */
  async get(
    typeId: number,
    connection: Connection = this.db,
    scope: SiteScope = ALL_SITES,
  ): Promise<TicketType> {
    const db = ticketTypeTables(connection);
    const head = await repo.findHead(db, typeId, scope);
    if (!head) throw new AppError('NOT_FOUND', { resource: TICKET_TYPE, id: typeId });
    const version = await this.version(db, typeId, head.currentVersion);
    return repo.withHead(head, version!);
  }

  async getVersion(
    typeId: number,
    version: number,
    connection: Connection = this.db,
    scope: SiteScope = ALL_SITES,
  ): Promise<TicketTypeVersion> {
    const db = ticketTypeTables(connection);
    if (!coversAllSites(scope)) await this.get(typeId, db, scope);
    const found = await this.version(db, typeId, version);
    if (!found) throw new AppError('NOT_FOUND', { resource: VERSION, id: `${typeId}/${version}` });
    return found;
  }

  /**
   * Whether an unconfirmed passage (protocol `unconfirmed`) of a ticket of this type version uses an entry: its
   * rules' `unconfirmedUsesEntry`, true when unset (the turnstile was released, so the visitor may be inside).
   */
  async unconfirmedUsesEntry(
    typeId: number,
    version: number,
    connection: Connection = this.db,
  ): Promise<boolean> {
    return (await this.getVersion(typeId, version, connection)).rules.unconfirmedUsesEntry ?? true;
  }

  /**
   * A version is immutable once committed, so it is read once and kept (every sale needs its type's current
   * version). The one way a cached version could be wrong is a version read inside the transaction that wrote it,
   * which then rolled back, and its number written again differently: create and update therefore forget the type
   * once their transaction has ended, either way. The cached version is deeply frozen and shared: every sale line
   * reads it, and a private copy per read (structuredClone) cost more CPU than the rest of pricing.
   */
  private async version(
    db: TicketTypeDb,
    typeId: number,
    version: number,
  ): Promise<TicketTypeVersion | undefined> {
    const key = `${typeId}/${version}`;
    const cached = this.versions.get(key);
    if (cached) return cached;
    const [found] = await repo.findVersions(db, [{ typeId, version }]);
    if (!found) return undefined;
    const shared = deepFreeze(found);
    this.versions.set(key, shared);
    if (this.versions.size > VERSION_CACHE_SIZE) this.versions.delete(this.versions.keys().next().value!);
    return shared;
  }

  private forgetVersions(typeId: number): void {
    for (const key of this.versions.keys()) if (key.startsWith(`${typeId}/`)) this.versions.delete(key);
  }

  async listVersions(typeId: number, scope: SiteScope = ALL_SITES): Promise<TicketTypeVersion[]> {
    await this.get(typeId, this.db, scope);
    return repo.listVersions(this.db, typeId);
  }

  create(input: CreateTicketType, context: ChangeContext): Promise<TicketType> {
    const { typeId, siteId, code, active, ...fields } = input;
    const definition = validDefinition({ ...defaultsFor(input.kind), ...fields });
    return this.changing(typeId, async (trx) => {
      assertSiteInScope(context.sites ?? ALL_SITES, siteId);
      const site = await this.venues.getSite(siteId, trx);
      this.checkCredentialLimit(definition, site.timezone);
      await this.checkPlaces(trx, siteId, definition);
      if (await repo.findHead(trx, typeId)) throw new AppError('TICKET_TYPE_ID_TAKEN', { typeId });
      if (await repo.findHeadByCode(trx, siteId, code))
        throw new AppError('TICKET_TYPE_CODE_TAKEN', { siteId, code });
      const now = this.now();
      const head = {
        typeId,
        siteId,
        code,
        currentVersion: 1,
        active: active ?? true,
        createdAt: now,
        updatedAt: now,
      };
      const version: TicketTypeVersion = { ...definition, typeId, version: 1, createdAt: now };
      try {
        await repo.insertHead(trx, head);
      } catch (error) {
        // A concurrent create committed between our check and insert (SQLite cannot get here: it queues writers).
        if (isUniqueViolation(error))
          throw new AppError('TICKET_TYPE_ID_TAKEN', { typeId }, { cause: error });
        throw error;
      }
      await repo.insertVersion(trx, version);
      const created = repo.withHead(head, version);
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'ticket_type.create',
        entity: 'ticket_type',
        entityId: typeId,
        after: created,
      });
      return created;
    });
  }

  /**
   * Applies the named fields over the current definition. A real change writes version n+1 and makes it current;
   * a change of `active` alone, or fields equal to the current ones, writes no version.
   */
  update(typeId: number, input: UpdateTicketType, context: ChangeContext): Promise<TicketType> {
    const { active, expectedVersion, ...fields } = input;
    return this.changing(typeId, async (trx) => {
      const current = await this.get(typeId, trx, context.sites);
      if (expectedVersion !== undefined && expectedVersion !== current.version)
        throw new AppError('TICKET_TYPE_VERSION_STALE', {
          current: current.version,
          expected: expectedVersion,
        });
      const before = definitionOf(current);
      const definition = validDefinition({ ...before, ...fields });
      const changed = !isDeepStrictEqual(definition, before);
      // Only a new validity is checked: an edit of the price must not fail on a validity that time has overtaken
      // (its sales are refused with VALIDITY_BEYOND_CREDENTIAL until the validity is shortened).
      if (!isDeepStrictEqual(definition.validity, before.validity)) {
        const site = await this.venues.getSite(current.siteId, trx);
        this.checkCredentialLimit(definition, site.timezone);
      }
      if (changed) await this.checkPlaces(trx, current.siteId, definition);
      const now = this.now();
      const version: TicketTypeVersion = changed
        ? { ...definition, typeId, version: current.version + 1, createdAt: now }
        : { ...before, typeId, version: current.version, createdAt: current.createdAt };
      if (changed) await repo.insertVersion(trx, version);
      const head = {
        typeId,
        siteId: current.siteId,
        code: current.code,
        currentVersion: version.version,
        active: active ?? current.active,
        createdAt: current.createdAt,
        updatedAt: now,
      };
      await repo.updateHead(trx, typeId, head);
      const updated = repo.withHead(head, version);
      if (changed || head.active !== current.active) {
        await recordAudit(trx, {
          actor: context.actor,
          ip: context.ip,
          action: changed ? 'ticket_type.update' : active ? 'ticket_type.activate' : 'ticket_type.deactivate',
          entity: 'ticket_type',
          entityId: typeId,
          before: current,
          after: updated,
        });
      }
      return updated;
    });
  }

  /** Protocol rules of the current version, for gate configuration. */
  async gateRules(typeId: number, scope: SiteScope = ALL_SITES): Promise<TicketTypeRules> {
    return toTicketTypeRules(await this.get(typeId, this.db, scope));
  }

  /** Rules of every active type of a site: what its gates need. */
  async gateRulesForSite(siteId: string, scope: SiteScope = ALL_SITES): Promise<TicketTypeRules[]> {
    await this.venues.getSite(siteId, undefined, scope);
    const types = await this.list({ siteId }, scope);
    return types.filter((type) => type.active).map(toTicketTypeRules);
  }

  /**
   * What one ticket costs: the current version's channel price, reduced by the age rule that applies to the
   * visitor's completed years on the visit date (from the ID number, else the stated birth date). Sales call this
   * inside their transaction (pass it as `db`) and record the returned version with the sale.
   */
  async priceFor(
    request: PriceForRequest,
    connection: Connection = this.db,
    scope: SiteScope = ALL_SITES,
  ): Promise<Quote> {
    const db = ticketTypeTables(connection);
    const type = await this.get(request.typeId, db, scope);
    if (!type.active) throw new AppError('TICKET_TYPE_INACTIVE', { typeId: type.typeId });
    const site = await this.venues.getSite(type.siteId, db);
    return this.quote(type, site.agePolicy, request);
  }

  /**
   * `priceFor` for a caller that has read the type (`get`) and its site in its own transaction already — a sale —
   * so neither is read again for every ticket.
   */
  quote(type: TicketType, agePolicy: AgePolicy, request: QuoteRequest): Quote {
    if (!type.active) throw new AppError('TICKET_TYPE_INACTIVE', { typeId: type.typeId });
    const visitDate = dateOrFail(request.visitDate, 'visitDate');
    let birthDate: CivilDate | undefined;
    if (request.idNumber !== undefined) {
      birthDate = requireResidentId(request.idNumber, visitDate).birthDate;
    } else if (request.birthDate !== undefined) {
      birthDate = dateOrFail(request.birthDate, 'birthDate');
      if (ageOn(birthDate, visitDate) < 0) {
        throw invalidInput('body', [
          {
            path: ['birthDate'],
            code: 'custom',
            messages: { 'zh-CN': '出生日期晚于游玩日', en: 'birth date is after the visit date' },
          },
        ]);
      }
    }
    return priceOf(type, agePolicy, {
      channel: request.channel,
      visitDate,
      ...(birthDate && { birthDate }),
      ...(request.persons !== undefined && { persons: request.persons }),
    });
  }

  /** An audited change of one type's definition; see `version` for why its cached versions are dropped after. */
  private async changing<T>(
    typeId: number,
    fn: (trx: TransactionOf<TicketTypeDb>) => Promise<T>,
  ): Promise<T> {
    try {
      return await auditedTransaction(this.db, fn);
    } finally {
      this.forgetVersions(typeId);
    }
  }

  /** A type none of whose tickets could be sold is refused: its validity must fit in a QR credential. */
  private checkCredentialLimit(definition: Definition, timeZone: string): void {
    const issue = credentialLimitIssue(definition.validity, this.now(), timeZone);
    if (issue) throw invalidInput('body', [issue]);
  }

  /** Zones and gates named in the rules must belong to the type's site. */
  private async checkPlaces(db: TicketTypeDb, siteId: string, definition: Definition): Promise<void> {
    for (const zoneId of definition.rules.zones) await this.venues.getZone(siteId, zoneId, db);
    for (const gateId of definition.rules.gates) await this.venues.getGate(siteId, gateId, db);
  }
}
