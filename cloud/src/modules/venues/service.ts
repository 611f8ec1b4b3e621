/**
 * Rules for sites, zones, windows and gates: ids are unique (per site for zones and windows, installation-wide for
 * gates), a gate stands in an existing zone of its own site, and nothing still referenced is deleted. Each change
 * runs in one transaction with its operation-log entry, so a lost race surfaces as a catalogue error, never a
 * half-written row or a change without its log entry.
 */
import { isForeignKeyViolation, isUniqueViolation } from '../../db/constraint-errors.js';
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, assertSiteInScope, coversAllSites, type SiteScope } from '../../platform/site-scope.js';
import * as repo from './repo.js';
import type {
  CreateGate,
  CreateSite,
  CreateWindow,
  CreateZone,
  Gate,
  Page,
  PageQuery,
  Site,
  TicketWindow,
  UpdateGate,
  UpdateSite,
  UpdateWindow,
  UpdateZone,
  Zone,
} from './schemas.js';
import { type VenueDb, venueTables } from './tables.js';

export const RESOURCES = {
  site: { 'zh-CN': '景区', en: 'Site' },
  zone: { 'zh-CN': '区域', en: 'Zone' },
  window: { 'zh-CN': '售票窗口', en: 'Ticket window' },
  gate: { 'zh-CN': '闸机', en: 'Gate' },
} as const satisfies Record<string, Localized>;

type Resource = keyof typeof RESOURCES;

function notFound(resource: Resource, id: string): AppError {
  return new AppError('NOT_FOUND', { resource: RESOURCES[resource], id });
}

/** Runs an insert; a unique-key refusal (a concurrent create won) becomes VENUE_ID_TAKEN. */
async function inserting(resource: Resource, id: string, insert: () => Promise<void>): Promise<void> {
  try {
    await insert();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('VENUE_ID_TAKEN', { resource: RESOURCES[resource], id }, { cause: error });
    throw error;
  }
}

/** Runs a delete; a foreign-key refusal (something still points at the row) becomes VENUE_IN_USE. */
async function deleting(resource: Resource, id: string, remove: () => Promise<void>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (isForeignKeyViolation(error))
      throw new AppError('VENUE_IN_USE', { resource: RESOURCES[resource], id }, { cause: error });
    throw error;
  }
}

/** Appends the operation-log entry for a change, inside the change's transaction. */
function audit(
  trx: Connection,
  context: ChangeContext,
  action: `${Resource}.${'create' | 'update' | 'delete'}`,
  entityId: string,
  change: { before?: unknown; after?: unknown },
): Promise<unknown> {
  const entity = action.slice(0, action.indexOf('.'));
  return recordAudit(trx, { actor: context.actor, ip: context.ip, action, entity, entityId, ...change });
}

const FIRST_PAGE: PageQuery = { limit: 50 };

export class VenuesService {
  private readonly db: VenueDb;

  constructor(
    db: Connection,
    private readonly now: () => number = Date.now,
    /**
     * Called once a gate's deactivation or deletion has committed: its live broker session must end too (new logins
     * are refused already), or it would go on reading configs and whitelist deltas meant for active gates.
     */
    private readonly onGateRetired: (gate: { siteId: string; gateId: string }) => void = () => undefined,
  ) {
    this.db = venueTables(db);
  }

  /** One page in id order (default: the first 50) of the sites in `scope`. */
  listSites(page: PageQuery = FIRST_PAGE, scope: SiteScope = ALL_SITES): Promise<Page<Site>> {
    return repo.listSites(this.db, page, scope);
  }

  /**
   * Also for other modules (ticket types, sales) inside their own transactions. A site out of `scope` is not found,
   * and neither is anything in it: every read and change below starts here.
   */
  async getSite(id: string, db: Connection = this.db, scope: SiteScope = ALL_SITES): Promise<Site> {
    const site = await repo.findSite(db, id, scope);
    if (!site) throw notFound('site', id);
    return site;
  }

  /** Refuses a site out of scope as not found; costs nothing for an operator of every site. */
  private async assertVisible(siteId: string, scope: SiteScope, db: Connection = this.db): Promise<void> {
    if (!coversAllSites(scope)) await this.getSite(siteId, db, scope);
  }

