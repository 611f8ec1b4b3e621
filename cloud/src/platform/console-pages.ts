/**
 * The staff's web console (cloud/console, built by Vite into cloud/console/dist) served at `/`: hashed assets under
 * /assets with a year of caching, and index.html for every other GET that no API route answers (history fallback,
 * so a reload of /window or a bookmarked /control opens the console there). /api, /docs, /healthz and /metrics keep
 * their JSON answers, including their 404s.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyTypeProvider,
  RawServerDefault,
} from 'fastify';

export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));

const NOT_CONSOLE = /^\/(api|docs|healthz|metrics)(\/|$)/;

export interface ConsolePages {
  /** Answers a GET/HEAD that no route matched with index.html; undefined when it is not the console's to answer. */
  readonly fallback: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;
}

/** Registers the console's assets when a build exists; without one, `/` stays a 404 (main.ts says how to build). */
export async function installConsole<L extends FastifyBaseLogger, P extends FastifyTypeProvider>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L, P>,
  dist = CONSOLE_DIST,
): Promise<ConsolePages | undefined> {
  if (!existsSync(join(dist, 'index.html'))) return undefined;
  // The build writes .br and .gz beside each asset (cloud/console/scripts/build.ts); a browser gets the smallest.
  await app.register(fastifyStatic, { root: dist, serve: false, decorateReply: true, preCompressed: true });
  app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) =>
    // File names carry a content hash: a changed file is a new name, so a year of caching is safe.
    reply.sendFile(`assets/${(request.params as { '*': string })['*']}`, { maxAge: '365d', immutable: true }),
  );
  return {
    fallback: (request, reply) => {
      const path = request.url.split('?', 1)[0] ?? '/';
      if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_CONSOLE.test(path)) return undefined;
      if (path.startsWith('/assets/')) return undefined;
      // Always revalidated: a new build must reach every terminal at its next load.
      return reply
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .sendFile('index.html', { cacheControl: false });
    },
  };
}
