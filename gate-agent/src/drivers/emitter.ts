/**
 * A small typed event emitter for drivers.
 *
 * Node's EventEmitter throws when an 'error' event has no listener; a gate must never crash because nobody was
 * listening for a garbled card read, so drivers use this instead: no event name is special, and an emit with no
 * listener is a no-op. Listeners run synchronously in registration order.
 */
export type EventMap = Record<string, unknown[]>;

export type Listener<A extends unknown[]> = (...args: A) => void;

/** The read side of an emitter: what a driver interface exposes to the gate core and to UIs. */
export interface Observable<E extends EventMap> {
  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this;
  off<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this;
  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this;
}

/**
 * Listeners are stored type-erased; on()/emit() keep each event's argument types in step. A once() wrapper keeps
 * the caller's listener so off() with the original still removes it.
 */
type StoredListener = ((...args: unknown[]) => void) & { original?: unknown };

export class Emitter<E extends EventMap> implements Observable<E> {
  readonly #listeners = new Map<keyof E, StoredListener[]>();

  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener as unknown as StoredListener);
    this.#listeners.set(event, list);
    return this;
  }

  off<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    const list = this.#listeners.get(event);
    if (!list) return this;
    const i = list.findLastIndex((l) => l === listener || l.original === listener);
    if (i >= 0) list.splice(i, 1);
    return this;
  }

  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    const wrapper: Listener<E[K]> & { original?: unknown } = (...args: E[K]) => {
      this.off(event, wrapper);
      listener(...args);
    };
    wrapper.original = listener;
    return this.on(event, wrapper);
  }

  listenerCount(event: keyof E & string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  protected emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    const list = this.#listeners.get(event);
    if (!list) return;
    // Copy: a listener may remove itself (once) while we iterate.
    for (const listener of [...list]) listener(...args);
  }
}
