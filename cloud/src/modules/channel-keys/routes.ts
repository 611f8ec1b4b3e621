/**
 * /api/v1/channel-keys (channel.manage, every site): the partners' API keys — list, create (the secret is in the
 * answer only this once), rotate (a new secret; the old one works for the grace asked), revoke. Keys span sites and
 * agencies, so an operator limited to some sites manages none (allSites).
 */
import { changeContextOf } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import {
  channelKeyListQuerySchema,
  channelKeyParamsSchema,
  channelKeySchema,
  createChannelKeySchema,
  issuedChannelKeySchema,
  revokeChannelKeySchema,
  rotateChannelKeySchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

export const channelKeysModule: AppModule = {
  name: 'channel-keys',
  prefix: '/api/v1/channel-keys',
  routes: async (app, { services: { channelKeys: service } }) => {
    const tags = ['channel-keys'];
    const config = { access: 'channel.manage', allSites: true } as const;

    app.get(
      '/',
      {
        config,
        schema: {
          tags,
          summary: '渠道接口密钥（不含密钥本身）/ Channel API keys (never the secrets)',
          querystring: channelKeyListQuerySchema,
          response: { 200: channelKeySchema.array(), ...errors },
        },
      },
      async (request) => service.list(request.query),
    );
    app.get(
      '/:keyId',
      {
        config,
        schema: {
          tags,
          summary: '一个渠道接口密钥 / One channel API key',
          params: channelKeyParamsSchema,
          response: { 200: channelKeySchema, ...errors },
        },
      },
      async (request) => service.get(request.params.keyId),
    );
    app.post(
      '/',
      {
        config,
        schema: {
          tags,
          summary:
            '新建密钥：完整密钥只在此次应答中出现 / Create a key: the whole key appears in this answer only',
          body: createChannelKeySchema,
          response: { 201: issuedChannelKeySchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.create(request.body, changeContextOf(request))),
    );
    app.post(
      '/:keyId/rotate',
      {
        config,
        schema: {
          tags,
          summary:
            '轮换：发放新密钥，旧密钥在宽限期内仍可用 / Rotate: a new secret; the old one works for the grace given',
          params: channelKeyParamsSchema,
          body: rotateChannelKeySchema,
          response: { 200: issuedChannelKeySchema, ...errors },
        },
      },
      async (request) => service.rotate(request.params.keyId, request.body, changeContextOf(request)),
    );
    app.post(
      '/:keyId/revoke',
      {
        config,
        schema: {
          tags,
          summary: '吊销：密钥立即且永久失效 / Revoke: the key stops working at once, for good',
          params: channelKeyParamsSchema,
          body: revokeChannelKeySchema,
          response: { 200: channelKeySchema, ...errors },
        },
      },
      async (request) => service.revoke(request.params.keyId, request.body, changeContextOf(request)),
    );
  },
};
