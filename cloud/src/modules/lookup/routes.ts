/** GET /api/v1/lookup (票效查询, lookup.read): one of `code` (scanned QR text or barcode), `cardUid`, `idNumber`. */
import { AuthService } from '../../platform/auth/service.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { CapacityService } from '../capacity/service.js';
import type { AppModule } from '../module.js';
import { RefundsService } from '../refunds/service.js';
import { SalesService } from '../sales/service.js';
import { SupplementsService } from '../supplements/service.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { credentialSecrets } from '../tickets/secrets.js';
import { TicketsService } from '../tickets/service.js';
import { SigningKeys } from '../tickets/signing-keys.js';
import { VenuesService } from '../venues/service.js';
import { lookupQuerySchema, lookupResultSchema } from './schemas.js';
import { LookupService } from './service.js';

export const lookupModule: AppModule = {
  name: 'lookup',
  prefix: '/api/v1/lookup',
  routes: async (app, { config, database }) => {
    const db = database.db;
    const venues = new VenuesService(db);
    const ticketTypes = new TicketTypesService(db, venues);
    const capacity = new CapacityService(db, venues);
    const tickets = new TicketsService(db);
    const secrets = () => credentialSecrets(config.credentials);
    const keys = new SigningKeys(db, secrets);
    const sales = new SalesService(db, { venues, ticketTypes, capacity, tickets, keys, secrets });
    const lookup = new LookupService(db, {
      tickets,
      ticketTypes,
      venues,
      sales,
      refunds: new RefundsService(db, {
        sales,
        tickets,
        ticketTypes,
        capacity,
        venues,
        auth: new AuthService(db, config.auth),
      }),
      supplements: new SupplementsService(db, { venues, ticketTypes, capacity, tickets, keys }),
      keys,
      secrets,
    });

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
      async (request) => lookup.lookup(request.query),
    );
  },
};
