/**
 * Online validation: for stateful credentials a connected gate asks the cloud and waits until `deadlineAt`; without
 * an answer by then it decides locally (and marks the passage `decidedOffline`). The cloud ignores requests it
 * receives after their deadline, since the gate has already moved on.
 */
import { z } from 'zod';
import {
  credentialRecordSchema,
  DIRECTIONS,
  epochMsSchema,
  idStringSchema,
  ticketIdSchema,
} from '../../model.js';
import { barcodeSchema, cardUidSchema, messageSchema, reasonSchema } from './common.js';

/** What was scanned, reduced to the key the cloud looks up: QR tickets were already verified and carry their id. */
export const credentialRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('qr'), ticketId: ticketIdSchema }),
  z.strictObject({ kind: z.literal('barcode'), barcode: barcodeSchema }),
  z.strictObject({ kind: z.literal('card'), cardUid: cardUidSchema }),
]);
export type CredentialRef = z.output<typeof credentialRefSchema>;

export const validateRequestSchema = messageSchema('validate_request', {
  correlationId: idStringSchema,
  gateId: idStringSchema,
  credential: credentialRefSchema,
  direction: z.enum(DIRECTIONS),
  at: epochMsSchema,
  deadlineAt: epochMsSchema,
}).refine((r) => r.deadlineAt > r.at, { path: ['deadlineAt'], message: 'deadlineAt must be after at' });
export type ValidateRequest = z.output<typeof validateRequestSchema>;

export const VALIDATION_DECISIONS = ['admit', 'deny'] as const;

export const validateResponseSchema = messageSchema('validate_response', {
  correlationId: idStringSchema,
  decision: z.enum(VALIDATION_DECISIONS),
  /** `OK` exactly when admitted. */
  reason: reasonSchema,
  /** Entries left if the person passes now; null = unlimited. */
  entriesLeft: z.number().int().min(0).max(100_000).nullable(),
  /**
   * On an admit of a group code: how many persons this answer admits and holds (up to the code's persons, no more
   * than it has left). Absent = the record's persons (older clouds, and every other credential).
   */
  persons: z.number().int().min(1).max(999).optional(),
  /** The cloud's current record, so the gate can refresh its cache without waiting for the next delta. */
  record: credentialRecordSchema.nullable().default(null),
}).refine((r) => (r.decision === 'admit') === (r.reason === 'OK'), {
  path: ['reason'],
  message: 'admit goes with OK and deny with any other reason',
});
export type ValidateResponse = z.output<typeof validateResponseSchema>;
