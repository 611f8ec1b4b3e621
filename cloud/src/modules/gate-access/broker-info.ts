/**
 * Where a gate's MQTT client connects, for the console's set-up screens (the simulator command, a gate's config):
 * the embedded broker's TCP port — gates reach it at the cloud's own address, which the console knows from its
 * location — or the external broker's URL without any login in it (MQTT_URL may carry the cloud's own).
 */
import type { MqttConfig } from '../../config.js';

export interface GateBroker {
  /** The cloud runs the broker itself (no MQTT_URL). */
  readonly embedded: boolean;
  /** The embedded broker's TCP port; null with an external broker or an unknown port. */
  readonly port: number | null;
  /** The external broker's URL, credentials removed; null for the embedded broker. */
  readonly url: string | null;
}

export function gateBroker(config: MqttConfig, running: { readonly port: number } | undefined): GateBroker {
  if (config.broker.kind === 'external') {
    const url = new URL(config.broker.url);
    url.username = '';
    url.password = '';
    return { embedded: false, port: null, url: url.toString().replace(/\/$/, '') };
  }
  // MQTT_PORT=0 binds a free port: only the running broker knows which.
  const port = running?.port ?? (config.broker.port === 0 ? null : config.broker.port);
  return { embedded: true, port, url: null };
}
