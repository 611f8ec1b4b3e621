/** What a gate tells about itself: the retained availability/state message and the periodic heartbeat. */
import { z } from 'zod';
import { epochMsSchema, idStringSchema } from '../../model.js';
import {
  configVersionSchema,
  counterSchema,
  GATE_MODES,
  messageSchema,
  whitelistVersionSchema,
} from './common.js';

/** Most degraded entries one message carries (a gate has fewer devices than this). */
export const MAX_DEGRADED = 16;

/**
 * What a gate runs without: device roles that could not be started (`led`, `voice`, `recycler`, `scanner`,
 * `cardReader`) and stuck passage inputs (`passage.in`, `passage.out`). Short lower-camel names, optionally dotted,
 * bounded; names are not enumerated so a
 * newer gate can report a new device to an older cloud.
 */
export const degradedSchema = z
  .array(z.string().regex(/^[a-z][A-Za-z0-9]{0,31}(?:\.[a-z][A-Za-z0-9]{0,31})?$/))
  .max(MAX_DEGRADED);

/**
 * Retained on `…/state`. Published on connect, on every mode change and before a clean shutdown; the same shape,
 * with `online: false` and `since: null`, is the connection's last will — the broker publishes the will at a moment
 * the gate cannot know, so the receiver stamps it with its own clock. In a will only `online` is authoritative; the
 * other fields are as they were when the connection opened.
 */
export const gateStateSchema = messageSchema('gate_state', {
  gateId: idStringSchema,
  online: z.boolean(),
  mode: z.enum(GATE_MODES),
  denyUnauthorized: z.boolean(),
  firmware: z.string().regex(/^[\x20-\x7e]{1,64}$/),
  whitelistVersion: whitelistVersionSchema,
  /** null until the gate has received a configuration. */
  configVersion: configVersionSchema.nullable(),
  /** When this state (online + mode) began; null only in the last will. */
  since: epochMsSchema.nullable(),
  /** Devices or inputs the gate runs without; left out when there are none. */
  degraded: degradedSchema.optional(),
}).refine((s) => !s.online || s.since !== null, { path: ['since'], message: 'an online state needs since' });
export type GateState = z.output<typeof gateStateSchema>;

/** Periodic liveness and health, every `heartbeatSec` of the gate config. Counters count since boot. */
export const heartbeatSchema = messageSchema('heartbeat', {
  gateId: idStringSchema,
  at: epochMsSchema,
  uptimeSec: counterSchema,
  counters: z.strictObject({ scans: counterSchema, admits: counterSchema, denies: counterSchema }),
  /** Events recorded but not yet acknowledged by the broker (PUBACK). */
  outboxDepth: counterSchema,
  whitelistVersion: whitelistVersionSchema,
  configVersion: configVersionSchema.nullable(),
  degraded: degradedSchema.optional(),
});
export type Heartbeat = z.output<typeof heartbeatSchema>;
