/** Gate → cloud events. Each carries a gate-generated `eventId`; the cloud applies an event id at most once. */
import { z } from 'zod';
import { CREDENTIAL_KINDS, DIRECTIONS, epochMsSchema, idStringSchema, ticketIdSchema } from '../../model.js';
import { denialReasonSchema, eventIdSchema, messageSchema } from './common.js';

/** A person (or group) actually went through after an admit decision. */
export const passageEventSchema = messageSchema('passage', {
  eventId: eventIdSchema,
  gateId: idStringSchema,
  at: epochMsSchema,
  ticketId: ticketIdSchema,
  credentialKind: z.enum(CREDENTIAL_KINDS),
  direction: z.enum(DIRECTIONS),
  /**
   * Headcount: the persons who actually went through in this passage (a group pass counts them with the passage
   * sensor). Absent = 1, so a gate that never sends it still validates.
   */
  persons: z.number().int().min(1).max(999).default(1),
  /** Entries left after this passage as the gate computed it; null = unlimited. */
  entriesLeft: z.number().int().min(0).max(100_000).nullable(),
  /** true when the gate decided from its cache alone (no online answer within the deadline, or offline). */
  decidedOffline: z.boolean(),
  /** The online validation this passage followed, if any, so the cloud can settle what it held for it. */
  correlationId: idStringSchema.nullable().default(null),
  /**
   * true when the gate released the turnstile but cannot say whether anyone went through: it restarted between the
   * relay and the passage sensor (a crash or power cut) and settled the admit it had written down before the relay.
   * Left out otherwise (older gates never send it, older clouds never see it on a confirmed passage).
   */
  unconfirmed: z.boolean().optional(),
  /**
   * true when the exit's card recycler kept the card that was read for this passage (回收卡): the cloud frees the card
   * for another sale. Left out otherwise (gates without a recycler never send it).
   */
  cardRecycled: z.boolean().optional(),
});
export type PassageEvent = z.output<typeof passageEventSchema>;

/**
 * A scan that was refused. The raw code never leaves the gate: `codeHash` is the lower-case hex SHA-256 of the
 * scanned text (QR text, barcode digits, or the normalised upper-case card UID), enough to correlate repeated attempts.
 */
export const denialEventSchema = messageSchema('denial', {
  eventId: eventIdSchema,
  gateId: idStringSchema,
  at: epochMsSchema,
  direction: z.enum(DIRECTIONS),
  reason: denialReasonSchema,
  /** null when the scan could not even be classified. */
  credentialKind: z.enum(CREDENTIAL_KINDS).nullable(),
  ticketId: ticketIdSchema.nullable(),
  codeHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DenialEvent = z.output<typeof denialEventSchema>;
