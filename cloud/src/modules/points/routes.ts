/**
 * /api/v1/points (积分): a site's rules, a customer's balance with the ledger, and adjustments by hand (with a
 * reason, audited). Reading needs customers.read, changing customers.manage. Points accrue and are spent through
 * sales and refunds, not here.
 */
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import {
  accountParamsSchema,
  adjustmentSchema,
  ledgerQuerySchema,
  pointsAccountSchema,
  pointsRulesInputSchema,
  pointsRulesSchema,
  siteParamsSchema,
} from './schemas.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const read = { access: 'customers.read' } as const;
const manage = { access: 'customers.manage' } as const;

export const pointsModule: AppModule = {
  name: 'points',
  prefix: '/api/v1/points',
  routes: async (app, { services: { points } }) => {
    const tags = ['points'];

    app.get(
      '/rules/:siteId',
      {
        config: read,
        schema: {
          tags,
          summary: '景区积分规则 / A site’s points rules',
          params: siteParamsSchema,
          response: { 200: pointsRulesSchema, ...errors },
        },
      },
      async (request) => points.rules(request.params.siteId, siteScopeOfRequest(request)),
    );
    app.put(
      '/rules/:siteId',
      {
        config: manage,
        schema: {
          tags,
          summary: '设置景区积分规则 / Set a site’s points rules',
          params: siteParamsSchema,
          body: pointsRulesInputSchema,
          response: { 200: pointsRulesSchema, ...errors },
        },
      },
      async (request) => points.setRules(request.params.siteId, request.body, changeContextOf(request)),
    );
    app.get(
      '/accounts/:customerId',
      {
        config: read,
        schema: {
          tags,
          summary: '客户积分余额与流水（新的在前）/ A customer’s balance and ledger, newest first',
          params: accountParamsSchema,
          querystring: ledgerQuerySchema,
          response: { 200: pointsAccountSchema, ...errors },
        },
      },
      async (request) =>
        points.account(request.params.customerId, request.query, siteScopeOfRequest(request)),
    );
    app.post(
      '/accounts/:customerId/adjustments',
      {
        config: manage,
        schema: {
          tags,
          summary: '手工调整积分（须填原因）/ Adjust a customer’s points by hand, with a reason',
          params: accountParamsSchema,
          body: adjustmentSchema,
          response: { 200: pointsAccountSchema, ...errors },
        },
      },
      async (request) => points.adjust(request.params.customerId, request.body, changeContextOf(request)),
    );
  },
};
