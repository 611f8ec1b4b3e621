/** The operation log (操作日志): search it and check its hash chain. */
import { z } from 'zod';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { entrySchema, query, verificationSchema } from './schemas.js';

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

export const auditModule: AppModule = {
  name: 'audit',
  prefix: '/api/v1/audit',
  routes: async (app, { services: { audit } }) => {
    app.get(
      '/',
      {
        config: { access: 'audit.read', allSites: true },
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
        config: { access: 'audit.read', allSites: true },
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
