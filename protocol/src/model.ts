/**
 * The shared vocabulary: what a gate knows about a credential, a ticket type and itself. The rules engine decides
 * from these; whitelist snapshots/deltas carry them; the cloud builds them from its tables. Times are epoch
 * milliseconds (UTC instants); local wall-clock rules (weekday, hours) are evaluated in the venue's time zone.
 */
import { z } from 'zod';

export const CREDENTIAL_KINDS = ['qr', 'barcode', 'card'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** Lifecycle status of a credential as the cloud knows it. */
export const CREDENTIAL_STATUSES = [
  'active',
  'not_activated', // pre-printed stock not yet sold
  'used', // single-entry ticket consumed / count card at zero
  'refunded',
  'revoked', // replaced (reissue) or cancelled by staff
  'blacklisted',
] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

export const DIRECTIONS = ['in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const GATE_DIRECTIONS = ['in', 'out', 'both'] as const;
export type GateDirection = (typeof GATE_DIRECTIONS)[number];

export const ticketIdSchema = z
  .number()
  .int()
  .min(1)
  .max(2 ** 40 - 1);
export const typeIdSchema = z.number().int().min(1).max(0xffff);
export const idStringSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
export const epochMsSchema = z.number().int().min(0).max(8.64e15);

/** One whitelist entry: everything a gate needs to decide offline about one credential. */
export const credentialRecordSchema = z.strictObject({
  ticketId: ticketIdSchema,
  typeId: typeIdSchema,
  /** Credential codes that point at this ticket: barcode digits, normalised card UID; QR tickets are found by id. */
  barcode: z
    .string()
    .regex(/^[0-9]{8,24}$/)
    .nullable()
    .default(null),
  cardUid: z
    .string()
    .regex(/^([0-9A-F]{8}|[0-9A-F]{14})$/)
    .nullable()
    .default(null),
  status: z.enum(CREDENTIAL_STATUSES),
  validFrom: epochMsSchema,
  /** Exclusive end of validity. */
  validTo: epochMsSchema,
  /**
   * null = unlimited entries within validity (passes). A group code (persons > 1) counts entriesTotal and entriesUsed
   * in persons: persons × the entries of one person (a group ticket: persons), so "25 of 30 went in" is
   * entriesUsed 25 and the code still admits the other 5.
   */
  entriesTotal: z.number().int().min(1).max(100_000).nullable(),
  entriesUsed: z.number().int().min(0).max(100_000),
  /** Timed-entry slot (分时预约), if the ticket was sold into one. */
  slot: z.strictObject({ start: epochMsSchema, end: epochMsSchema }).nullable().default(null),
  /**
   * Size of the group a code is for (group tickets): one scan admits up to this many persons, and no more than its
   * entries left; 1 for everything else.
   */
  persons: z.number().int().min(1).max(999).default(1),
  /**
   * Validity from the first entry (首次入园起算): present on tickets whose window starts at their first use. Until the
   * first entry the credential may be activated from `validFrom` until `by` (exclusive, the latest activation); the
   * first entry then makes it valid until the venue-local midnight that ends `count` days (or calendar months)
   * counted from the local day of that entry (that day is day 1). `validTo` is the envelope: the end for an entry
   * just before `by`. Optional, so records of other tickets do not carry it.
   */
  activation: z
    .strictObject({
      by: epochMsSchema,
      unit: z.enum(['day', 'month']),
      count: z.number().int().min(1).max(3660),
    })
    .optional(),
  /** The first entry, once the cloud knows it (the activation of a first-use ticket). */
  firstEntryAt: epochMsSchema.optional(),
  /**
   * Visit days (types with `visitDays`): how many distinct venue-local days the credential has entered on, and the
   * first entry of the latest of them (which says which day that is). Absent = none yet.
   */
  visitDaysUsed: z.number().int().min(0).max(100_000).optional(),
  lastVisitAt: epochMsSchema.optional(),
  /** Same-day re-entry (types with `reentry`): the latest entry and the latest exit the cloud knows of. */
  lastEntryAt: epochMsSchema.optional(),
  lastExitAt: epochMsSchema.optional(),
});
export type CredentialRecord = z.infer<typeof credentialRecordSchema>;

/** Per-ticket-type rules, configured in the cloud's ticket-type management and distributed to gates. */
export const ticketTypeRulesSchema = z.strictObject({
  typeId: typeIdSchema,
  name: z.strictObject({ zh: z.string().min(1).max(32), en: z.string().min(1).max(48) }),
  /** Bit i set = allowed on ISO weekday i+1 (bit 0 Monday … bit 6 Sunday). 0x7f = every day. */
  weekdays: z.number().int().min(0).max(0x7f).default(0x7f),
  /** Local time-of-day windows in minutes since local midnight, [from, to). Empty = all day. */
  hours: z
    .array(z.strictObject({ from: z.number().int().min(0).max(1440), to: z.number().int().min(0).max(1440) }))
    .max(8)
    .default([]),
  /**
   * Visit days: the credential may be used on at most this many distinct venue-local days within its validity (任选
   * N 天); inside a visit day entries are unlimited, or limited by entriesPerDay. Absent = no limit. Optional, so a
   * config only carries it for the types that set it.
   */
  visitDays: z.number().int().min(1).max(3660).optional(),
  /**
   * Same-day re-entry of a used day ticket (当日可多次进出): on the venue-local day of its last entry the holder may come
   * back in after leaving, strictly alternating in and out, until `until` (minutes since local midnight, exclusive;
   * null = all day). A re-entry uses no entry. Absent = no re-entry. Not anti-passback, which refuses a repeat within
   * seconds whatever the ticket has left.
   */
  reentry: z.strictObject({ until: z.number().int().min(1).max(1440).nullable() }).optional(),
  /** Max entries per local calendar day; null = no limit. */
  entriesPerDay: z.number().int().min(1).max(1000).nullable().default(null),
  /**
   * Anti-passback: after a passage in direction D, another passage in the same direction is refused for this many
   * seconds (0 = off). With strictAlternation, an entry requires that the last passage was an exit (or none).
   */
  antiPassbackSec: z
    .number()
    .int()
    .min(0)
    .max(7 * 86400)
    .default(0),
  strictAlternation: z.boolean().default(false),
  /** Zones / gates where the type is valid; empty = everywhere. */
  zones: z.array(idStringSchema).max(64).default([]),
  gates: z.array(idStringSchema).max(256).default([]),
  /** Tolerance around a timed-entry slot, minutes. */
  slotEarlyMin: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(0),
  slotLateMin: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(0),
  /** Whether exits consume nothing and are always allowed for a valid credential (the usual case). */
  exitFree: z.boolean().default(true),
  /**
   * Whether an unconfirmed passage (the turnstile was released, then the gate restarted before its passage sensor
   * spoke) uses an entry. Absent = true: the relay opened, so the visitor may well be inside. Optional rather than
   * defaulted, so a config only carries it for the types that set it.
   */
  unconfirmedUsesEntry: z.boolean().optional(),
});
export type TicketTypeRules = z.infer<typeof ticketTypeRulesSchema>;

export const gateInfoSchema = z.strictObject({
  siteId: idStringSchema,
  gateId: idStringSchema,
  zoneId: idStringSchema,
  direction: z.enum(GATE_DIRECTIONS),
});
export type GateInfo = z.infer<typeof gateInfoSchema>;

/** One past passage of a credential, as known locally or by the cloud. */
export interface PassageRecord {
  at: number;
  direction: Direction;
  gateId: string;
}
