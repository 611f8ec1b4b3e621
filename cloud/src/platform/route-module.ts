import type { FastifyPluginOptions } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/**
 * One domain's HTTP surface, given `Context` by the composition root. Modules use it with the full module context
 * (modules/module.ts); platform routes (sign-in) name only the part they need, so the platform never depends on
 * the modules.
 */
export interface RouteModule<Context extends FastifyPluginOptions> {
  readonly name: string;
  /** URL prefix for all of the module's routes, e.g. `/api/v1/sites`; none for top-level routes. */
  readonly prefix?: string;
  readonly routes: FastifyPluginAsyncZod<Context>;
}
