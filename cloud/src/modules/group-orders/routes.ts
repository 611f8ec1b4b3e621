/**
 * /api/v1/group-orders: group orders (团队订单). Placing, reading, confirming (paying from the agency's account),
 * giving the visitor list and cancelling need groups.order — an agency's operator only ever sees its own agency's
 * orders, and an operator without groups.manage only the orders they placed; modifying, picking up at the window and
 * closing need groups.manage. A create answers 201, or 200 with `Idempotent-Replayed: true` when the client's
 * reference had already placed the same order.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { operatorOf } from '../../platform/auth/enforce.js';
import { changeContextOf } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { sendIdempotent } from '../../platform/idempotent-reply.js';
import type { AppModule } from '../module.js';
import { renderTicketsPdf } from '../printing/service.js';
import {
  cancelSchema,
  closeSchema,
  createGroupOrderSchema,
  groupOrderPageSchema,
  groupOrderSchema,
  listGroupOrdersQuerySchema,
  modifyGroupOrderSchema,
  orderParamsSchema,
  orderVisitorsSchema,
  pickUpSchema,
} from './schemas.js';
import type { OrderRequester } from './service.js';

const errors = {
  400: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  503: errorResponseSchema,
};

export const groupOrdersModule: AppModule = {
  name: 'group-orders',
  prefix: '/api/v1/group-orders',
  routes: async (app, { services: { groupOrders, prints } }) => {
    const tags = ['group-orders'];
    const requester = async (request: FastifyRequest): Promise<OrderRequester> => {
      const operator = operatorOf(request);
      return {
        context: changeContextOf(request),
        agencyId: await groupOrders.agencyOf(operator.id),
        manages: operator.permissions.has('groups.manage'),
      };
    };
    const byId = { params: orderParamsSchema, response: { 200: groupOrderSchema, ...errors } };

    app.post(
      '/',
      {
        config: { access: 'groups.order' },
        schema: {
          tags,
          summary:
            '团队下单：占用名额并保留至占位到期；同一参考号重复提交返回原订单 / Place a group order: its places are held until the hold lapses; the same reference answers the first order',
          body: createGroupOrderSchema,
          response: { 200: groupOrderSchema, 201: groupOrderSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { value, replayed } = await groupOrders.create(request.body, await requester(request));
        return sendIdempotent(reply, replayed, value);
      },
    );
    app.get(
      '/',
      {
        config: { access: 'groups.order' },
        schema: {
          tags,
          summary: '团队订单（新的在前）/ Group orders, newest first',
          querystring: listGroupOrdersQuerySchema,
          response: { 200: groupOrderPageSchema, ...errors },
        },
      },
      async (request) => groupOrders.list(request.query, await requester(request)),
    );
    app.get(
      '/:orderId',
      {
        config: { access: 'groups.order' },
        schema: {
          tags,
          summary: '团队订单：明细、游客、支付、票与状态记录 / A group order with its state log',
          ...byId,
        },
      },
      async (request) => groupOrders.get(request.params.orderId, await requester(request)),
    );
    app.post(
      '/:orderId/confirm',
      {
        config: { access: 'groups.order' },
        schema: {
          tags,
          summary:
            '确认订单：预存/授信旅行社此时扣款，现付订单取票时付款；占位到期后不能确认 / Confirm: prepaid and credit agencies are debited now, window payers pay at pick-up',
          ...byId,
        },
      },
      async (request) => groupOrders.confirm(request.params.orderId, await requester(request)),
    );
    app.put(
      '/:orderId/visitors',
      {
        config: { access: 'groups.order' },
        schema: {
          tags,
          summary:
            '提交实名游客名单（整体替换，截止前可改）/ Give the real-name visitor list (replaces it, until due)',
          body: orderVisitorsSchema,
          ...byId,
        },
      },
      async (request) =>
        groupOrders.setVisitors(request.params.orderId, request.body, await requester(request)),
    );
    app.post(
      '/:orderId/cancel',
      {
        config: { access: 'groups.order' },
        schema: {
          tags,
          summary:
            '取消订单：截止时间前免费，之后收取手续费（见请求体说明）/ Cancel: free before the cut-off, then a fee (see the body)',
          body: cancelSchema,
          ...byId,
        },
      },
      async (request) => groupOrders.cancel(request.params.orderId, request.body, await requester(request)),
    );
    app.patch(
      '/:orderId',
      {
        config: { access: 'groups.manage' },
        schema: {
          tags,
          summary:
            '取票前修改人数、日期或时段：重新核对名额，减少的释放，差额通过旅行社账户结算 / Modify before pick-up: capacity re-checked, the difference through the ledger',
          body: modifyGroupOrderSchema,
          ...byId,
        },
      },
      async (request) => groupOrders.modify(request.params.orderId, request.body, await requester(request)),
    );
    app.post(
      '/:orderId/pick-up',
      {
        config: { access: 'groups.manage' },
        schema: {
          tags,
          summary:
            '付款取单：出团队码或一人一票 / Pay and pick up at the window: group codes or one ticket each',
          body: pickUpSchema,
          ...byId,
        },
      },
      async (request) => groupOrders.pickUp(request.params.orderId, request.body, await requester(request)),
    );
    app.post(
      '/:orderId/close',
      {
        config: { access: 'groups.manage' },
        schema: {
          tags,
          summary:
            '游玩日后结单：部分核销后按政策退还未使用人数 / Close after the visit: unused persons refunded by the policy',
          body: closeSchema,
          ...byId,
        },
      },
      async (request) => groupOrders.close(request.params.orderId, request.body, await requester(request)),
    );
    app.get(
      '/:orderId/tickets.pdf',
      {
        config: { access: 'groups.manage' },
        schema: {
          tags,
          summary:
            '打印订单的票 PDF（团队码或一人一票；已退、作废的不打）/ Print the order’s tickets as a PDF (refunded or revoked ones left out)',
          params: orderParamsSchema,
          querystring: z.object({ page: z.enum(['stub', 'a4']).default('stub') }),
          response: { 200: z.unknown().describe('application/pdf'), ...errors },
        },
      },
      async (request, reply) => {
        const order = await groupOrders.get(request.params.orderId, await requester(request));
        const models = await prints.ticketsToPrint(order.tickets, order.id, {
          cashier: null,
          siteId: order.siteId,
          windowId: order.windowId,
          reference: order.reference,
        });
        const pdf = await renderTicketsPdf(models, { page: request.query.page });
        await prints.recordPrint(changeContextOf(request), {
          saleId: null,
          orderId: order.id,
          ticketIds: models.map((m) => Number(m.serial)),
          format: request.query.page === 'a4' ? 'pdf_a4' : 'pdf_stub',
          reprint: false,
        });
        return reply.type('application/pdf').send(pdf);
      },
    );
  },
};
