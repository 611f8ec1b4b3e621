/**
 * /api/v1/sales: window sales (sales.sell) with an Idempotency-Key, the receipt and the sales list (sales.read).
 * A new sale answers 201; replaying its key answers 200 with the same body and `Idempotent-Replayed: true`.
 */

import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { idempotentCreateRoute } from '../../platform/idempotent-reply.js';
import type { AppModule } from '../module.js';
import { fastSuccessSerializer } from './response-serializer.js';
import {
  createSaleSchema,
  listSalesQuerySchema,
  salePageSchema,
  saleParamsSchema,
  saleSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  503: errorResponseSchema,
};

export const salesModule: AppModule = {
  name: 'sales',
  prefix: '/api/v1/sales',
  routes: async (app, { services: { sales } }) => {
    const tags = ['sales'];

    idempotentCreateRoute(app, {
      access: 'sales.sell',
      tags,
      summary: '窗口售票（需 Idempotency-Key）/ Sell at a ticket window (Idempotency-Key required)',
      body: createSaleSchema,
      answer: saleSchema,
      errors,
      serializerCompiler: fastSuccessSerializer,
      create: (command, request) => sales.sell({ ...command, context: changeContextOf(request) }),
    });
    app.get(
      '/',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary: '销售记录（新的在前，游标翻页）/ Sales, newest first, with cursor paging',
          querystring: listSalesQuerySchema,
          response: { 200: salePageSchema, ...errors },
        },
      },
      async (request) => sales.list(request.query, siteScopeOfRequest(request)),
    );
    app.get(
      '/:saleId',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary:
            '销售单（收据）：明细、票与二维码、支付、找零 / A sale receipt: lines, tickets with QR, payments, change',
          params: saleParamsSchema,
          response: { 200: saleSchema, ...errors },
        },
        serializerCompiler: fastSuccessSerializer,
      },
      async (request) => sales.get(request.params.saleId, siteScopeOfRequest(request)),
    );
  },
};
