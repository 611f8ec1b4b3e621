/**
 * /api/v1/holidays (节假日日历): the breaks and make-up working days year-on-year comparisons match days by, and the
 * comparison bases of a range. Reading needs holidays.read (an operator limited to some sites reads the calendar
 * too: it is nobody's data); changing it needs holidays.manage and an operator who reaches every site, since the
 * calendar is shared by all of them.
 */
import { z } from 'zod';
import { changeContextOf } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import {
  basesQuerySchema,
  basesSchema,
  holidayInputSchema,
  holidayListQuerySchema,
  holidayListSchema,
  holidayParamsSchema,
  holidayPatchSchema,
  holidaySchema,
} from './schemas.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const read = { access: 'holidays.read' } as const;
const manage = { access: 'holidays.manage', allSites: true } as const;

export const holidaysModule: AppModule = {
  name: 'holidays',
  prefix: '/api/v1/holidays',
  routes: async (app, { services: { holidays } }) => {
    const tags = ['holidays'];

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary: '节假日与调休上班日（按首日排序）/ Holiday breaks and make-up working days, by first day',
          querystring: holidayListQuerySchema,
          response: { 200: holidayListSchema, ...errors },
        },
      },
      async (request) => ({ holidays: await holidays.list(request.query.year) }),
    );
    app.get(
      '/bases',
      {
        config: read,
        schema: {
          tags,
          summary:
            '同比、环比基准：每天对应的上年基准日及环比基准期 / Comparison bases: each day’s base day a year back, ' +
            'and the periods a period-over-period comparison uses',
          querystring: basesQuerySchema,
          response: { 200: basesSchema, ...errors },
        },
      },
      async (request) => holidays.bases(request.query),
    );
    app.post(
      '/',
      {
        config: manage,
        schema: {
          tags,
          summary: '新增节假日或调休上班日 / Add a holiday break or a make-up working day',
          body: holidayInputSchema,
          response: { 201: holidaySchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await holidays.create(request.body, changeContextOf(request))),
    );
    app.patch(
      '/:holidayId',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '修改节假日（如按国务院通知核对日期）/ Change a holiday, e.g. to the State Council’s dates',
          params: holidayParamsSchema,
          body: holidayPatchSchema,
          response: { 200: holidaySchema, ...errors },
        },
      },
      async (request) => holidays.update(request.params.holidayId, request.body, changeContextOf(request)),
    );
    app.delete(
      '/:holidayId',
      {
        config: manage,
        schema: {
          tags,
          summary: '删除节假日 / Delete a holiday',
          params: holidayParamsSchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await holidays.remove(request.params.holidayId, changeContextOf(request));
        return reply.code(204).send(null);
      },
    );
  },
};
