/** GET /api/v1/lookup (票效查询, lookup.read): one of `code` (scanned QR text or barcode), `cardUid`, `idNumber`. */
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { lookupQuerySchema, lookupResultSchema } from './schemas.js';

export const lookupModule: AppModule = {
  name: 'lookup',
  prefix: '/api/v1/lookup',
  routes: async (app, { services: { lookup } }) => {
    app.get(
      '/',
      {
        config: { access: 'lookup.read' },
        schema: {
          tags: ['lookup'],
          summary:
            '票效查询：二维码（验签）、条码（校验位）、IC 卡或身份证 → 票的状态、能否通行与全部记录 / Validity ' +
            'lookup by QR (signature checked), barcode (check digit), IC card or ID number',
          querystring: lookupQuerySchema,
          response: { 200: lookupResultSchema, 400: errorResponseSchema, 404: errorResponseSchema },
        },
      },
      async (request) => lookup.lookup(request.query, siteScopeOfRequest(request)),
    );
  },
};
