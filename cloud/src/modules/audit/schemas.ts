/** Shapes of the operation-log API: the search filters, one entry, and the chain check's answer. */
import { z } from 'zod';

export const query = z.object({
  actor: z.string().max(64).optional().describe('Operator id or username'),
  action: z
    .string()
    .max(64)
    .optional()
    .describe('Exact action, or a prefix ending in "." (e.g. "operator.")'),
  entity: z.string().max(64).optional(),
  entityId: z.string().max(128).optional(),
  from: z.coerce.number().int().min(0).optional().describe('Epoch ms, inclusive'),
  to: z.coerce.number().int().min(0).optional().describe('Epoch ms, exclusive'),
  before: z.coerce.number().int().min(1).optional().describe('Page on: the previous page’s nextBefore'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const entrySchema = z
  .object({
    seq: z.number().int(),
    at: z.number().int(),
    actor: z.object({ id: z.string().nullable(), username: z.string().nullable() }),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.string().nullable(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

export const verificationSchema = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  headSeq: z.number().int().optional(),
  headHash: z.string().optional(),
  seq: z.number().int().optional(),
  problem: z
    .enum(['edited', 'deleted', 'unlinked', 'inserted', 'head_mismatch', 'rewritten', 'truncated'])
    .optional(),
  message: z.string().optional(),
});
