/**
 * The part of a gate's config that belongs to the gate itself rather than to its site (rules, keys, time zone) or
 * its registry entry (zone, direction). Defaults suit a tripod turnstile at a Chinese venue.
 */
import { gateSettingsShape } from '@scenic/protocol';
import { z } from 'zod';

// The fields and their limits are the protocol's (what a gate accepts in its config), declared there once.
export const gateSettingsSchema = z.strictObject(gateSettingsShape).meta({ id: 'GateSettings' });
export type GateSettings = z.infer<typeof gateSettingsSchema>;

export const updateGateSettingsSchema = gateSettingsSchema.partial();
export type UpdateGateSettings = z.infer<typeof updateGateSettingsSchema>;

export const DEFAULT_GATE_SETTINGS: GateSettings = {
  defaultMode: 'normal',
  denyUnauthorized: true,
  relayPulseMs: 300,
  passageTimeoutMs: 8_000,
  ledLanguage: 'zh',
  voiceLanguage: 'zh',
  voiceVolume: 80,
  heartbeatSec: 30,
  onlineValidation: { enabled: true, deadlineMs: 800 },
};

/** Stored settings over the defaults; anything unreadable falls back to the default (never a broken config). */
export function settingsOf(json: string | null | undefined): GateSettings {
  if (!json) return DEFAULT_GATE_SETTINGS;
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return DEFAULT_GATE_SETTINGS;
  }
  const parsed = updateGateSettingsSchema.safeParse(stored);
  return parsed.success
    ? { ...DEFAULT_GATE_SETTINGS, ...stripUndefined(parsed.data) }
    : DEFAULT_GATE_SETTINGS;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
