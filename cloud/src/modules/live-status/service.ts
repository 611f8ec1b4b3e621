/**
 * Live status (实时状态): today's figures of each site — sales by tender and channel, tickets, refunds, net, entries,
 * persons in the park, group persons, gates online — for the console's dashboard, read from the modules that own
 * them (figures.ts says what each figure counts) and pushed as they change (hub.ts). Owns no tables.
 */
import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import { clockOf, isoDateOfDay } from '../capacity/local-time.js';
import type { OccupancyService } from '../occupancy/service.js';
import type { PassageRecords } from '../passages/records.js';
import { takingsOfDays } from '../takings/reads.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import { activeGates, namedSites } from '../venues/reads.js';
import { liveFiguresOf } from './figures.js';
import { type LiveHubOptions, LiveStatusHub, type SignalSource } from './hub.js';
import type { LiveFigures } from './schemas.js';

const SITE = { 'zh-CN': '景区', en: 'Site' };

/** A gate's reported status, as far as live status needs it. */
export interface GateOnline {
  readonly gateId: string;
  readonly siteId: string;
  readonly online: boolean;
}

export interface LiveStatusDependencies {
  readonly ticketTypes: TicketTypesService;
  readonly occupancy: OccupancyService;
  readonly passageRecords: PassageRecords;
  /** Every gate's status: the MQTT side's live view when it runs, else as stored (bound late, like the broker). */
  readonly gateStatuses: () => Promise<readonly GateOnline[]>;
  /** What signals a change of a site's figures (takings recorded, passages stored, gates on- or offline). */
  readonly signals: readonly SignalSource[];
  readonly hub?: LiveHubOptions;
}

export class LiveStatusService {
  /** Pushes changed figures to the console's streams, at most once a second per site. */
  readonly hub: LiveStatusHub;
  private version = 0;

  constructor(
    private readonly db: Connection,
    private readonly deps: LiveStatusDependencies,
    private readonly now: () => number = Date.now,
  ) {
    this.hub = new LiveStatusHub((siteId) => this.ofSite(siteId), deps.signals, deps.hub);
  }

  /** The sites in `scope` (or the one asked for) with their names and zones; NOT_FOUND for an unknown or hidden one. */
  async sites(siteId: string | undefined, scope: SiteScope = ALL_SITES) {
    const sites = await namedSites(this.db, siteId, scope);
    if (siteId !== undefined && sites.length === 0)
      throw new AppError('NOT_FOUND', { resource: SITE, id: siteId });
    return sites;
  }

  /** Today's figures of one site, or of every site in `scope`. */
  async figures(siteId: string | undefined, scope: SiteScope = ALL_SITES): Promise<LiveFigures[]> {
    const sites = await this.sites(siteId, scope);
    return Promise.all(sites.map((site) => this.read(site)));
  }

  /** Today's figures of one site (the hub's reading). */
  async ofSite(siteId: string): Promise<LiveFigures> {
    const [site] = await this.sites(siteId);
    return this.read(site!);
  }

  private async read(site: Awaited<ReturnType<typeof namedSites>>[number]): Promise<LiveFigures> {
    const { id: siteId, timezone: timeZone } = site;
    const version = ++this.version;
    const at = this.now();
    const day = clockOf(timeZone).dayNumber(at);
    const [takings, types, passages, occupancy, gates, statuses] = await Promise.all([
      takingsOfDays(this.db, siteId, day, day),
      this.deps.ticketTypes.list({ siteId }),
      this.deps.passageRecords.summary({ siteId }),
      this.deps.occupancy.current(siteId),
      activeGates(this.db, { siteId }),
      this.deps.gateStatuses(),
    ]);
    const active = new Set(gates.map((gate) => gate.id));
    return liveFiguresOf({
      siteId,
      siteName: { zh: site.name_zh, en: site.name_en },
      timeZone,
      date: isoDateOfDay(day),
      at,
      version,
      takings,
      groupTypes: new Set(types.filter((type) => type.kind === 'group').map((type) => type.typeId)),
      entries: passages.entries,
      inPark: occupancy[0]?.site.inside ?? 0,
      gates: {
        online: statuses.filter((s) => s.siteId === siteId && s.online && active.has(s.gateId)).length,
        total: active.size,
      },
    });
  }
}
