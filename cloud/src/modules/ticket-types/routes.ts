/**
 * /api/v1/ticket-types: ticket-type management with versions, the gate rules derived from a type, price quotes and
 * the templates a venue starts from. Reading and quoting need ticket_types.read, changing ticket_types.manage.
 */
import { ticketTypeRulesSchema } from '@scenic/protocol';
import { z } from 'zod';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { venueIdSchema } from '../venues/schemas.js';
import {
  createTicketTypeSchema,
  quoteRequestSchema,
  quoteSchema,
  siteQuerySchema,
  ticketTypeSchema,
  ticketTypeVersionSchema,
  typeIdParamsSchema,
  updateTicketTypeSchema,
} from './schemas.js';
import { TICKET_TYPE_TEMPLATES, ticketTypeTemplateSchema } from './templates.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const read = { access: 'ticket_types.read' } as const;
const manage = { access: 'ticket_types.manage' } as const;
const versionParams = typeIdParamsSchema.extend({ version: z.coerce.number().int().min(1).max(1_000_000) });

export const ticketTypesModule: AppModule = {
  name: 'ticket-types',
  prefix: '/api/v1/ticket-types',
  routes: async (app, { services: { ticketTypes } }) => {
    const tags = ['ticket-types'];

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary: '票种列表（当前版本）/ List ticket types with their current versions',
          querystring: siteQuerySchema,
          response: { 200: z.array(ticketTypeSchema) },
        },
      },
      async (request) => ticketTypes.list({ siteId: request.query.siteId }, siteScopeOfRequest(request)),
    );
    app.post(
      '/',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '新建票种（未给出的字段按类别取默认值）/ Create a ticket type; omitted fields get defaults',
          body: createTicketTypeSchema,
          response: { 201: ticketTypeSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await ticketTypes.create(request.body, changeContextOf(request))),
    );
    app.get(
      '/gate-rules',
      {
        config: read,
        schema: {
          tags,
          summary: '景区全部启用票种的闸机规则 / Gate rules of every active type of a site',
          querystring: z.object({ siteId: venueIdSchema }),
          response: { 200: z.array(ticketTypeRulesSchema), ...errors },
        },
      },
      async (request) => ticketTypes.gateRulesForSite(request.query.siteId, siteScopeOfRequest(request)),
    );
    // A static path: the router tries it before `/:typeId`, whatever the order of registration.
    app.get(
      '/templates',
      {
        config: read,
        schema: {
          tags,
          summary:
            '票种模板：成人票、儿童票、老人票、十次卡、月卡、季卡、年卡 / Ticket type templates to start from',
          description:
            '每个模板的 body 补上 typeId、siteId（按需改价）即可提交给 POST /api/v1/ticket-types / Each ' +
            "template's body, with typeId and siteId added (and the price adjusted), is a valid POST " +
            '/api/v1/ticket-types body.',
          response: { 200: z.array(ticketTypeTemplateSchema) },
        },
      },
      async () => [...TICKET_TYPE_TEMPLATES],
    );
    app.get(
      '/:typeId',
      {
        config: read,
        schema: {
          tags,
          summary: '票种详情 / Get a ticket type',
          params: typeIdParamsSchema,
          response: { 200: ticketTypeSchema, ...errors },
        },
      },
      async (request) => ticketTypes.get(request.params.typeId, undefined, siteScopeOfRequest(request)),
    );
    app.patch(
      '/:typeId',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '修改票种：定义变化时生成新版本，启停不生成 / Update: a definition change makes a new version; ' +
            'activation does not',
          params: typeIdParamsSchema,
          body: updateTicketTypeSchema,
          response: { 200: ticketTypeSchema, ...errors },
        },
      },
      async (request) => ticketTypes.update(request.params.typeId, request.body, changeContextOf(request)),
    );
    app.get(
      '/:typeId/versions',
      {
        config: read,
        schema: {
          tags,
          summary: '票种历史版本 / All versions of a ticket type',
          params: typeIdParamsSchema,
          response: { 200: z.array(ticketTypeVersionSchema), ...errors },
        },
      },
      async (request) => ticketTypes.listVersions(request.params.typeId, siteScopeOfRequest(request)),
    );
    app.get(
      '/:typeId/versions/:version',
      {
        config: read,
        schema: {
          tags,
          summary: '票种某一版本 / One version of a ticket type',
          params: versionParams,
          response: { 200: ticketTypeVersionSchema, ...errors },
        },
      },
      async (request) =>
        ticketTypes.getVersion(
          request.params.typeId,
          request.params.version,
          undefined,
          siteScopeOfRequest(request),
        ),
    );
    app.get(
      '/:typeId/gate-rules',
      {
        config: read,
        schema: {
          tags,
          summary: '下发给闸机的规则 / The rules sent to gates',
          params: typeIdParamsSchema,
          response: { 200: ticketTypeRulesSchema, ...errors },
        },
      },
      async (request) => ticketTypes.gateRules(request.params.typeId, siteScopeOfRequest(request)),
    );
    app.post(
      '/:typeId/quote',
      {
        config: read,
        schema: {
          tags,
          summary: '询价：渠道价格与年龄优惠 / Price quote: channel price with the age discount',
          params: typeIdParamsSchema,
          body: quoteRequestSchema,
          response: { 200: quoteSchema, ...errors },
        },
      },
      async (request) =>
        ticketTypes.priceFor(
          { ...request.body, typeId: request.params.typeId },
          undefined,
          siteScopeOfRequest(request),
        ),
    );
  },
};
