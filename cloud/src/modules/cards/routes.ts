/**
 * /api/v1/cards: an IC card or wristband by UID with its history (lookup.read); report it lost or block it, issue a
 * replacement bound to the same ticket (sales.sell); the deposit each site charges per card (venues.read /
 * venues.manage). /api/v1/card-returns: a card handed back at the window with its deposit refunded
 * (refunds.request, Idempotency-Key: 201 new, 200 with `Idempotent-Replayed: true` for a replayed key).
 */
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { idempotentCreateRoute } from '../../platform/idempotent-reply.js';
import type { AppModule } from '../module.js';
import {
  cardParamsSchema,
  cardReplacementSchema,
  cardReturnSchema,
  cardSchema,
  createCardReturnSchema,
  depositParamsSchema,
  depositRateSchema,
  depositRateViewSchema,
  replaceCardSchema,
  reportLostSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

export const cardsModule: AppModule = {
  name: 'cards',
  prefix: '/api/v1/cards',
  routes: async (app, { services: { cards } }) => {
    const tags = ['cards'];
    app.get(
      '/deposits/:siteId',
      {
        config: { access: 'venues.read' },
        schema: {
          tags,
          summary: '景区每张卡的押金 / The deposit a site charges per card',
          params: depositParamsSchema,
          response: { 200: depositRateViewSchema, ...errors },
        },
      },
      async (request) => cards.depositOf(request.params.siteId, siteScopeOfRequest(request)),
    );
    app.put(
      '/deposits/:siteId',
      {
        config: { access: 'venues.manage' },
        schema: {
          tags,
          summary: '设置每张卡的押金（0 为不收）/ Set the deposit per card (0: none)',
          params: depositParamsSchema,
          body: depositRateSchema,
          response: { 200: depositRateViewSchema, ...errors },
        },
      },
      async (request) =>
        cards.setDeposit(request.params.siteId, request.body.depositFen, changeContextOf(request)),
    );
    app.get(
      '/:uid',
      {
        config: { access: 'lookup.read' },
        schema: {
          tags,
          summary: 'IC 卡状态与记录 / An IC card’s status and history',
          params: cardParamsSchema,
          response: { 200: cardSchema, ...errors },
        },
      },
      async (request) => cards.get(request.params.uid, siteScopeOfRequest(request)),
    );
    app.post(
      '/:uid/lost',
      {
        config: { access: 'sales.sell' },
        schema: {
          tags,
          summary:
            '挂失或停用：各闸机随白名单增量拒绝此卡 / Report lost or block: every gate refuses the card with the next ' +
            'whitelist delta',
          params: cardParamsSchema,
          body: reportLostSchema,
          response: { 200: cardSchema, ...errors },
        },
      },
      async (request) => cards.block(request.params.uid, request.body.status, changeContextOf(request)),
    );
    app.post(
      '/:uid/replace',
      {
        config: { access: 'sales.sell' },
        schema: {
          tags,
          summary:
            '补卡：新卡绑定原票，剩余次数与有效期不变 / Replace: a new card bound to the same ticket, its entries ' +
            'and validity unchanged',
          params: cardParamsSchema,
          body: replaceCardSchema,
          response: { 200: cardReplacementSchema, ...errors },
        },
      },
      async (request) => cards.replace(request.params.uid, request.body.newCardUid, changeContextOf(request)),
    );
  },
};

export const cardReturnsModule: AppModule = {
  name: 'card-returns',
  prefix: '/api/v1/card-returns',
  routes: async (app, { services: { cards } }) => {
    idempotentCreateRoute(app, {
      access: 'refunds.request',
      tags: ['cards'],
      summary: '退卡并退押金（需 Idempotency-Key）/ Return a card and refund its deposit (Idempotency-Key)',
      body: createCardReturnSchema,
      answer: cardReturnSchema,
      errors,
      create: (command, request) => cards.returnCard({ ...command, context: changeContextOf(request) }),
    });
  },
};
