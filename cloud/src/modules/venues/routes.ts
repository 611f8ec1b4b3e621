/**
 * /api/v1/sites and everything under a site: zones, ticket windows, the gate registry. Thin: validate, call the
 * service, shape the reply. Reading needs venues.read, changing venues.manage.
 */
import { z } from 'zod';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { AGE_POLICY_PRESETS, agePolicySchema } from './age-policy.js';
import {
  createGateSchema,
  createSiteSchema,
  createWindowSchema,
  createZoneSchema,
  gatePageSchema,
  gateSchema,
  pageQuerySchema,
  sitePageSchema,
  siteSchema,
  updateGateSchema,
  updateSiteSchema,
  updateWindowSchema,
  updateZoneSchema,
  venueIdSchema,
  windowPageSchema,
  windowSchema,
  zonePageSchema,
  zoneSchema,
} from './schemas.js';

const siteParams = z.object({ siteId: venueIdSchema });
const zoneParams = z.object({ siteId: venueIdSchema, zoneId: venueIdSchema });
const windowParams = z.object({ siteId: venueIdSchema, windowId: venueIdSchema });
const gateParams = z.object({ siteId: venueIdSchema, gateId: venueIdSchema });

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const read = { access: 'venues.read' } as const;
const manage = { access: 'venues.manage' } as const;

const presetSchema = z.object({
  id: z.string(),
  name: z.object({ 'zh-CN': z.string(), en: z.string() }),
  rules: agePolicySchema,
});

