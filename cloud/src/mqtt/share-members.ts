/**
 * A dead member's queued shared messages (DEPLOYMENT.md, "A dead instance's queue"). With persistent sessions,
 * Mosquitto keeps a member of a share group in the group while it is offline: it goes on handing that session its
 * turn of the messages (round robin), which wait at the broker until a client with that client id connects again.
 * Nothing is lost, but a killed instance that is not restarted would hold back every other passage, ack and sync
 * request for good (and its validations, QoS 0, would be dropped).
 *
 * So the instances say they are alive (a notification every `beatMs`, db/notifications.ts), and when one has not
 * been heard from for `deadMs` the leading instance adopts its session: it connects with the dead member's client id,
 * takes the member out of the group at once (unsubscribe: the broker sends everything new to the living members), and
 * processes what was queued for it through its own bus, acknowledging each message once stored as always; when no
 * more arrives it ends the session for good (a clean connect). An instance that comes back later with that id starts
 * a fresh session and subscribes again; one that comes back during the adoption takes its session over (the broker
 * drops the adopter), which is as good.
 */
import type { ClusterNotifications } from '../db/notifications.js';

const TOPIC = 'mqtt-members';

export interface ShareMembersOptions {
  readonly notifications: ClusterNotifications;
  /** This instance's client id. */
  readonly clientId: string;
  readonly leads: () => boolean;
  /** Processes the dead member's queued messages and ends its session. */
  readonly adopt: (clientId: string) => Promise<void>;
  readonly logger: {
    info(details: object, message: string): void;
    warn(details: object, message: string): void;
  };
  readonly beatMs?: number;
  readonly deadMs?: number;
  readonly now?: () => number;
}

export class ShareMembers {
  readonly #o: ShareMembersOptions;
  readonly #seen = new Map<string, number>();
  readonly #adopting = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #adoptions: Promise<void>[] = [];

  constructor(options: ShareMembersOptions) {
    this.#o = options;
  }

  start(): void {
    const now = this.#o.now ?? Date.now;
    this.#unsubscribe = this.#o.notifications.subscribe(TOPIC, (items) => {
      for (const id of items)
        if (typeof id === 'string' && id !== this.#o.clientId) this.#seen.set(id, now());
    });
    const beat = () => {
      this.#o.notifications.publish(TOPIC, [this.#o.clientId]);
      this.#check(now());
    };
    beat();
    this.#timer = setInterval(beat, this.#o.beatMs ?? 2_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#unsubscribe?.();
    await Promise.allSettled(this.#adoptions);
  }

  #check(now: number): void {
    if (!this.#o.leads()) return;
    const deadMs = this.#o.deadMs ?? 10_000;
    for (const [id, seenAt] of this.#seen) {
      if (now - seenAt < deadMs || this.#adopting.has(id)) continue;
      this.#adopting.add(id);
      this.#o.logger.warn(
        { member: id, silentMs: now - seenAt },
        'cloud instance gone: adopting its broker session',
      );
      const adoption = this.#o
        .adopt(id)
        .then(
          () => {
            this.#o.logger.info({ member: id }, 'adopted broker session processed and ended');
            // Heard from again meanwhile (it came back): keep it; else forget it.
            if (this.#seen.get(id) === seenAt) this.#seen.delete(id);
          },
          (error: unknown) =>
            this.#o.logger.warn({ err: error, member: id }, 'adopting a broker session failed'),
        )
        .finally(() => {
          this.#adopting.delete(id);
          this.#adoptions = this.#adoptions.filter((a) => a !== adoption);
        });
      this.#adoptions.push(adoption);
    }
  }
}
