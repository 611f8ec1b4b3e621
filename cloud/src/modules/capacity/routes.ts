/**
 * /api/v1/capacity: timed-entry slots (分时段) and availability per date. Reading needs capacity.read, defining
 * slots capacity.manage. The daily cap itself is the site's dailyCapacity (venues API); `/calendar` gives a month
 * view (every date of a range with its figures) in two queries.
 */
import { z } from 'zod';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import {
  availabilityQuerySchema,
  availabilitySchema,
  calendarQuerySchema,
  calendarSchema,
  createSlotsSchema,
  slotParamsSchema,
  slotSchema,
  updateSlotSchema,
} from './schemas.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };

export const capacityModule: AppModule = {
  name: 'capacity',
  prefix: '/api/v1/capacity',
  routes: async (app, { services: { capacity } }) => {
    const tags = ['capacity'];

    app.get(
      '/availability',
      {
        config: { access: 'capacity.read' },
        schema: {
          tags,
          summary: '某日余量（全天与各时段）/ Capacity left on a date, for the day and each slot',
          querystring: availabilityQuerySchema,
          response: { 200: availabilitySchema, ...errors },
        },
      },
      async (request) =>
        capacity.availability(request.query.siteId, request.query.date, siteScopeOfRequest(request)),
    );
    app.get(
      '/calendar',
      {
        config: { access: 'capacity.read' },
        schema: {
          tags,
          summary:
            '限量日历：区间内每日上限、已售、余量与时段汇总（最多 62 天）/ Capacity calendar: each date’s cap, ' +
            'sold, left and slots in total (at most 62 days)',
          querystring: calendarQuerySchema,
          response: { 200: calendarSchema, ...errors },
        },
      },
      async (request) =>
        capacity.calendar(
          request.query.siteId,
          request.query.from,
          request.query.to,
          siteScopeOfRequest(request),
        ),
    );
    app.post(
      '/slots',
      {
        config: { access: 'capacity.manage' },
        schema: {
          tags,
          summary: '定义某日的分时段 / Define timed-entry slots for a day',
          body: createSlotsSchema,
          response: { 201: z.array(slotSchema), ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await capacity.createSlots(request.body, changeContextOf(request))),
    );
    app.get(
      '/slots/:slotId',
      {
        config: { access: 'capacity.read' },
        schema: {
          tags,
          summary: '时段详情 / Get a slot',
          params: slotParamsSchema,
          response: { 200: slotSchema, ...errors },
        },
      },
      async (request) => capacity.getSlot(request.params.slotId, siteScopeOfRequest(request)),
    );
    app.patch(
      '/slots/:slotId',
      {
        config: { access: 'capacity.manage' },
        schema: {
          tags,
          summary: '修改时段限量（不低于已售）/ Change a slot cap (never below what is sold)',
          params: slotParamsSchema,
          body: updateSlotSchema,
          response: { 200: slotSchema, ...errors },
        },
      },
      async (request) =>
        capacity.updateSlotCap(request.params.slotId, request.body.cap, changeContextOf(request)),
    );
  },
};
