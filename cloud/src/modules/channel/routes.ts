/**
 * /api/channel/v1 (access `channel`: a partner's API key, platform/auth/partner.ts): the partners' API. Every read
 * and change is limited to the key's sites, passed to the services as the scope. The booking routes (hold, confirm,
 * cancel, get, redemption, list) are in bookings.ts, over the group-orders service.
 */
import { partnerOf } from '../../platform/auth/partner.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { registerBookingRoutes } from './bookings.js';
import { CHANNEL_TAG } from './octo.js';
import {
  channelAvailabilityOf,
  channelAvailabilityQuerySchema,
  channelAvailabilitySchema,
} from './schemas.js';

export const CHANNEL_PREFIX = '/api/channel/v1';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  404: errorResponseSchema,
  429: errorResponseSchema,
};

export const channelModule: AppModule = {
  name: 'channel',
  prefix: CHANNEL_PREFIX,
  routes: async (app, { services: { capacity, groupOrders } }) => {
    registerBookingRoutes(app, groupOrders);
    app.get(
      '/availability',
      {
        config: { access: 'channel' },
        schema: {
          tags: [CHANNEL_TAG],
          summary: '某日余量（全天与各时段）/ Places left on a date, for the day and each time slot',
          description:
            '仅限密钥所属景区；其他景区 404 / Only the key’s sites; another site answers 404 NOT_FOUND.',
          querystring: channelAvailabilityQuerySchema,
          response: { 200: channelAvailabilitySchema, ...errors },
        },
      },
      async (request) =>
        channelAvailabilityOf(
          await capacity.availability(request.query.siteId, request.query.date, partnerOf(request).sites),
        ),
    );
  },
};
