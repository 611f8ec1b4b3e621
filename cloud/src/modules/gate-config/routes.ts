/**
 * /api/v1/gates/:gateId/config — the retained config a gate runs (gates.read) — and /api/v1/gates/:gateId/settings,
 * the gate's own part of it (gates.manage). A settings change is published as a new config version at once.
 */
import { gateConfigSchema, idStringSchema } from '@scenic/protocol';
import { z } from 'zod';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { gateSettingsSchema, updateGateSettingsSchema } from './settings.js';

const params = z.object({ gateId: idStringSchema });
const errors = { 400: errorResponseSchema, 404: errorResponseSchema };
const configResponse = gateConfigSchema.meta({ id: 'GateConfig' });

export const gateConfigModule: AppModule = {
  name: 'gate-config',
  prefix: '/api/v1/gates',
  routes: async (app, { services: { gateConfig: service }, mqtt }) => {
    const tags = ['gates'];

    app.get(
      '/:gateId/config',
      {
        config: { access: 'gates.read' },
        schema: {
          tags,
          summary: '闸机当前配置（保留消息） / The config the gate runs (the retained message)',
          params,
          response: { 200: configResponse, ...errors },
        },
      },
      async (request) => service.get(request.params.gateId, siteScopeOfRequest(request)),
    );

    app.get(
      '/:gateId/settings',
      {
        config: { access: 'gates.manage' },
        schema: {
          tags,
          summary: '闸机自身设置 / The gate’s own settings',
          params,
          response: { 200: gateSettingsSchema, ...errors },
        },
      },
      async (request) => service.settings(request.params.gateId, siteScopeOfRequest(request)),
    );

    app.patch(
      '/:gateId/settings',
      {
        config: { access: 'gates.manage' },
        schema: {
          tags,
          summary: '修改闸机设置并下发新配置 / Change the gate’s settings and publish its new config',
          params,
          body: updateGateSettingsSchema,
          response: { 200: gateSettingsSchema, ...errors },
        },
      },
      async (request) => {
        const settings = await service.updateSettings(
          request.params.gateId,
          request.body,
          changeContextOf(request),
        );
        await mqtt?.gateConfig.refresh();
        return settings;
      },
    );
  },
};
