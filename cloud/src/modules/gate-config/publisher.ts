/**
 * Keeps every gate's retained config on the broker current. At start it publishes every active gate's config (the
 * broker may have lost its retained store); then it looks for changed content every `intervalMs` — a gate
 * registered or edited, a ticket type or signing key added or changed, a setting changed, on this or another cloud
 * instance — and publishes the new versions. `refresh(siteId)` does the same at once after a change made here.
 *
 * A gate removed or deactivated (or moved to another site) must not keep its config retained on the broker: the
 * next round publishes an empty retained payload on its old config topic (the protocol's "retained message cleared")
 * and marks the row cleared, so a gate that comes back gets a new version. Found from the database, so a gate removed
 * while the cloud was down is cleared at the next start, and the venues module needs no hook.
 */
import type { Logger } from 'pino';
import type { MqttBus } from '../../mqtt/bus.js';
import type { GateConfigService, SyncedConfig } from './service.js';

export class GateConfigPublisher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  /**
   * The version last published per gate. A round publishes every config whose version differs, not only those its
   * own sync bumped: a version written elsewhere (GET /gates/:id/config runs the same sync, as does another cloud
   * instance) would otherwise never reach the broker from here. A failed publish leaves the old version here, so the
   * next round sends it again.
   */
  private readonly published = new Map<string, number>();

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
        const version = entry.config.version;
        if (!all && this.published.get(gateId) === version) continue;
        try {
          await this.bus.publish({ siteId: entry.siteId, gateId, channel: 'config' }, entry.config);
          const known = this.published.has(gateId);
          this.published.set(gateId, version);
          if (entry.changed || known) this.logger.info({ gateId, version }, 'gate config published');
        } catch (error) {
          this.published.delete(gateId);
          this.logger.warn({ err: error, gateId }, 'gate config not published; retrying');
        }
      }
      await this.clearRetired();
    });
    this.running = next;
    return next;
  }

  private async clearRetired(): Promise<void> {
    let retired: Awaited<ReturnType<GateConfigService['retired']>>;
    try {
      retired = await this.service.retired();
    } catch (error) {
      this.logger.error({ err: error }, 'retired gate configs could not be read');
      return;
    }
    for (const gate of retired) {
      try {
        await this.bus.clearRetained({ siteId: gate.siteId, gateId: gate.gateId, channel: 'config' });
        // Cleared first, recorded after: a failure in between clears it again next round, never leaves it retained.
        // Forgotten either way: a gate that comes back gets its config published, and a new version written
        // meanwhile (the gate came back before the clear was recorded) goes out again after the clear.
        this.published.delete(gate.gateId);
        if (await this.service.markCleared(gate))
          this.logger.info(gate, 'retained config of a retired gate cleared');
      } catch (error) {
        this.logger.warn({ err: error, gateId: gate.gateId }, 'retained config not cleared; retrying');
      }
    }
  }
}
