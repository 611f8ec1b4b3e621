/**
 * /api/v1/webhooks (channel.manage, every site): partners' webhook endpoints (the signing secret is in the creation
 * answer only), the delivery log (each delivery with every attempt, paged, newest first) and manual redelivery.
 */
import { changeContextOf } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import {
  createdWebhookEndpointSchema,
  createWebhookEndpointSchema,
  deliveryListQuerySchema,
  deliveryPageSchema,
  deliveryParamsSchema,
  endpointListQuerySchema,
  endpointParamsSchema,
  rotateSecretSchema,
  webhookChangeSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

export const webhooksModule: AppModule = {
  name: 'webhooks',
  prefix: '/api/v1/webhooks',
  routes: async (app, { services: { webhooks } }) => {
    const tags = ['webhooks'];
    const config = { access: 'channel.manage', allSites: true } as const;

    app.get(
      '/endpoints',
      {
        config,
        schema: {
          tags,
          summary: '回调地址（不含签名密钥）/ Webhook endpoints (never their secrets)',
          querystring: endpointListQuerySchema,
          response: { 200: webhookEndpointSchema.array(), ...errors },
        },
      },
      async (request) => webhooks.listEndpoints(request.query),
    );
    app.post(
      '/endpoints',
      {
        config,
        schema: {
          tags,
          summary:
            '新建回调地址：签名密钥只在此次应答中出现 / Add an endpoint: its signing secret appears in this answer only',
          body: createWebhookEndpointSchema,
          response: { 201: createdWebhookEndpointSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await webhooks.createEndpoint(request.body, changeContextOf(request))),
    );
    app.post(
      '/endpoints/:endpointId/disable',
      {
        config,
        schema: {
          tags,
          summary: '停用回调地址 / Disable an endpoint: nothing more is sent to it',
          params: endpointParamsSchema,
          body: webhookChangeSchema,
          response: { 200: webhookEndpointSchema, ...errors },
        },
      },
      async (request) =>
        webhooks.disableEndpoint(request.params.endpointId, request.body, changeContextOf(request)),
    );
    app.post(
      '/endpoints/:endpointId/rotate-secret',
      {
        config,
        schema: {
          tags,
          summary:
            '轮换签名密钥：新密钥只显示这一次，过渡期内同时带新旧签名 / Rotate the signing secret: the new one is shown once; during the grace period requests carry both signatures',
          params: endpointParamsSchema,
          body: rotateSecretSchema,
          response: { 200: createdWebhookEndpointSchema, ...errors },
        },
      },
      async (request) =>
        webhooks.rotateSecret(request.params.endpointId, request.body, changeContextOf(request)),
    );
    app.get(
      '/deliveries',
      {
        config,
        schema: {
          tags,
          summary: '投递记录（含每次尝试）/ The delivery log, each delivery with every attempt',
          querystring: deliveryListQuerySchema,
          response: { 200: deliveryPageSchema, ...errors },
        },
      },
      async (request) => webhooks.deliveries(request.query),
    );
    app.post(
      '/deliveries/:deliveryId/redeliver',
      {
        config,
        schema: {
          tags,
          summary: '重新投递（同一事件编号）/ Send a delivery again now, with the same event id',
          params: deliveryParamsSchema,
          body: webhookChangeSchema,
          response: { 200: webhookDeliverySchema, ...errors },
        },
      },
      async (request) =>
        webhooks.redeliver(request.params.deliveryId, request.body, changeContextOf(request)),
    );
  },
};
