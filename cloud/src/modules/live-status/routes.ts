/**
 * /api/v1/live-status — today's live figures per site (实时状态: sales by tender and channel, tickets, refunds, net,
 * entries, in park, group persons, gates online) and their push stream (Server-Sent Events: a `snapshot`, then a
 * `figures` event whenever a site's figures changed, at most one a second per site, and a `heartbeat` every 15 s
 * when they are read again anyway; platform/event-stream.ts). reports.read, the live figures' permission;
 * site-scoped.
 */
import { z } from 'zod';
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { type StreamChange, sendEventStream } from '../../platform/event-stream.js';
import type { AppModule } from '../module.js';
import { type LiveFigures, liveFiguresSchema, liveStatusQuerySchema } from './schemas.js';

const read = { access: 'reports.read' } as const;
const errors = { 400: errorResponseSchema, 404: errorResponseSchema };

type Events = { figures: LiveFigures; heartbeat: { at: number } };

export const liveStatusModule: AppModule = {
  name: 'live-status',
  prefix: '/api/v1/live-status',
  routes: async (app, { services: { liveStatus }, mqtt }) => {
    const tags = ['live-status'];

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary:
            '实时状态：今日销售、退票、入园、在园、团队人数、闸机在线 / Live figures of today, per site',
          querystring: liveStatusQuerySchema,
          response: { 200: z.object({ items: z.array(liveFiguresSchema) }), ...errors },
        },
      },
      async (request) => ({
        items: await liveStatus.figures(request.query.siteId, siteScopeOfRequest(request)),
      }),
    );

    app.get(
      '/stream',
      {
        config: read,
        schema: {
          tags,
          summary: '实时状态推送（SSE）/ Push stream of the live figures (Server-Sent Events)',
          querystring: liveStatusQuerySchema,
          produces: ['text/event-stream'],
        },
      },
      async (request, reply) => {
        const scope = siteScopeOfRequest(request);
        // Before the stream opens: an unknown or hidden site answers 404 like the list.
        const sites = (await liveStatus.sites(request.query.siteId, scope)).map((site) => site.id);
        return sendEventStream<{ items: LiveFigures[] }, Events>(request, reply, {
          subscribe: (push) => {
            const stop = liveStatus.hub.watch(
              sites,
              (figures) => push({ event: 'figures', data: figures }),
              (at) => push({ event: 'heartbeat', data: { at } }),
            );
            // A gate going on- or offline changes a site's count of gates online (only with the MQTT side).
            const onGate = (status: { siteId: string }) => liveStatus.hub.signal(status.siteId);
            mqtt?.gateStatus.on('change', onGate);
            return () => {
              mqtt?.gateStatus.off('change', onGate);
              stop();
            };
          },
          snapshot: async () => {
            const items = await liveStatus.figures(request.query.siteId, scope);
            for (const figures of items) liveStatus.hub.seen(figures);
            return { items };
          },
          covered: ({ items }) => figuresCoveredBy(items),
        });
      },
    );
  },
};

/** A reading older than the snapshot's of the same site (a lower version) would step the console back: dropped. */
function figuresCoveredBy(items: readonly LiveFigures[]): (change: StreamChange<Events>) => boolean {
  const versions = new Map(items.map((figures) => [figures.siteId, figures.version]));
  return (change) =>
    change.event === 'figures' && change.data.version <= (versions.get(change.data.siteId) ?? -1);
}
