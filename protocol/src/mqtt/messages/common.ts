/**
 * Building blocks shared by every MQTT message: the envelope (`type` + `v`), identifiers and the small enumerations
 * the gate and the cloud agree on.
 */
import { z } from 'zod';
import { DECISION_REASONS } from '../../reasons.js';

/** The payload schema version carried as `v` in every message; the topic carries the same number as `v1`. */
export const MESSAGE_VERSION = 1;

/** Operating modes of a gate. `emergency_open` outranks everything; `locked` refuses every credential. */
export const GATE_MODES = ['normal', 'always_open', 'always_closed', 'emergency_open', 'locked'] as const;
export type GateMode = (typeof GATE_MODES)[number];

/** Languages of LED texts and voice announcements; the same keys as the rules engine's texts and type names. */
export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Gate-generated event id, the key the cloud deduplicates on. Only canonical spellings are accepted (lower-case UUID,
 * upper-case Crockford ULID) so that one id can never arrive in two spellings and be applied twice.
 */
export const eventIdSchema = z
  .string()
  .regex(/^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-7][0-9A-HJKMNP-TV-Z]{25})$/);

export const reasonSchema = z.enum(DECISION_REASONS);
export const denialReasonSchema = reasonSchema.exclude(['OK']);

/** Monotonic counters and versions: non-negative integers that stay exact in JSON numbers. */
export const counterSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Whitelist version: one sequence per site, bumped by every delta; 0 = empty / nothing received yet. */
export const whitelistVersionSchema = counterSchema;

/** Gate configuration version, bumped by the cloud on every change; starts at 1. */
export const configVersionSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** Same code formats as in `credentialRecordSchema`. */
export const barcodeSchema = z.string().regex(/^[0-9]{8,24}$/);
export const cardUidSchema = z.string().regex(/^([0-9A-F]{8}|[0-9A-F]{14})$/);

/**
 * Builds a message schema: a strict object (unknown keys rejected) with the `type` discriminator and `v: 1` first,
 * so encoded messages always start with them.
 */
export function messageSchema<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({ type: z.literal(type), v: z.literal(MESSAGE_VERSION), ...shape });
}
