/**
 * /api/v1/credential-keys (keys.manage): the QR signing keys — list (public facts only), rotate to a new signing key,
 * retire an old one. Rotation and retirement reach gates with their next config, published at once.
 */

import { changeContextOf } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { keyChangeSchema, keyParamsSchema, reissuedTicketsSchema, signingKeySchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  503: errorResponseSchema,
};

export const signingKeysModule: AppModule = {
  name: 'signing-keys',
  prefix: '/api/v1/credential-keys',
  routes: async (app, { services: { credentialKeys: service }, mqtt }) => {
    const tags = ['signing-keys'];
    const access = { access: 'keys.manage', allSites: true } as const;

    app.get(
      '/',
      {
        config: access,
        schema: {
          tags,
          summary: '票据签名密钥（不含私钥）/ Ticket signing keys (no private material)',
          response: { 200: signingKeySchema.array(), ...errors },
        },
      },
      async () => service.list(),
    );
    app.post(
      '/rotate',
      {
        config: access,
        schema: {
          tags,
          summary:
            '轮换：生成新的签名密钥，旧密钥在停用前仍可验票 / Rotate: a new key signs from now on; older keys ' +
            'still verify until retired',
          body: keyChangeSchema,
          response: { 201: signingKeySchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = await service.rotate(request.body, changeContextOf(request));
        await mqtt?.gateConfig.refresh();
        return reply.code(201).send(key);
      },
    );
    app.post(
      '/:keyId/retire',
      {
        config: access,
        schema: {
          tags,
          summary: '停用密钥：闸机不再接受其签发的票 / Retire a key: gates refuse the codes it signed',
          params: keyParamsSchema,
          body: keyChangeSchema,
          response: { 200: signingKeySchema, ...errors },
        },
      },
      async (request) => {
        const key = await service.retire(request.params.keyId, request.body, changeContextOf(request));
        await mqtt?.gateConfig.refresh();
        return key;
      },
    );
    app.post(
      '/:keyId/reissue-tickets',
      {
        config: access,
        schema: {
          tags,
          summary:
            '重新签发：该密钥签发的有效票换用当前密钥的新凭证（旧打印件作废，可重打）/ Re-issue: the live tickets ' +
            'this key signed get a credential of the current key (reprint them; the old printout is refused once ' +
            'the key is retired)',
          params: keyParamsSchema,
          body: keyChangeSchema,
          response: { 200: reissuedTicketsSchema, ...errors },
        },
      },
      async (request) => service.reissueTickets(request.params.keyId, request.body, changeContextOf(request)),
    );
  },
};
