/**
 * /api/v1/customers (客户资料): register, change and find customers (by phone, ID number, member card, name prefix or
 * tag, server-paged), bind and block member cards, and a customer's purchases with a summary. Reading needs
 * customers.read (the window looks a customer up to attach it to a sale), changing customers.manage. Customers are
 * a site's, like the sales they are attached to: a site-limited operator sees and changes those of its sites.
 */
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import {
  bindCardSchema,
  cardParamsSchema,
  createCustomerSchema,
  customerHistorySchema,
  customerPageSchema,
  customerParamsSchema,
  customerSchema,
  historyQuerySchema,
  searchCustomersQuerySchema,
  updateCustomerSchema,
} from './schemas.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const read = { access: 'customers.read' } as const;
const manage = { access: 'customers.manage' } as const;

export const customersModule: AppModule = {
  name: 'customers',
  prefix: '/api/v1/customers',
  routes: async (app, { services: { customers } }) => {
    const tags = ['customers'];

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary:
            '查找客户：手机号、证件号、会员卡（完整）或姓名开头、标签（分页）/ Find customers by phone, ID number or ' +
            'card (whole), name prefix or tag, paged',
          querystring: searchCustomersQuerySchema,
          response: { 200: customerPageSchema, ...errors },
        },
      },
      async (request) => customers.search(request.query, siteScopeOfRequest(request)),
    );
    app.post(
      '/',
      {
        config: manage,
        schema: {
          tags,
          summary: '登记客户 / Register a customer',
          body: createCustomerSchema,
          response: { 201: customerSchema, ...errors },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return customers.create(request.body, changeContextOf(request));
      },
    );
    app.get(
      '/:customerId',
      {
        config: read,
        schema: {
          tags,
          summary: '客户资料与会员卡 / A customer with their member cards',
          params: customerParamsSchema,
          response: { 200: customerSchema, ...errors },
        },
      },
      async (request) => customers.get(request.params.customerId, siteScopeOfRequest(request)),
    );
    app.patch(
      '/:customerId',
      {
        config: manage,
        schema: {
          tags,
          summary: '修改客户资料 / Change a customer',
          params: customerParamsSchema,
          body: updateCustomerSchema,
          response: { 200: customerSchema, ...errors },
        },
      },
      async (request) => customers.update(request.params.customerId, request.body, changeContextOf(request)),
    );
    app.get(
      '/:customerId/history',
      {
        config: read,
        schema: {
          tags,
          summary:
            '消费与入园记录及汇总（消费、票数、入园次数、最近入园）/ Purchases and visits with a summary (spent, ' +
            'tickets, visits, last visit)',
          params: customerParamsSchema,
          querystring: historyQuerySchema,
          response: { 200: customerHistorySchema, ...errors },
        },
      },
      async (request) =>
        customers.history(request.params.customerId, request.query, siteScopeOfRequest(request)),
    );
    app.post(
      '/:customerId/cards',
      {
        config: manage,
        schema: {
          tags,
          summary: '绑定会员卡（可同时替换旧卡）/ Bind a member card (optionally replacing an old one)',
          params: customerParamsSchema,
          body: bindCardSchema,
          response: { 200: customerSchema, ...errors },
        },
      },
      async (request) =>
        customers.bindCard(request.params.customerId, request.body, changeContextOf(request)),
    );
    app.post(
      '/:customerId/cards/:cardId/block',
      {
        config: manage,
        schema: {
          tags,
          summary: '挂失会员卡 / Block a member card',
          params: cardParamsSchema,
          response: { 200: customerSchema, ...errors },
        },
      },
      async (request) =>
        customers.blockCard(request.params.customerId, request.params.cardId, changeContextOf(request)),
    );
  },
};
