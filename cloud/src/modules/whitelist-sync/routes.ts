/** /api/v1/sites/:siteId/whitelist/lag — how far each gate's whitelist is behind the site's feed (gates.read). */

import { z } from 'zod';
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { venueIdSchema } from '../venues/schemas.js';
import { whitelistLagSchema } from './lag.js';

export const whitelistSyncModule: AppModule = {
  name: 'whitelist-sync',
  prefix: '/api/v1/sites',
  routes: async (app, { services: { whitelist } }) => {
    app.get(
      '/:siteId/whitelist/lag',
      {
        config: { access: 'gates.read' },
        schema: {
          tags: ['gates'],
          summary: '各闸机白名单同步滞后 / How far each gate’s whitelist is behind the site',
          params: z.object({ siteId: venueIdSchema }),
          response: { 200: whitelistLagSchema, 404: errorResponseSchema },
        },
      },
      async (request) => {
        return whitelist.lag(request.params.siteId, siteScopeOfRequest(request));
      },
    );
  },
};
