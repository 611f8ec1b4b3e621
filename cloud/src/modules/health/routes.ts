import { z } from 'zod';
import packageJson from '../../../package.json' with { type: 'json' };
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';

const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string(),
  time: z.number().int().describe('Server clock, epoch milliseconds'),
});

export const healthModule: AppModule = {
  name: 'health',
  routes: async (app, { services: { health } }) => {
    app.get(
      '/healthz',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Liveness and database round-trip / 存活与数据库连通检查',
          response: { 200: healthSchema, 503: errorResponseSchema },
        },
      },
      async () => {
        await health.ping();
        return {
          status: 'ok' as const,
          database: health.dialect,
          version: packageJson.version,
          time: Date.now(),
        };
      },
    );
  },
};
