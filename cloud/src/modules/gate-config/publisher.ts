/**
 * Keeps every gate's retained config on the broker current. At start it publishes every active gate's config (the
 * broker may have lost its retained store); then it looks for changed content every `intervalMs` — a gate
 * registered or edited, a ticket type or signing key added or changed, a setting changed, on this or another cloud
 * instance — and publishes the new versions. `refresh(siteId)` does the same at once after a change made here.
 */
import type { Logger } from 'pino';
import type { MqttBus } from '../../mqtt/bus.js';
import type { GateConfigService, SyncedConfig } from './service.js';

export class GateConfigPublisher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  /** Gates whose last publish failed; sent again on the next round whatever changed. */
  private readonly unsent = new Set<string>();

  constructor(
    private readonly service: GateConfigService,
    private readonly bus: MqttBus,
    private readonly logger: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  /** Publishes every current config, then keeps watching for changes. */
  start(): Promise<void> {
    const first = this.round(undefined, true);
    this.timer = setInterval(() => void this.round(undefined, false), this.intervalMs);
    this.timer.unref();
    return first;
  }

  /** Publishes the site's changed configs now (after a change made by this instance). */
  refresh(siteId?: string): Promise<void> {
    return this.round(siteId, false);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Rounds run one after another, so two never publish versions of one gate out of order. */
  private round(siteId: string | undefined, all: boolean): Promise<void> {
    const next = this.running.then(async () => {
      let configs: SyncedConfig[];
      try {
        configs = await this.service.sync(siteId);
      } catch (error) {
        this.logger.error({ err: error }, 'gate configs could not be built');
        return;
      }
      for (const entry of configs) {
        const gateId = entry.config.gateId;
        if (!all && !entry.changed && !this.unsent.has(gateId)) continue;
        try {
          await this.bus.publish({ siteId: entry.siteId, gateId, channel: 'config' }, entry.config);
          this.unsent.delete(gateId);
          if (entry.changed)
            this.logger.info({ gateId, version: entry.config.version }, 'gate config published');
        } catch (error) {
          this.unsent.add(gateId);
          this.logger.warn({ err: error, gateId }, 'gate config not published; retrying');
        }
      }
    });
    this.running = next;
    return next;
  }
}