export const venuesModule: AppModule = {
  name: 'venues',
  prefix: '/api/v1',
  routes: async (app, { services: { venues } }) => {
    const tags = ['venues'];

    app.get(
      '/age-policy-presets',
      {
        config: read,
        schema: {
          tags,
          summary: '年龄优惠政策模板 / Age discount policy presets to copy into a site',
          response: { 200: z.array(presetSchema) },
        },
      },
      async () => [...AGE_POLICY_PRESETS],
    );

    app.get(
      '/sites',
      {
        config: read,
        schema: {
          tags,
          summary: '景区列表（按编号分页）/ List sites, paged by id',
          querystring: pageQuerySchema,
          response: { 200: sitePageSchema, ...errors },
        },
      },
      async (request) => {
        const page = await venues.listSites(request.query, siteScopeOfRequest(request));
        return { sites: page.items, next: page.next };
      },
    );
    app.post(
      '/sites',
      {
        // A new site is outside any limited operator's sites.
        config: { ...manage, allSites: true },
        schema: {
          tags,
          summary: '新建景区 / Create a site',
          body: createSiteSchema,
          response: { 201: siteSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await venues.createSite(request.body, changeContextOf(request))),
    );
    app.get(
      '/sites/:siteId',
      {
        config: read,
        schema: {
          tags,
          summary: '景区详情 / Get a site',
          params: siteParams,
          response: { 200: siteSchema, ...errors },
        },
      },
      async (request) => venues.getSite(request.params.siteId, undefined, siteScopeOfRequest(request)),
    );
    app.patch(
      '/sites/:siteId',
      {
        config: manage,
        schema: {
          tags,
          summary: '修改景区 / Update a site',
          params: siteParams,
          body: updateSiteSchema,
          response: { 200: siteSchema, ...errors },
        },
      },
      async (request) => venues.updateSite(request.params.siteId, request.body, changeContextOf(request)),
    );
    app.delete(
      '/sites/:siteId',
      {
        config: manage,
        schema: {
          tags,
          summary: '删除景区（无区域、窗口、闸机、票种时）/ Delete a site that nothing references',
          params: siteParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await venues.deleteSite(request.params.siteId, changeContextOf(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/sites/:siteId/zones',
      {
        config: read,
        schema: {
          tags,
          summary: '区域列表（按编号分页）/ List zones, paged by id',
          params: siteParams,
          querystring: pageQuerySchema,
          response: { 200: zonePageSchema, ...errors },
        },
      },
      async (request) => {
        const page = await venues.listZones(
          request.params.siteId,
          request.query,
          siteScopeOfRequest(request),
        );
        return { zones: page.items, next: page.next };
      },
    );
    app.post(
      '/sites/:siteId/zones',
      {
        config: manage,
        schema: {
          tags,
          summary: '新建区域 / Create a zone',
          params: siteParams,
          body: createZoneSchema,
          response: { 201: zoneSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await venues.createZone(request.params.siteId, request.body, changeContextOf(request))),
    );
    app.get(
      '/sites/:siteId/zones/:zoneId',
      {
        config: read,
        schema: {
          tags,
          summary: '区域详情 / Get a zone',
          params: zoneParams,
          response: { 200: zoneSchema, ...errors },
        },
      },
      async (request) =>
        venues.getZone(request.params.siteId, request.params.zoneId, undefined, siteScopeOfRequest(request)),
    );
    app.patch(
      '/sites/:siteId/zones/:zoneId',
      {
        config: manage,
        schema: {
          tags,
          summary: '修改区域 / Update a zone',
          params: zoneParams,
          body: updateZoneSchema,
          response: { 200: zoneSchema, ...errors },
        },
      },
      async (request) =>
        venues.updateZone(
          request.params.siteId,
          request.params.zoneId,
          request.body,
          changeContextOf(request),
        ),
    );
    app.delete(
      '/sites/:siteId/zones/:zoneId',
      {
        config: manage,
        schema: {
          tags,
          summary: '删除区域（无闸机时）/ Delete a zone without gates',
          params: zoneParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await venues.deleteZone(request.params.siteId, request.params.zoneId, changeContextOf(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/sites/:siteId/windows',
      {
        config: read,
        schema: {
          tags,
          summary: '售票窗口列表 / List ticket windows',
          params: siteParams,
          querystring: pageQuerySchema,
          response: { 200: windowPageSchema, ...errors },
        },
      },
      async (request) => {
        const page = await venues.listWindows(
          request.params.siteId,
          request.query,
          siteScopeOfRequest(request),
        );
        return { windows: page.items, next: page.next };
      },
    );
    app.post(
      '/sites/:siteId/windows',
      {
        config: manage,
        schema: {
          tags,
          summary: '新建售票窗口 / Create a ticket window',
          params: siteParams,
          body: createWindowSchema,
          response: { 201: windowSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await venues.createWindow(request.params.siteId, request.body, changeContextOf(request))),
    );
    app.get(
      '/sites/:siteId/windows/:windowId',
      {
        config: read,
        schema: {
          tags,
          summary: '售票窗口详情 / Get a ticket window',
          params: windowParams,
          response: { 200: windowSchema, ...errors },
        },
      },
      async (request) =>
        venues.getWindow(
          request.params.siteId,
          request.params.windowId,
          undefined,
          siteScopeOfRequest(request),
        ),
    );
    app.patch(
      '/sites/:siteId/windows/:windowId',
      {
        config: manage,
        schema: {
          tags,
          summary: '修改售票窗口 / Update a ticket window',
          params: windowParams,
          body: updateWindowSchema,
          response: { 200: windowSchema, ...errors },
        },
      },
      async (request) =>
        venues.updateWindow(
          request.params.siteId,
          request.params.windowId,
          request.body,
          changeContextOf(request),
        ),
    );
    app.delete(
      '/sites/:siteId/windows/:windowId',
      {
        config: manage,
        schema: {
          tags,
          summary: '删除售票窗口（无销售记录时）/ Delete a ticket window nothing references',
          params: windowParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await venues.deleteWindow(request.params.siteId, request.params.windowId, changeContextOf(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/sites/:siteId/gates',
      {
        config: read,
        schema: {
          tags,
          summary: '闸机登记列表 / List registered gates',
          params: siteParams,
          querystring: pageQuerySchema,
          response: { 200: gatePageSchema, ...errors },
        },
      },
      async (request) => {
        const page = await venues.listGates(
          request.params.siteId,
          request.query,
          siteScopeOfRequest(request),
        );
        return { gates: page.items, next: page.next };
      },
    );
    app.post(
      '/sites/:siteId/gates',
      {
        config: manage,
        schema: {
          tags,
          summary: '登记闸机 / Register a gate',
          params: siteParams,
          body: createGateSchema,
          response: { 201: gateSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await venues.createGate(request.params.siteId, request.body, changeContextOf(request))),
    );
    app.get(
      '/sites/:siteId/gates/:gateId',
      {
        config: read,
        schema: {
          tags,
          summary: '闸机详情 / Get a gate',
          params: gateParams,
          response: { 200: gateSchema, ...errors },
        },
      },
      async (request) =>
        venues.getGate(request.params.siteId, request.params.gateId, undefined, siteScopeOfRequest(request)),
    );
    app.patch(
      '/sites/:siteId/gates/:gateId',
      {
        config: manage,
        schema: {
          tags,
          summary: '修改闸机登记 / Update a gate registration',
          params: gateParams,
          body: updateGateSchema,
          response: { 200: gateSchema, ...errors },
        },
      },
      async (request) =>
        venues.updateGate(
          request.params.siteId,
          request.params.gateId,
          request.body,
          changeContextOf(request),
        ),
    );
    app.delete(
      '/sites/:siteId/gates/:gateId',
      {
        config: manage,
        schema: {
          tags,
          summary: '删除闸机登记 / Delete a gate registration',
          params: gateParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await venues.deleteGate(request.params.siteId, request.params.gateId, changeContextOf(request));
        return reply.code(204).send(null);
      },
    );
  },
};
