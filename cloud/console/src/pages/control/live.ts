/**
 * How the control room's push streams change what the console holds (pure, tested in live.test.ts): a `snapshot`
 * replaces, a change updates its one item. Each function takes the cached value and one frame's batch of events and
 * returns the new value, so a batch costs one cache write and one render. Applying an event twice changes nothing
 * more than applying it once (a stream shared between tabs may deliver one twice while its leader changes).
 */

import type {
  GateStatus,
  OccupancyAlert,
  OccupancyFigure,
  PassageItem,
  SiteOccupancy,
} from '../../api/types';
import type { StreamEvent } from '../../components/event-stream';

export interface GateStatusList {
  readonly items: GateStatus[];
}

export interface OccupancyList {
  readonly items: SiteOccupancy[];
}

export interface PassageFeed {
  readonly items: PassageItem[];
  readonly next: string | null;
}

/** Newest passages the live feed keeps in memory (older ones are in the history). */
export const LIVE_FEED_LIMIT = 200;
/** Alerts kept from the stream, newest first. */
export const LIVE_ALERTS_LIMIT = 50;

function byGate(a: GateStatus, b: GateStatus): number {
  return a.siteId.localeCompare(b.siteId) || a.gateId.localeCompare(b.gateId);
}

export function applyGateStatus(
  current: GateStatusList | undefined,
  batch: readonly StreamEvent[],
): GateStatusList | undefined {
  let gates: Map<string, GateStatus> | undefined;
  for (const { event, data } of batch) {
    if (event === 'snapshot') {
      gates = new Map((data as GateStatusList).items.map((item) => [item.gateId, item]));
    } else if (event === 'status') {
      gates ??= new Map((current?.items ?? []).map((item) => [item.gateId, item]));
      const status = data as GateStatus;
      gates.set(status.gateId, status);
    }
  }
  return gates ? { items: [...gates.values()].sort(byGate) } : current;
}

/** A figure of a new occupancy day before anything moved: capacity kept, counts zero. */
function emptyFigure(figure: OccupancyFigure, day: string): OccupancyFigure {
  return {
    ...figure,
    day,
    entries: 0,
    exits: 0,
    inside: 0,
    clamped: 0,
    percent: figure.capacity ? 0 : null,
    level: 0,
    updatedAt: null,
  };
}

function applyFigure(sites: SiteOccupancy[], figure: OccupancyFigure): SiteOccupancy[] {
  const index = sites.findIndex((site) => site.siteId === figure.siteId);
  const found = sites[index];
  if (!found) {
    // A site created after the snapshot: shown from its first figure on.
    const site: SiteOccupancy = {
      siteId: figure.siteId,
      day: figure.day,
      site:
        figure.zoneId === null
          ? figure
          : emptyFigure({ ...figure, zoneId: null, capacity: null }, figure.day),
      zones: figure.zoneId === null ? [] : [figure],
    };
    return [...sites, site].sort((a, b) => a.siteId.localeCompare(b.siteId));
  }
  // A late event of an earlier day moves that day's counters, not today's.
  if (figure.day < found.day) return sites;
  let site = found;
  if (figure.day > found.day) {
    // The occupancy day turned over: every counter of the site starts again from zero.
    site = {
      ...found,
      day: figure.day,
      site: emptyFigure(found.site, figure.day),
      zones: found.zones.map((zone) => emptyFigure(zone, figure.day)),
    };
  }
  if (figure.zoneId === null) site = { ...site, site: figure };
  else {
    const zones = site.zones.some((zone) => zone.zoneId === figure.zoneId)
      ? site.zones.map((zone) => (zone.zoneId === figure.zoneId ? figure : zone))
      : [...site.zones, figure].sort((a, b) => (a.zoneId ?? '').localeCompare(b.zoneId ?? ''));
    site = { ...site, zones };
  }
  const next = [...sites];
  next[index] = site;
  return next;
}

export function applyOccupancy(
  current: OccupancyList | undefined,
  batch: readonly StreamEvent[],
): OccupancyList | undefined {
  let sites = current?.items;
  let changed = false;
  for (const { event, data } of batch) {
    if (event === 'snapshot') {
      sites = (data as OccupancyList).items;
      changed = true;
    } else if (event === 'figure') {
      sites = applyFigure(sites ?? [], data as OccupancyFigure);
      changed = true;
    }
  }
  return changed && sites ? { items: sites } : current;
}

export function applyOccupancyAlerts(
  current: OccupancyAlert[] | undefined,
  batch: readonly StreamEvent[],
): OccupancyAlert[] | undefined {
  const known = new Set((current ?? []).map((alert) => alert.id));
  const arrived = batch
    .filter((item) => item.event === 'alert')
    .map((item) => item.data as OccupancyAlert)
    .filter((alert) => !known.has(alert.id) && known.add(alert.id));
  if (arrived.length === 0) return current;
  return [...arrived.reverse(), ...(current ?? [])].slice(0, LIVE_ALERTS_LIMIT);
}

export function applyPassages(
  current: PassageFeed | undefined,
  batch: readonly StreamEvent[],
): PassageFeed | undefined {
  let feed = current;
  for (const { event, data } of batch) {
    if (event === 'snapshot') feed = data as PassageFeed;
    else if (event === 'passage' || event === 'denial') {
      const item = data as PassageItem;
      const items = feed?.items ?? [];
      if (items.some((known) => known.eventId === item.eventId)) continue;
      feed = { items: [item, ...items].slice(0, LIVE_FEED_LIMIT), next: feed?.next ?? null };
    }
  }
  return feed;
}

/** The key of a figure's place on screen: a site (zone null) or one of its zones. */
export function figureKey(figure: Pick<OccupancyFigure, 'siteId' | 'zoneId'>): string {
  return `${figure.siteId}/${figure.zoneId ?? ''}`;
}

/**
 * Figures whose alert level went up since `previous` (levels by figureKey), and the levels now. The first sight of a
 * figure is not a rise: opening the page at 90 % shows the banner without sounding the alarm again.
 */
export function risenLevels(
  previous: ReadonlyMap<string, number> | undefined,
  sites: readonly SiteOccupancy[],
): { risen: OccupancyFigure[]; levels: Map<string, number> } {
  const levels = new Map<string, number>();
  const risen: OccupancyFigure[] = [];
  for (const site of sites)
    for (const figure of [site.site, ...site.zones]) {
      const key = figureKey(figure);
      levels.set(key, figure.level);
      const before = previous?.get(key);
      if (previous && before !== undefined && figure.level > before) risen.push(figure);
    }
  return { risen, levels };
}
