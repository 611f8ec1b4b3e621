/**
 * Newly stored passages and denials for the console's push stream (GET /api/v1/passages/stream): the ingestion hands
 * each batch it stored to the hub after the batch's transaction committed, so a listener never sees an event that is
 * not stored. With nobody listening, publishing costs one size check. A listener that throws is reported and
 * skipped: the events are stored already, and the ingestion must not take a listener's failure for its own (it would
 * try the batch again and answer its gates "duplicate").
 *
 * Every instance's view: with several cloud instances on one PostgreSQL, the events this instance stored are sent to
 * the others (db/notifications.ts) and theirs are handed to the listeners here, so a stream on any instance (and the
 * live figures, which read again when passages move) sees every passage, whichever instance stored it.
 */
import type { ClusterNotifications } from '../../db/notifications.js';
import type { PassageEventsTable } from './tables.js';

const TOPIC = 'passages';

/** An event as stored (the ingestion's StoredEvent). */
type StoredEvent = PassageEventsTable;

export type PassageListener = (events: readonly StoredEvent[]) => void;

export class PassageHub {
  private readonly listeners = new Set<PassageListener>();

  constructor(
    private readonly onListenerError: (error: unknown) => void = () => {},
    private readonly cluster?: ClusterNotifications,
  ) {
    cluster?.subscribe(TOPIC, (items) => this.deliver(items as StoredEvent[]));
  }

  /**
   * Whether anyone listens: the ingestion skips collecting its events when nobody does. With other instances to tell
   * (PostgreSQL), somebody may always listen there.
   */
  get listening(): boolean {
    return this.listeners.size > 0 || this.cluster?.enabled === true;
  }

  /** Starts listening; returns what stops it. */
  subscribe(listener: PassageListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Hands committed events to every listener here and on the other instances, in the order they were stored. */
  publish(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    this.deliver(events);
    if (this.cluster?.enabled) this.cluster.publish(TOPIC, events);
  }

  private deliver(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
