/**
 * Assembles the HTTP API: zod schemas validate requests, serialise responses and generate the OpenAPI document at
 * /docs; every error leaves through the catalogue (platform/errors.ts); route modules come from modules/index.ts.
 * Building does not listen, so tests drive the app with `app.inject`.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import packageJson from '../package.json' with { type: 'json' };
import type { Container } from './container.js';
import { CHANNEL_TAG, CHANNEL_TAG_DESCRIPTION } from './modules/channel/octo.js';
import { modules } from './modules/index.js';
import { installAuth, OPENAPI_SECURITY_SCHEMES } from './platform/auth/enforce.js';
import { type ConsolePages, installConsole } from './platform/console-pages.js';
import { handleFrameworkError, installErrorHandling, validatorCompiler } from './platform/http-errors.js';
import { installBodyPolicy } from './platform/input-policy.js';

/** The HTTP API over the container's services (container.ts builds them, once). */
export interface AppOptions {
  /** The console build to serve at `/` (default: cloud/console/dist when built); false serves no console. */
  readonly console?: string | false;
}

export async function buildApp({ config, logger, services, mqtt }: Container, options: AppOptions = {}) {
  const app = Fastify({
    loggerInstance: logger,
    frameworkErrors: handleFrameworkError,
    trustProxy: trustProxyOption(config.http.trustProxy),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The console registers after the API (below); the not-found handler asks it at request time.
  let consolePages: ConsolePages | undefined;
  installErrorHandling(app, () => consolePages?.fallback);
  installBodyPolicy(app);
  // Before any route: every route after this must declare its access, and each request is checked against it.
  await installAuth(app, { auth: services.auth, partners: services.channelKeys });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Scenic Gate Cloud API',
        description: '景区票务与闸机管理云端接口 / Ticketing and gate access control cloud API',
        version: packageJson.version,
      },
      components: { securitySchemes: OPENAPI_SECURITY_SCHEMES },
      tags: [{ name: CHANNEL_TAG, description: CHANNEL_TAG_DESCRIPTION }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  for (const module of modules) {
    await app.register(module.routes, { prefix: module.prefix ?? '', config, services, mqtt });
  }
  if (options.console !== false) consolePages = await installConsole(app, options.console);
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/**
 * Fastify's option from the config: the trusted proxy addresses, or for a hop count a function trusting that many
 * hops nearest the server (what Fastify does with a number, which its types do not accept); never `true`.
 */
function trustProxyOption(
  trust: Container['config']['http']['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust === false ? false : [...trust];
}
