/**
 * /api/v1/occupancy — in-park occupancy (在园人数) for the control room: today's figures per site and zone, a
 * Server-Sent Events stream (a `snapshot`, then one `figure` event per changed counter and one `alert` event per
 * alert level change, plus a comment every 15 s; platform/event-stream.ts), the alert history and a site's automatic
 * check-out runs (reports.read, the live-figures permission), and
 * each site's in-park capacity (venues.manage).
 */

import { z } from 'zod';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { type StreamChange, sendEventStream } from '../../platform/event-stream.js';
import { coversSite } from '../../platform/site-scope.js';
import type { AppModule } from '../module.js';
import { venueIdSchema } from '../venues/schemas.js';
import type { OccupancyAlert, OccupancyFigure, SiteOccupancy } from './service.js';

const figureSchema = z
  .object({
    siteId: z.string(),
    zoneId: z.string().nullable().describe('null = the whole site'),
    day: z.string().describe("Occupancy day (venue-local date; '' when occupancy never resets)"),
    entries: z.number().int(),
    exits: z.number().int(),
    inside: z.number().int().describe('在园人数 / Persons inside'),
    clamped: z.number().int().describe('Exit persons dropped so that inside never went below 0'),
    capacity: z.number().int().nullable(),
    percent: z.number().nullable(),
    level: z.number().int().describe('Alert level: 0, 80, 90 or 95'),
    updatedAt: z.number().int().nullable(),
  })
  .meta({ id: 'OccupancyFigure' });

const alertSchema = z
  .object({
    id: z.number().int(),
    siteId: z.string(),
    zoneId: z.string().nullable(),
    day: z.string(),
    fromLevel: z.number().int(),
    toLevel: z.number().int(),
    inside: z.number().int(),
    capacity: z.number().int(),
    at: z.number().int(),
  })
  .meta({ id: 'OccupancyAlert' });

const checkoutRunSchema = z
  .object({
    siteId: z.string(),
    day: z.string().describe('当地日期 / Venue-local date YYYY-MM-DD whose check-out this was'),
    at: z.number().int().describe('清场时刻 / The check-out instant, epoch ms'),
    occupancyDay: z.string().describe("Occupancy day whose counters it set ('' when occupancy never resets)"),
    checkedOut: z.number().int().describe('清场人数 / Persons still inside who were checked out'),
    ranAt: z.number().int().describe('执行时间 / When it ran, epoch ms (later than `at` when it caught up)'),
  })
  .meta({ id: 'AutoCheckoutRun' });

const siteOccupancySchema = z.object({
  siteId: z.string(),
  day: z.string(),
  site: figureSchema,
  zones: z.array(figureSchema),
});

const errors = { 400: errorResponseSchema, 404: errorResponseSchema };
const read = { access: 'reports.read' } as const;

export const occupancyModule: AppModule = {
  name: 'occupancy',
  prefix: '/api/v1/occupancy',
  routes: async (app, { services: { occupancy }, mqtt }) => {
    const tags = ['occupancy'];

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary: '在园人数 / In-park occupancy today, per site and zone',
          querystring: z.object({ siteId: venueIdSchema.optional() }),
          response: { 200: z.object({ items: z.array(siteOccupancySchema) }), ...errors },
        },
      },
      async (request) => ({
        items: await occupancy.current(request.query.siteId, siteScopeOfRequest(request)),
      }),
    );

    app.get(
      '/alerts',
      {
        config: read,
        schema: {
          tags,
          summary: '容量告警记录 / Capacity alert level changes, newest first',
          querystring: z.object({
            siteId: venueIdSchema.optional(),
            from: z.coerce.number().int().optional(),
            to: z.coerce.number().int().optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ items: z.array(alertSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await occupancy.alerts(request.query, siteScopeOfRequest(request)) }),
    );

    app.get(
      '/sites/:siteId/auto-checkouts',
      {
        config: read,
        schema: {
          tags,
          summary: "自动清场记录 / The site's automatic check-out runs, newest first",
          params: z.object({ siteId: venueIdSchema }),
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(366).default(30) }),
          response: { 200: z.object({ items: z.array(checkoutRunSchema) }), ...errors },
        },
      },
      async (request) => ({
        items: await occupancy.checkoutRuns(
          request.params.siteId,
          request.query.limit,
          siteScopeOfRequest(request),
        ),
      }),
    );

    app.put(
      '/sites/:siteId/capacity',
      {
        config: { access: 'venues.manage' },
        schema: {
          tags,
          summary: '设置景区在园容量 / Set how many people a site may hold at once',
          params: z.object({ siteId: venueIdSchema }),
          body: z.strictObject({
            capacity: z.number().int().min(1).max(10_000_000).nullable().describe('null = not limited'),
          }),
          response: {
            200: z.object({ siteId: z.string(), capacity: z.number().int().nullable() }),
            ...errors,
          },
        },
      },
      async (request) =>
        occupancy.setSiteCapacity(request.params.siteId, request.body.capacity, changeContextOf(request)),
    );

    app.get(
      '/stream',
      {
        config: read,
        schema: {
          tags,
          summary:
            '在园人数与告警推送（SSE） / Push stream of occupancy changes and alerts (Server-Sent Events)',
          produces: ['text/event-stream'],
        },
      },
      (request, reply) => {
        const scope = siteScopeOfRequest(request);
        return sendEventStream<
          { items: SiteOccupancy[] },
          { figure: OccupancyFigure; alert: OccupancyAlert }
        >(request, reply, {
          subscribe: (push) => {
            const hub = mqtt?.controlRoom.occupancy;
            const onFigure = (figure: OccupancyFigure) => {
              if (coversSite(scope, figure.siteId)) push({ event: 'figure', data: figure });
            };
            const onAlert = (alert: OccupancyAlert) => {
              if (coversSite(scope, alert.siteId)) push({ event: 'alert', data: alert });
            };
            hub?.on('figure', onFigure);
            hub?.on('alert', onAlert);
            return () => {
              hub?.off('figure', onFigure);
              hub?.off('alert', onAlert);
            };
          },
          snapshot: async () => ({ items: await occupancy.current(undefined, scope) }),
          covered: ({ items }) => figuresCoveredBy(items),
        });
      },
    );
  },
};

/**
 * The snapshot is read from the database while passages keep committing, and each commit announces its figures only
 * after it: a figure announced after the snapshot may be one the snapshot already counts, or an older one. A counter
 * only grows within its day (entries and exits), so entries + exits orders its states; a figure at or below the
 * snapshot's for the same site, zone and day is not sent, so the console never steps back. Alerts are history, not
 * state: always sent.
 */
function figuresCoveredBy(
  items: readonly SiteOccupancy[],
): (change: StreamChange<{ figure: OccupancyFigure; alert: OccupancyAlert }>) => boolean {
  const keyOf = (f: OccupancyFigure) => `${f.siteId}\u0000${f.zoneId ?? ''}\u0000${f.day}`;
  const counted = new Map<string, number>();
  for (const site of items)
    for (const figure of [site.site, ...site.zones])
      counted.set(keyOf(figure), figure.entries + figure.exits);
  return (change) =>
    change.event === 'figure' &&
    change.data.entries + change.data.exits <= (counted.get(keyOf(change.data)) ?? -1);
}
