/**
 * The command that starts the technician's gate simulator (simulators/README.md, `npm run gate-sim`) as a registered
 * gate against this cloud: the broker from GET /gates/broker — the embedded one at the address the console was
 * opened with, or the external broker's URL — and the login just issued.
 */
import type { GateBroker } from '../../../api/types';

/** The broker's default TCP port (README: MQTT_PORT), when the cloud cannot say which port it bound. */
export const DEFAULT_MQTT_PORT = 1883;

/** The broker URL a gate on the venue's network uses; `hostname` is the console's own (window.location). */
export function gateBrokerUrl(broker: GateBroker | undefined, hostname: string): string {
  if (broker?.url) return broker.url;
  return `mqtt://${hostname}:${broker?.port ?? DEFAULT_MQTT_PORT}`;
}

/** A POSIX shell word: as it is when it holds nothing special, otherwise in single quotes. */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export interface SimulatorTarget {
  readonly siteId: string;
  readonly gateId: string;
  /** The registered gate's direction; the simulator's scanner faces in or out (a two-way lane: in). */
  readonly direction: 'in' | 'out' | 'both';
  readonly brokerUrl: string;
  readonly username: string;
  readonly password: string;
}

export function simulatorCommand(target: SimulatorTarget): string {
  return [
    'npm run gate-sim --',
    `--site ${shellWord(target.siteId)}`,
    `--gate ${shellWord(target.gateId)}`,
    `--direction ${target.direction === 'out' ? 'out' : 'in'}`,
    `--broker ${shellWord(target.brokerUrl)}`,
    `--username ${shellWord(target.username)}`,
    // Always quoted, as the README shows it, so a later edit of the password alphabet cannot break the command.
    `--password '${target.password.replaceAll("'", `'\\''`)}'`,
  ].join(' ');
}
