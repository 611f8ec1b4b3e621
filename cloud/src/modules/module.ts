import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { CloudMqtt, CloudServices } from './services.js';

/**
 * What every route module is given by the composition root (container.ts): the config and the services, each built
 * once per process. Routes call services; they never build one nor touch the database.
 */
export interface ModuleContext {
  readonly config: Config;
  readonly services: CloudServices;
  /** The cloud's MQTT side (bus, live gate status); absent when the app runs without it, e.g. in route tests. */
  readonly mqtt?: CloudMqtt;
}

/** One domain's HTTP surface: `modules/<domain>/routes.ts` exports one of these. */
export interface AppModule {
  readonly name: string;
  /** URL prefix for all of the module's routes, e.g. `/api/v1/sites`; none for top-level routes. */
  readonly prefix?: string;
  readonly routes: FastifyPluginAsyncZod<ModuleContext>;
}
