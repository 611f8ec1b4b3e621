/**
 * Live occupancy for the console's push stream: the ingestion emits each counter it changed (after its transaction
 * committed) and each alert level change. Listeners are the SSE streams and the metrics.
 */
import { EventEmitter } from 'node:events';
import type { OccupancyAlert, OccupancyFigure } from './service.js';

export class OccupancyHub extends EventEmitter<{ figure: [OccupancyFigure]; alert: [OccupancyAlert] }> {
  publish(figures: readonly OccupancyFigure[], alerts: readonly OccupancyAlert[]): void {
    for (const figure of figures) this.emit('figure', figure);
    for (const alert of alerts) this.emit('alert', alert);
  }
}
