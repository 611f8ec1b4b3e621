/**
 * /api/v1/gates/:gateId/credentials — each gate's MQTT login. Issue and rotate answer with the password, the only
 * time it is ever shown; rotate and revoke drop the gate's live session on the embedded broker. gates.manage.
 * /api/v1/gates/broker — where gates connect with that login (the console's set-up screens build commands from it).
 */
import { idStringSchema } from '@scenic/protocol';
import { z } from 'zod';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { gateBroker } from './broker-info.js';

const params = z.object({ gateId: idStringSchema });

const credentialSchema = z
  .object({
    gateId: z.string(),
    siteId: z.string(),
    username: z.string().describe('MQTT user name: gate@{siteId}@{gateId}'),
    clientId: z.string().describe('The MQTT client id the gate must use: sg-{siteId}-{gateId}'),
    version: z.number().int(),
    createdAt: z.number().int(),
    rotatedAt: z.number().int(),
    revokedAt: z.number().int().nullable(),
  })
  .meta({ id: 'GateCredential' });

const issuedSchema = credentialSchema
  .extend({ password: z.string().describe('Shown only in this response; the cloud stores a hash') })
  .meta({ id: 'IssuedGateCredential' });

const brokerSchema = z
  .object({
    embedded: z.boolean().describe('The cloud runs the broker itself'),
    port: z
      .number()
      .int()
      .nullable()
      .describe("Embedded broker's TCP port; gates use the cloud's own address. null: external broker"),
    url: z.string().nullable().describe('External broker URL without credentials; null: embedded broker'),
  })
  .meta({ id: 'GateBroker' });

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const manage = { access: 'gates.manage' } as const;

export const gateAccessModule: AppModule = {
  name: 'gate-access',
  prefix: '/api/v1/gates',
  routes: async (app, { config, services: { gateAccess: access }, mqtt }) => {
    const tags = ['gates'];

    app.get(
      '/broker',
      {
        config: manage,
        schema: {
          tags,
          summary: '闸机连接的 MQTT 服务器 / The MQTT broker gates connect to',
          response: { 200: brokerSchema, ...errors },
        },
      },
      async () => gateBroker(config.mqtt, mqtt?.broker),
    );

    app.get(
      '/:gateId/credentials',
      {
        config: manage,
        schema: {
          tags,
          summary: '闸机接入凭证（不含密码） / A gate’s MQTT credential, without the password',
          params,
          response: { 200: credentialSchema, ...errors },
        },
      },
      async (request) => access.get(request.params.gateId, siteScopeOfRequest(request)),
    );

    app.post(
      '/:gateId/credentials',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '签发闸机接入凭证（密码仅显示一次） / Issue a gate’s MQTT credential (password shown once)',
          params,
          response: { 201: issuedSchema, ...errors },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return access.issue(request.params.gateId, changeContextOf(request));
      },
    );

    app.post(
      '/:gateId/credentials/rotate',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '轮换闸机密码，旧密码立即失效 / Rotate a gate’s password; the old one stops working at once',
          params,
          response: { 200: issuedSchema, ...errors },
        },
      },
      async (request) => access.rotate(request.params.gateId, changeContextOf(request)),
    );

    app.delete(
      '/:gateId/credentials',
      {
        config: manage,
        schema: {
          tags,
          summary: '吊销闸机凭证并断开连接 / Revoke a gate’s credential and disconnect it',
          params,
          response: { 200: credentialSchema, ...errors },
        },
      },
      async (request) => access.revoke(request.params.gateId, changeContextOf(request)),
    );
  },
};