  createSite(input: CreateSite, context: ChangeContext): Promise<Site> {
    return auditedTransaction(this.db, async (trx) => {
      if (await repo.findSite(trx, input.id))
        throw new AppError('VENUE_ID_TAKEN', { resource: RESOURCES.site, id: input.id });
      const now = this.now();
      const site: Site = {
        ...input,
        autoCheckoutAt: input.autoCheckoutAt ?? null,
        createdAt: now,
        updatedAt: now,
      };
      await inserting('site', site.id, () => repo.insertSite(trx, site));
      await audit(trx, context, 'site.create', site.id, { after: site });
      return site;
    });
  }

  updateSite(id: string, changes: UpdateSite, context: ChangeContext): Promise<Site> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await this.getSite(id, trx, context.sites);
      const site = { ...before, ...changes, updatedAt: this.now() };
      await repo.updateSite(trx, site);
      await audit(trx, context, 'site.update', id, { before, after: site });
      return site;
    });
  }

  deleteSite(id: string, context: ChangeContext): Promise<void> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await this.getSite(id, trx, context.sites);
      await deleting('site', id, () => repo.deleteSite(trx, id));
      await audit(trx, context, 'site.delete', id, { before });
    });
  }

  async listZones(
    siteId: string,
    page: PageQuery = FIRST_PAGE,
    scope: SiteScope = ALL_SITES,
  ): Promise<Page<Zone>> {
    await this.getSite(siteId, this.db, scope);
    return repo.listZones(this.db, siteId, page);
  }

  async getZone(
    siteId: string,
    id: string,
    db: Connection = this.db,
    scope: SiteScope = ALL_SITES,
  ): Promise<Zone> {
    await this.assertVisible(siteId, scope, db);
    const zone = await repo.findZone(db, siteId, id);
    if (!zone) throw notFound('zone', `${siteId}/${id}`);
    return zone;
  }

  createZone(siteId: string, input: CreateZone, context: ChangeContext): Promise<Zone> {
    return auditedTransaction(this.db, async (trx) => {
      assertSiteInScope(context.sites ?? ALL_SITES, siteId);
      await this.getSite(siteId, trx);
      const key = `${siteId}/${input.id}`;
      if (await repo.findZone(trx, siteId, input.id))
        throw new AppError('VENUE_ID_TAKEN', { resource: RESOURCES.zone, id: key });
      const now = this.now();
      const zone: Zone = { siteId, ...input, createdAt: now, updatedAt: now };
      await inserting('zone', key, () => repo.insertZone(trx, zone));
      await audit(trx, context, 'zone.create', key, { after: zone });
      return zone;
    });
  }

  updateZone(siteId: string, id: string, changes: UpdateZone, context: ChangeContext): Promise<Zone> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await this.getZone(siteId, id, trx, context.sites);
      const zone = { ...before, ...changes, updatedAt: this.now() };
      await repo.updateZone(trx, zone);
      await audit(trx, context, 'zone.update', `${siteId}/${id}`, { before, after: zone });
      return zone;
    });
  }

  deleteZone(siteId: string, id: string, context: ChangeContext): Promise<void> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await this.getZone(siteId, id, trx, context.sites);
      await deleting('zone', `${siteId}/${id}`, () => repo.deleteZone(trx, siteId, id));
      await audit(trx, context, 'zone.delete', `${siteId}/${id}`, { before });
    });
  }

  async listWindows(
    siteId: string,
    page: PageQuery = FIRST_PAGE,
    scope: SiteScope = ALL_SITES,
  ): Promise<Page<TicketWindow>> {
    await this.getSite(siteId, this.db, scope);
    return repo.listWindows(this.db, siteId, page);
  }

  async getWindow(
    siteId: string,
    id: string,
    db: Connection = this.db,
    scope: SiteScope = ALL_SITES,
  ): Promise<TicketWindow> {
    await this.assertVisible(siteId, scope, db);
    const window = await repo.findWindow(db, siteId, id);
    if (!window) throw notFound('window', `${siteId}/${id}`);
    return window;
  }

  createWindow(siteId: string, input: CreateWindow, context: ChangeContext): Promise<TicketWindow> {
    return auditedTransaction(this.db, async (trx) => {
      assertSiteInScope(context.sites ?? ALL_SITES, siteId);
      await this.getSite(siteId, trx);
      const key = `${siteId}/${input.id}`;
      if (await repo.findWindow(trx, siteId, input.id))
        throw new AppError('VENUE_ID_TAKEN', { resource: RESOURCES.window, id: key });
      const now = this.now();
      const window: TicketWindow = { siteId, ...input, createdAt: now, updatedAt: now };
      await inserting('window', key, () => repo.insertWindow(trx, window));
      await audit(trx, context, 'window.create', key, { after: window });
      return window;
    });
  }

  updateWindow(
    siteId: string,
    id: string,
    changes: UpdateWindow,
    context: ChangeContext,
  ): Promise<TicketWindow> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await this.getWindow(siteId, id, trx, context.sites);
      const window = { ...before, ...changes, updatedAt: this.now() };
      await repo.updateWindow(trx, window);
      await audit(trx, context, 'window.update', `${siteId}/${id}`, { before, after: window });
      return window;
    });
  }

  deleteWindow(siteId: string, id: string, context: ChangeContext): Promise<void> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await this.getWindow(siteId, id, trx, context.sites);
      await deleting('window', `${siteId}/${id}`, () => repo.deleteWindow(trx, siteId, id));
      await audit(trx, context, 'window.delete', `${siteId}/${id}`, { before });
    });
  }

  async listGates(
    siteId: string,
    page: PageQuery = FIRST_PAGE,
    scope: SiteScope = ALL_SITES,
  ): Promise<Page<Gate>> {
    await this.getSite(siteId, this.db, scope);
    return repo.listGates(this.db, siteId, page);
  }

  /** A gate of `siteId`; a gate of another site is not found here (its URL names the wrong site). */
  async getGate(
    siteId: string,
    id: string,
    db: Connection = this.db,
    scope: SiteScope = ALL_SITES,
  ): Promise<Gate> {
    await this.assertVisible(siteId, scope, db);
    const gate = await repo.findGate(db, id);
    if (!gate || gate.siteId !== siteId) throw notFound('gate', `${siteId}/${id}`);
    return gate;
  }

  createGate(siteId: string, input: CreateGate, context: ChangeContext): Promise<Gate> {
    return auditedTransaction(this.db, async (trx) => {
      assertSiteInScope(context.sites ?? ALL_SITES, siteId);
      await this.getSite(siteId, trx);
      await this.getZone(siteId, input.zoneId, trx);
      if (await repo.findGate(trx, input.id))
        throw new AppError('VENUE_ID_TAKEN', { resource: RESOURCES.gate, id: input.id });
      const now = this.now();
      const gate: Gate = { siteId, ...input, createdAt: now, updatedAt: now };
      await inserting('gate', gate.id, () => repo.insertGate(trx, gate));
      await audit(trx, context, 'gate.create', gate.id, { after: gate });
      return gate;
    });
  }

  async updateGate(siteId: string, id: string, changes: UpdateGate, context: ChangeContext): Promise<Gate> {
    const gate = await auditedTransaction(this.db, async (trx) => {
      const before = await this.getGate(siteId, id, trx, context.sites);
      const gate = { ...before, ...changes, updatedAt: this.now() };
      if (changes.zoneId !== undefined) await this.getZone(siteId, changes.zoneId, trx);
      await repo.updateGate(trx, gate);
      await audit(trx, context, 'gate.update', id, { before, after: gate });
      return gate;
    });
    if (!gate.active) this.onGateRetired({ siteId, gateId: id });
    return gate;
  }

  async deleteGate(siteId: string, id: string, context: ChangeContext): Promise<void> {
    await auditedTransaction(this.db, async (trx) => {
      const before = await this.getGate(siteId, id, trx, context.sites);
      await deleting('gate', id, () => repo.deleteGate(trx, id));
      await audit(trx, context, 'gate.delete', id, { before });
    });
    this.onGateRetired({ siteId, gateId: id });
  }
}
