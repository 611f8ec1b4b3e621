import { z } from 'zod';
import packageJson from '../../../package.json' with { type: 'json' };
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';

const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string(),
  leader: z
    .boolean()
    .describe(
      '本实例是否运行定时任务（多实例时只有一个）/ Whether this instance runs the periodic jobs (one of several)',
    ),
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
          leader: health.leader,
          time: Date.now(),
        };
      },
    );
  },
};
