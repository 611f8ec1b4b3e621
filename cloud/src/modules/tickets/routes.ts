/**
 * /api/v1/tickets/:id (票效查询, lookup.read), the whitelist feed and snapshot per site and the QR signing public keys
 * (gates.read) — what gate-facing modules and technicians read.
 */

import { z } from 'zod';
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { venueIdSchema } from '../venues/schemas.js';
import {
  feedPageSchema,
  feedQuerySchema,
  publicKeySchema,
  snapshotSchema,
  ticketParamsSchema,
  ticketSchema,
} from './schemas.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema };

export const ticketsModule: AppModule = {
  name: 'tickets',
  prefix: '/api/v1',
  routes: async (app, { services: { tickets, venues, keys } }) => {
    const tags = ['tickets'];

    app.get(
      '/tickets/:ticketId',
      {
        config: { access: 'lookup.read' },
        schema: {
          tags,
          summary: '票效查询：票的状态、有效期与已用次数 / Look up a ticket: status, validity, entries used',
          params: ticketParamsSchema,
          response: { 200: ticketSchema, ...errors },
        },
      },
      async (request) => tickets.get(request.params.ticketId, undefined, siteScopeOfRequest(request)),
    );
    app.get(
      '/whitelist/feed',
      {
        config: { access: 'gates.read' },
        schema: {
          tags,
          summary:
            '白名单变更流：某版本之后的变更，版本号逐一连续 / Whitelist changes after a version; versions are ' +
            'consecutive per site',
          querystring: feedQuerySchema,
          response: { 200: feedPageSchema, ...errors },
        },
      },
      async (request) => {
        const scope = siteScopeOfRequest(request);
        await venues.getSite(request.query.siteId, undefined, scope);
        return tickets.feedSince(request.query.siteId, request.query.after, request.query.limit, scope);
      },
    );
    app.get(
      '/whitelist/snapshot',
      {
        config: { access: 'gates.read' },
        schema: {
          tags,
          summary: '白名单快照：全部未过期凭证及其版本 / All non-expired credentials with their feed version',
          querystring: z.object({ siteId: venueIdSchema }),
          response: { 200: snapshotSchema, ...errors },
        },
      },
      async (request) => {
        const scope = siteScopeOfRequest(request);
        await venues.getSite(request.query.siteId, undefined, scope);
        return tickets.snapshot(request.query.siteId, scope);
      },
    );
    app.get(
      '/signing-keys',
      {
        config: { access: 'gates.read' },
        schema: {
          tags,
          summary: '二维码验签公钥（闸机配置用）/ Public keys that verify QR codes, for gate configuration',
          response: { 200: z.array(publicKeySchema) },
        },
      },
      async () => keys.publicKeys(),
    );
  },
};
