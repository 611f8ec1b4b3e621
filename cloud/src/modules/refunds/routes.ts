/**
 * /api/v1/refunds: refund tickets of a sale (refunds.request, Idempotency-Key; above the threshold with a second
 * operator's approval in the body), work a refund out without making it (`POST /quote`, refunds.request) and
 * read refunds (sales.read, newest first, `before` = the previous page's last id). A new refund answers 201;
 * replaying its key answers 200 with the same body and `Idempotent-Replayed: true`.
 */
import { clientOf } from '../../platform/auth/client-info.js';
import { operatorOf } from '../../platform/auth/enforce.js';
import { actorOf } from '../../platform/auth/service.js';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { idempotentCreateRoute } from '../../platform/idempotent-reply.js';
import type { AppModule } from '../module.js';
import {
  createRefundSchema,
  listRefundsQuerySchema,
  refundParamsSchema,
  refundQuoteRequestSchema,
  refundQuoteSchema,
  refundSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
};

export const refundsModule: AppModule = {
  name: 'refunds',
  prefix: '/api/v1/refunds',
  routes: async (app, { services: { refunds } }) => {
    const tags = ['refunds'];

    idempotentCreateRoute(app, {
      access: 'refunds.request',
      tags,
      summary:
        '退票（需 Idempotency-Key；超过阈值需另一位操作员复核）/ Refund tickets (Idempotency-Key; a second ' +
        'operator approves above the threshold)',
      body: createRefundSchema,
      answer: refundSchema,
      errors,
      create: (command, request) =>
        refunds.refund({ ...command, context: changeContextOf(request), client: clientOf(request) }),
    });
    app.post(
      '/quote',
      {
        config: { access: 'refunds.request' },
        schema: {
          tags,
          summary:
            '退票试算：应退金额、手续费、退款方式与是否需复核，不写入 / Work a refund out (amount, fee, ' +
            'methods, whether a second operator must approve) without making it',
          body: refundQuoteRequestSchema,
          response: { 200: refundQuoteSchema, ...errors },
        },
      },
      async (request) =>
        refunds.quote(request.body, actorOf(operatorOf(request)), siteScopeOfRequest(request)),
    );
    app.get(
      '/',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary: '退票记录（新的在前）/ Refunds, newest first',
          querystring: listRefundsQuerySchema,
          response: { 200: refundSchema.array(), ...errors },
        },
      },
      async (request) => refunds.list(request.query, siteScopeOfRequest(request)),
    );
    app.get(
      '/:refundId',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary: '退票单 / One refund',
          params: refundParamsSchema,
          response: { 200: refundSchema, ...errors },
        },
      },
      async (request) => refunds.get(request.params.refundId, siteScopeOfRequest(request)),
    );
  },
};
