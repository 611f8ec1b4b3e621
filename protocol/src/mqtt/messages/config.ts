/**
 * Retained on `…/gate/{gateId}/config`: everything a gate needs to run, versioned. The gate applies a config whose
 * version is higher than the one it runs, persists it, and reports `configVersion` in its state and heartbeat.
 */
import { z } from 'zod';
import { GATE_DIRECTIONS, idStringSchema, ticketTypeRulesSchema } from '../../model.js';
import { configVersionSchema, GATE_MODES, LANGUAGES, messageSchema } from './common.js';

/** An Ed25519 public key as 32 raw bytes in padded base64 (44 characters, canonical: unused bits zero). */
export const publicKeyEntrySchema = z.strictObject({
  /** The `keyId` byte of the QR credential payload. */
  keyId: z.number().int().min(0).max(255),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/),
});
export type PublicKeyEntry = z.output<typeof publicKeyEntrySchema>;

/**
 * Shortest release pulse a gate accepts. A relay needs ~10 ms to pull in and bounce, and the turnstile
 * mechanism's release input samples (or debounces) for tens of ms more: 20 ms pulses were seen to be missed, so a
 * paid visitor met a locked arm. The gate's relay driver enforces the same floor.
 */
export const RELAY_PULSE_MIN_MS = 50;

/** A group pass's idle timeout when the config does not set `groupIdleMs`. */
export const GROUP_IDLE_DEFAULT_MS = 10_000;

export const MAX_TICKET_TYPES = 1024;
export const MAX_SIGNING_KEYS = 16;

/**
 * The part of a gate's config that belongs to the gate itself rather than to its site (rules, keys, time zone) or
 * its registry entry (zone, direction): the fields and limits the cloud's gate-settings API accepts, declared here
 * once.
 */
export const gateSettingsShape = {
  /** Mode after boot and after `normal` housekeeping; commands change the running mode. */
  defaultMode: z.enum(GATE_MODES),
  denyUnauthorized: z.boolean(),
  /** How long the relay is energised to release the turnstile (at least RELAY_PULSE_MIN_MS). */
  relayPulseMs: z.number().int().min(RELAY_PULSE_MIN_MS).max(10_000),
  /** How long an admitted person has to pass before the admit lapses (reported as a NO_PASSAGE denial). */
  passageTimeoutMs: z.number().int().min(1_000).max(120_000),
  /**
   * A group pass (one scan of a group code admits several persons) ends when nobody went through for this long
   * since the previous person. Absent = GROUP_IDLE_DEFAULT_MS.
   */
  groupIdleMs: z.number().int().min(1_000).max(120_000).optional(),
  ledLanguage: z.enum(LANGUAGES),
  voiceLanguage: z.enum(LANGUAGES),
  voiceVolume: z.number().int().min(0).max(100),
  heartbeatSec: z.number().int().min(5).max(3_600),
  /** Ask the cloud about stateful credentials (count cards, anti-passback) before falling back to local rules. */
  onlineValidation: z.strictObject({
    enabled: z.boolean(),
    deadlineMs: z.number().int().min(100).max(5_000),
  }),
};

export const gateConfigSchema = messageSchema('gate_config', {
  version: configVersionSchema,
  gateId: idStringSchema,
  zoneId: idStringSchema,
  direction: z.enum(GATE_DIRECTIONS),
  /** IANA zone in which weekday / hour / per-day rules are evaluated, e.g. `Asia/Shanghai`. */
  timeZone: z
    .string()
    .max(64)
    .regex(/^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/),
  /**
   * The site's automatic check-out, local "HH:MM" in `timeZone` (rules/auto-checkout.ts); absent = none. The gate
   * applies it itself, so an offline gate lets a re-entry holder back in after it like the cloud does.
   */
  autoCheckoutAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .optional(),
  ...gateSettingsShape,
  ticketTypes: z.array(ticketTypeRulesSchema).max(MAX_TICKET_TYPES),
  signingKeys: z.array(publicKeyEntrySchema).max(MAX_SIGNING_KEYS),
})
  .refine((c) => unique(c.ticketTypes.map((t) => t.typeId)), {
    path: ['ticketTypes'],
    message: 'duplicate typeId',
  })
  .refine((c) => unique(c.signingKeys.map((k) => k.keyId)), {
    path: ['signingKeys'],
    message: 'duplicate keyId',
  });
export type GateConfig = z.output<typeof gateConfigSchema>;

function unique(values: readonly number[]): boolean {
  return new Set(values).size === values.length;
}
