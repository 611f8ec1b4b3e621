/**
 * /api/v1/supplements (补票): upgrades and extensions, overstay / re-entry fees and reissues (supplements.sell,
 * Idempotency-Key; 201 new, 200 replayed with `Idempotent-Replayed: true`; above the second-approval threshold with
 * a second operator's approval in the body), their quote without making one (`POST /quote`, supplements.sell),
 * their list (sales.read, newest first, `before` = the previous page's last id) and the standing
 * fee per ticket type (read sales.read, set ticket_types.manage).
 */
import { z } from 'zod';
import { clientOf } from '../../platform/auth/client-info.js';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { idempotentCreateRoute } from '../../platform/idempotent-reply.js';
import type { AppModule } from '../module.js';
import {
  createSupplementSchema,
  feeRateSchema,
  listSupplementsQuerySchema,
  supplementQuoteRequestSchema,
  supplementQuoteSchema,
  supplementSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
  503: errorResponseSchema,
};

export const supplementsModule: AppModule = {
  name: 'supplements',
  prefix: '/api/v1/supplements',
  routes: async (app, { services: { supplements } }) => {
    const tags = ['supplements'];

    idempotentCreateRoute(app, {
      access: 'supplements.sell',
      tags,
      summary:
        '补票：升级/延期、超时或再入园费、挂失补办（需 Idempotency-Key）/ Upgrade or extend, overstay or ' +
        're-entry fee, reissue a lost ticket (Idempotency-Key required)',
      body: createSupplementSchema,
      answer: supplementSchema,
      errors,
      create: (command, request) =>
        supplements.supplement({ ...command, context: changeContextOf(request), client: clientOf(request) }),
    });
    app.post(
      '/quote',
      {
        config: { access: 'supplements.sell' },
        schema: {
          tags,
          summary:
            '补票试算：应收金额与是否需复核，不写入 / Work a supplement out (amount due, whether a second ' +
            'operator must approve) without making it',
          body: supplementQuoteRequestSchema,
          response: { 200: supplementQuoteSchema, ...errors },
        },
      },
      async (request) => supplements.quote(request.body, siteScopeOfRequest(request)),
    );
    app.get(
      '/',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary: '补票记录（新的在前）/ Supplements, newest first',
          querystring: listSupplementsQuerySchema,
          response: { 200: supplementSchema.array(), ...errors },
        },
      },
      async (request) => supplements.list(request.query, siteScopeOfRequest(request)),
    );
    app.get(
      '/fee-rates',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary: '各票种超时费与再入园费 / Overstay and re-entry fees per ticket type',
          response: { 200: feeRateSchema.array() },
        },
      },
      async (request) => supplements.feeRates(siteScopeOfRequest(request)),
    );
    app.put(
      '/fee-rates',
      {
        config: { access: 'ticket_types.manage' },
        schema: {
          tags,
          summary: '设置票种的超时费或再入园费 / Set a ticket type’s overstay or re-entry fee',
          body: feeRateSchema.strict(),
          response: { 200: feeRateSchema, ...errors },
        },
      },
      async (request) => supplements.setFeeRate(request.body, changeContextOf(request)),
    );
    app.get(
      '/:supplementId',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary: '补票单 / One supplement',
          params: z.object({ supplementId: z.string().min(1).max(64) }),
          response: { 200: supplementSchema, ...errors },
        },
      },
      async (request) => supplements.get(request.params.supplementId, siteScopeOfRequest(request)),
    );
  },
};
