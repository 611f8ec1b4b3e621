import type { Config } from '../config.js';
import type { RouteModule } from '../platform/route-module.js';
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
export type AppModule = RouteModule<ModuleContext>;
