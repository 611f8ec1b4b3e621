/** The operation log (操作日志): search it and check its hash chain. */
import { z } from 'zod';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';

const query = z.object({
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

const entrySchema = z
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

const verificationSchema = z.object({
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

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

export const auditModule: AppModule = {
  name: 'audit',
  prefix: '/api/v1/audit',
  routes: async (app, { services: { audit } }) => {
    app.get(
      '/',
      {
        config: { access: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: 'Search the operation log, newest first / 查询操作日志',
          querystring: query,
          response: {
            200: z.object({ items: z.array(entrySchema), nextBefore: z.number().int().nullable() }),
            ...errors,
          },
        },
      },
      async (request) => {
        const rows = await audit.find(request.query);
        const items = rows.map((row) => ({
          seq: row.seq,
          at: row.at,
          actor: { id: row.actor_id, username: row.actor_username },
          action: row.action,
          entity: row.entity,
          entityId: row.entity_id,
          before: row.before_json === null ? null : JSON.parse(row.before_json),
          after: row.after_json === null ? null : JSON.parse(row.after_json),
          ip: row.ip,
          hash: row.hash,
        }));
        const last = items.at(-1);
        return { items, nextBefore: items.length === request.query.limit && last ? last.seq : null };
      },
    );

    app.get(
      '/verify',
      {
        config: { access: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: 'Check the hash chain end to end / 校验操作日志完整性',
          response: { 200: verificationSchema, ...errors },
        },
      },
      async () => audit.verify(),
    );
  },
};
