/**
 * What a gate tile says about a gate (pure, tested in gate-health.test.ts). A gate that stopped talking without a
 * last will (a cut network cable behind a switch that keeps the TCP session up, a frozen controller) still reads
 * `online` in its retained state; the console calls it stale once it missed three heartbeats, and never shows the
 * mode a silent gate last reported as if it were its mode now.
 */
import type { GateStatus } from '../../api/types';

export type Liveness = 'online' | 'stale' | 'offline' | 'unknown';

/** Missed heartbeats after which an online gate counts as stale. */
export const STALE_AFTER_HEARTBEATS = 3;

/** How long the gate has said nothing (cloud clock against the console's). */
export function silentForMs(status: GateStatus, now: number): number {
  return Math.max(0, now - status.lastSeenAt);
}

export function livenessOf(status: GateStatus | undefined, now: number): Liveness {
  if (!status) return 'unknown';
  if (!status.online) return 'offline';
  return silentForMs(status, now) > STALE_AFTER_HEARTBEATS * status.heartbeatSec * 1000 ? 'stale' : 'online';
}

/** Whether the tile may show the reported mode as the gate's current mode. */
export function modeIsCurrent(liveness: Liveness): boolean {
  return liveness === 'online';
}

/** Versions the gate's whitelist is behind the site's head; null when either is not known. */
export function whitelistBehind(
  head: number | undefined,
  reported: number | null | undefined,
): number | null {
  if (head === undefined || reported === null || reported === undefined) return null;
  return Math.max(0, head - reported);
}

export type ElapsedUnit = 'now' | 'seconds' | 'minutes' | 'hours' | 'days';

/** A duration as the one unit a person reads at a glance: 42 s, 3 min, 5 h, 2 d. */
export function elapsed(ms: number): { unit: ElapsedUnit; count: number } {
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < 5) return { unit: 'now', count: 0 };
  if (seconds < 60) return { unit: 'seconds', count: seconds };
  if (seconds < 3600) return { unit: 'minutes', count: Math.floor(seconds / 60) };
  if (seconds < 86_400) return { unit: 'hours', count: Math.floor(seconds / 3600) };
  return { unit: 'days', count: Math.floor(seconds / 86_400) };
}
