/**
 * /api/v1/gates/status — live gate status for the control room: the list, and a Server-Sent Events stream that
 * starts with a `snapshot` event and then sends one `status` event per change (plus a comment every 15 s so proxies
 * keep the connection open; platform/event-stream.ts). gates.read. Each status carries the heartbeat interval the
 * gate's config asks for, so the console can tell a gate that went silent without a last will (stale) from one
 * that is merely between heartbeats.
 */

import { z } from 'zod';
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { sendEventStream } from '../../platform/event-stream.js';
import { coversSite, type SiteScope } from '../../platform/site-scope.js';
import type { AppModule } from '../module.js';
import type { GateStatus } from './hub.js';

const statusSchema = z
  .object({
    gateId: z.string(),
    siteId: z.string(),
    online: z.boolean(),
    mode: z.string().nullable(),
    denyUnauthorized: z.boolean().nullable(),
    firmware: z.string().nullable(),
    whitelistVersion: z.number().int().nullable(),
    configVersion: z.number().int().nullable(),
    since: z.number().int().nullable().describe('When the current online/offline state began, epoch ms'),
    lastSeenAt: z.number().int(),
    lastStateAt: z.number().int().nullable(),
    lastHeartbeatAt: z.number().int().nullable(),
    uptimeSec: z.number().int().nullable(),
    counters: z
      .object({ scans: z.number().int(), admits: z.number().int(), denies: z.number().int() })
      .nullable(),
    outboxDepth: z.number().int().nullable(),
    degraded: z
      .array(z.string())
      .nullable()
      .describe('Devices and inputs the gate runs without (e.g. voice, passage.in); null until reported'),
    floodedUntil: z
      .number()
      .int()
      .nullable()
      .describe(
        '消息过多被断开，至此时间（epoch ms）/ While the gate is cut off for flooding the cloud with messages: when that ends, epoch ms',
      ),
    heartbeatSec: z
      .number()
      .int()
      .describe('心跳间隔（秒，闸机配置）/ Seconds between heartbeats, from the gate’s config'),
  })
  .meta({ id: 'GateStatus' });
/** A gate's status as the API shows it. */
export type GateStatusView = z.infer<typeof statusSchema>;

const read = { access: 'gates.read' } as const;

export const gateStatusModule: AppModule = {
  name: 'gate-status',
  prefix: '/api/v1/gates/status',
  routes: async (app, { services, mqtt }) => {
    const tags = ['gates'];
    const view = (status: GateStatus): GateStatusView => ({
      ...status,
      heartbeatSec: services.gateConfig.heartbeatSecOf(status.gateId),
    });
    // With the MQTT side running, the hub is the freshest view; without it (tests, tools) the table is.
    const current = async (scope: SiteScope): Promise<GateStatusView[]> =>
      (mqtt ? mqtt.gateStatus.all(scope) : await services.gateStatus.stored(scope)).map(view);

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary: '闸机实时状态 / Live status of every gate',
          querystring: z.object({ siteId: z.string().optional() }),
          response: { 200: z.object({ items: z.array(statusSchema) }) },
        },
      },
      async (request) => {
        const { siteId } = request.query;
        const items = await current(siteScopeOfRequest(request));
        return { items: siteId === undefined ? items : items.filter((s) => s.siteId === siteId) };
      },
    );

    app.get(
      '/stream',
      {
        config: read,
        schema: {
          tags,
          summary: '闸机状态推送（SSE） / Push stream of gate status changes (Server-Sent Events)',
          produces: ['text/event-stream'],
        },
      },
      (request, reply) => {
        const scope = siteScopeOfRequest(request);
        return sendEventStream<{ items: GateStatusView[] }, { status: GateStatusView }>(request, reply, {
          subscribe: (push) => {
            const onChange = (status: GateStatus) => {
              if (coversSite(scope, status.siteId)) push({ event: 'status', data: view(status) });
            };
            mqtt?.gateStatus.on('change', onChange);
            return () => mqtt?.gateStatus.off('change', onChange);
          },
          // The hub is read from memory in the same turn the stream starts listening, so no change older than the
          // snapshot can follow it and none needs dropping; without the MQTT side there are no changes at all.
          snapshot: async () => ({ items: await current(scope) }),
        });
      },
    );
  },
};
