/**
 * Live occupancy for the console's push stream: the ingestion emits each counter it changed (after its transaction
 * committed) and each alert level change. Listeners are the SSE streams and the metrics.
 *
 * Every instance sees every change: with several cloud instances on one PostgreSQL the figures and alerts this
 * instance stored are sent to the others (db/notifications.ts) and theirs arrive here. They can arrive in another
 * order than they were committed, so a figure goes out only when it is newer than the last one of its site, zone and
 * day: a counter only grows within its day (entries and exits), so entries + exits orders its states, and every
 * instance ends on the same figure.
 */
import { EventEmitter } from 'node:events';
import type { ClusterNotifications } from '../../db/notifications.js';
import type { OccupancyAlert, OccupancyFigure } from './service.js';

const TOPIC = 'occupancy';
/** One change as sent between instances. */
type Change = { figure?: OccupancyFigure; alert?: OccupancyAlert };
/** Counters remembered at most (sites × zones × days); past it the oldest go. */
const CAPACITY = 10_000;

export class OccupancyHub extends EventEmitter<{ figure: [OccupancyFigure]; alert: [OccupancyAlert] }> {
  private readonly latest = new Map<string, number>();

  constructor(private readonly cluster?: ClusterNotifications) {
    super();
    cluster?.subscribe(TOPIC, (items) => {
      const changes = items as Change[];
      this.emitAll(
        changes.flatMap((c) => (c.figure ? [c.figure] : [])),
        changes.flatMap((c) => (c.alert ? [c.alert] : [])),
      );
    });
  }

  /** What this instance stored: to its own listeners and to the other instances'. */
  publish(figures: readonly OccupancyFigure[], alerts: readonly OccupancyAlert[]): void {
    this.emitAll(figures, alerts);
    if (this.cluster?.enabled && figures.length + alerts.length > 0)
      this.cluster.publish(TOPIC, [
        ...figures.map((figure): Change => ({ figure })),
        ...alerts.map((alert): Change => ({ alert })),
      ]);
  }

  private emitAll(figures: readonly OccupancyFigure[], alerts: readonly OccupancyAlert[]): void {
    for (const figure of figures) if (this.isNewer(figure)) this.emit('figure', figure);
    for (const alert of alerts) this.emit('alert', alert);
  }

  private isNewer(figure: OccupancyFigure): boolean {
    const key = `${figure.siteId}\u0000${figure.zoneId ?? ''}\u0000${figure.day}`;
    const moved = figure.entries + figure.exits;
    const last = this.latest.get(key);
    if (last !== undefined && moved <= last) return false;
    this.latest.delete(key);
    if (this.latest.size >= CAPACITY) this.latest.delete(this.latest.keys().next().value as string);
    this.latest.set(key, moved);
    return true;
  }
}
