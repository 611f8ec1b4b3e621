/**
 * GET /metrics — Prometheus text exposition: MQTT messages by direction, channel and result, gates known and online
 * per site, events ingested, admits and denials by reason, scans per second, commands and their ack latency, and
 * in-park occupancy per site and zone. Scrapers present `Authorization: Bearer $METRICS_TOKEN`; the route is outside
 * operator sign-in (access `public`) and checks that token itself. Without METRICS_TOKEN it refuses every request
 * (403 METRICS_DISABLED): the figures show traffic and crowd levels and must not be readable by anyone on the LAN.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerCredentials } from '../../platform/auth/tokens.js';
import { AppError } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import type { OccupancyService } from '../occupancy/service.js';
import { label } from './control-room-metrics.js';

export const metricsModule: AppModule = {
  name: 'metrics',
  routes: async (app, { config, services: { occupancy }, mqtt }) => {
    const token = config.metrics.token;

    app.get(
      '/metrics',
      {
        config: { access: 'public' },
        schema: {
          tags: ['operations'],
          summary: 'Prometheus 监控指标 / Prometheus metrics (Bearer METRICS_TOKEN)',
        },
      },
      async (request, reply) => {
        if (token === undefined) throw new AppError('METRICS_DISABLED');
        if (!sameToken(bearerCredentials(request.headers.authorization), token))
          throw new AppError('UNAUTHENTICATED');
        const parts: string[] = [];
        if (mqtt) {
          parts.push(
            mqtt.metrics.prometheus(),
            gateGauges(mqtt.gateStatus.all()),
            mqtt.controlRoom.metrics.prometheus(),
          );
        }
        parts.push(occupancyGauges(await occupancy.current()));
        return reply.type('text/plain; version=0.0.4; charset=utf-8').send(parts.join(''));
      },
    );
  },
};

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function sameToken(given: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

function gateGauges(statuses: readonly { siteId: string; online: boolean }[]): string {
  const bySite = new Map<string, { known: number; online: number }>();
  for (const status of statuses) {
    const entry = bySite.get(status.siteId) ?? { known: 0, online: 0 };
    entry.known++;
    if (status.online) entry.online++;
    bySite.set(status.siteId, entry);
  }
  const lines = [
    '# HELP sg_gates_online Gates whose retained state says online, per site.',
    '# TYPE sg_gates_online gauge',
    ...[...bySite].map(([site, c]) => `sg_gates_online{site="${label(site)}"} ${c.online}`),
    '# HELP sg_gates_reporting Gates that have ever reported over MQTT, per site.',
    '# TYPE sg_gates_reporting gauge',
    ...[...bySite].map(([site, c]) => `sg_gates_reporting{site="${label(site)}"} ${c.known}`),
  ];
  return `${lines.join('\n')}\n`;
}

function occupancyGauges(sites: Awaited<ReturnType<OccupancyService['current']>>): string {
  const figures = sites.flatMap((s) => [s.site, ...s.zones]);
  const labels = (f: { siteId: string; zoneId: string | null }) =>
    `site="${label(f.siteId)}",zone="${label(f.zoneId ?? '')}"`;
  const lines = [
    '# HELP sg_occupancy_inside Persons inside today (zone="" is the whole site).',
    '# TYPE sg_occupancy_inside gauge',
    ...figures.map((f) => `sg_occupancy_inside{${labels(f)}} ${f.inside}`),
    '# HELP sg_occupancy_alert_level Current capacity alert level (0, 80, 90, 95).',
    '# TYPE sg_occupancy_alert_level gauge',
    ...figures.map((f) => `sg_occupancy_alert_level{${labels(f)}} ${f.level}`),
  ];
  return `${lines.join('\n')}\n`;
}
