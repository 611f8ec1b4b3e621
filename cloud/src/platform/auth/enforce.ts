/**
 * The access gate in front of every route. Each route declares `config: { access }` (platform/permissions.ts);
 * building the app fails if one does not (only the OpenAPI pages under /docs are exempt), so no endpoint can ship
 * open by accident. On each request, before the body is parsed or validated, the operator is authenticated from
 * `Authorization: Bearer <token>` or the session cookie and the permission checked: 401 UNAUTHENTICATED without a
 * live session, 403 FORBIDDEN without the permission. Handlers read the operator from `request.operator`.
 *
 * An operator who must change their password (one an administrator chose, `mustChangePassword`) gets
 * 403 PASSWORD_CHANGE_REQUIRED on every route except those declaring `config: { openDuringPasswordChange: true }`
 * (who am I, change my password, sign out). The flag travels with the cached session, so the check costs nothing.
 *
 * An operator limited to some sites (per-site access, platform/site-scope.ts) gets 403 SITE_FORBIDDEN on the routes
 * declaring `config: { allSites: true }`, after the permission check; every other route filters by the operator's
 * sites in its service.
 *
 * Routes declaring `access: 'channel'` (the partners' API under /api/channel/v1) take no operator at all: the
 * request carries a channel API key (`X-Api-Key` or `Authorization: Bearer`), checked through `partners`
 * (partner.ts): 401 API_KEY_INVALID for a missing, wrong or revoked key, 429 RATE_LIMITED with `Retry-After` once
 * the key's token bucket is empty. Handlers read the partner from `request.partner`.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  FastifyTypeProvider,
  RawServerDefault,
} from 'fastify';
import { AppError } from '../errors.js';
import { PERMISSIONS, type RouteAccess } from '../permissions.js';
import { coversAllSites } from '../site-scope.js';
import { TokenBuckets } from '../token-buckets.js';
import { type Partner, type PartnerKeys, partnerKeyFromHeaders } from './partner.js';
import type { AuthenticatedOperator, AuthService } from './service.js';
import { SESSION_COOKIE, tokenFromRequest } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in operator; set on every route whose access is not `public`. */
    operator: AuthenticatedOperator | null;
    /** The partner whose API key called; set on every route whose access is `channel`. */
    partner: Partner | null;
  }
  interface FastifyContextConfig {
    /** The route serves an operator who must change their password first (only the sign-in routes do). */
    openDuringPasswordChange?: true;
    /**
     * The route changes or shows what all sites share (operators and roles, signing keys, system settings, the
     * whole audit log, a new site): an operator limited to some sites gets 403 SITE_FORBIDDEN (platform/site-scope.ts).
     */
    allSites?: true;
  }
}

export const DOCS_PREFIX = '/docs';

function isDocs(url: string | undefined): boolean {
  return url === DOCS_PREFIX || (url?.startsWith(`${DOCS_PREFIX}/`) ?? false);
}

export function isRouteAccess(value: unknown): value is RouteAccess {
  return (
    value === 'public' ||
    value === 'authenticated' ||
    value === 'channel' ||
    (typeof value === 'string' && value in PERMISSIONS)
  );
}

export class UndeclaredAccessError extends Error {
  override readonly name = 'UndeclaredAccessError';
  constructor(method: string | readonly string[], url: string, access: unknown) {
    super(
      `route ${[method].flat().join(',')} ${url} must declare config.access as 'public', 'authenticated', 'channel' or a permission (got ${JSON.stringify(access)})`,
    );
  }
}

/** How API clients authenticate, for the OpenAPI document (app.ts registers them). */
export const OPENAPI_SECURITY_SCHEMES = {
  bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/v1/auth/login' },
  sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
  channelKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Api-Key',
    description:
      '渠道 API 密钥（也可用 Authorization: Bearer）/ A channel API key (or as Authorization: Bearer)',
  },
} as const;

/** The access line added to each protected route's OpenAPI description. */
function accessNote(access: RouteAccess): string {
  if (access === 'authenticated') return '需要登录 / Requires a signed-in operator.';
  if (access === 'public') return '';
  if (access === 'channel')
    return "需要渠道 API 密钥（X-Api-Key 或 Authorization: Bearer），超出密钥限额时 429 并带 Retry-After / Requires a channel API key (X-Api-Key or Authorization: Bearer); beyond the key's rate 429 with Retry-After.";
  const names = PERMISSIONS[access];
  return `需要权限 / Requires permission \`${access}\` (${names['zh-CN']} / ${names.en}).`;
}

const ALL_SITES_NOTE =
  '限定景区的操作员不可用 / Not for an operator limited to some sites (403 SITE_FORBIDDEN): it concerns every site.';

export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
  /** Reachable by an operator who must change their password. */
  readonly openDuringPasswordChange: boolean;
  /** Refused to an operator limited to some sites. */
  readonly allSites: boolean;
}

const declarations = new WeakMap<object, DeclaredRoute[]>();

/** Every route registered on `app` with its declared access (not the /docs pages), e.g. for the RBAC matrix test. */
export function declaredRoutes(app: object): readonly DeclaredRoute[] {
  return declarations.get(app) ?? [];
}

/**
 * Installs cookies, the rate limiter, `request.operator` and `request.partner`, the start-up declaration check and the
 * per-request gate; `partners` authenticates channel API keys (without it every channel route answers 401).
 */
export async function installAuth<L extends FastifyBaseLogger, P extends FastifyTypeProvider>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L, P>,
  { auth, partners, now = Date.now }: { auth: AuthService; partners?: PartnerKeys; now?: () => number },
): Promise<void> {
  await app.register(fastifyCookie);
  // Only routes that opt in (config.rateLimit) are limited. Sign-in is not one of them: its per-address limit is
  // shared with second approvals, so the auth service keeps it (attempt-limits.ts).
  await app.register(fastifyRateLimit, { global: false });
  app.decorateRequest('operator', null);
  app.decorateRequest('partner', null);
  const buckets = new TokenBuckets(now);
  const declared: DeclaredRoute[] = [];
  declarations.set(app, declared);

  app.addHook('onRoute', (route) => {
    if (isDocs(route.url)) return;
    const access = route.config?.access;
    if (!isRouteAccess(access)) throw new UndeclaredAccessError(route.method, route.url ?? '', access);
    const openDuringPasswordChange = route.config?.openDuringPasswordChange === true;
    const allSites = route.config?.allSites === true;
    for (const method of [route.method].flat())
      declared.push({ method, url: route.url ?? '', access, openDuringPasswordChange, allSites });
    const note = [accessNote(access), allSites ? ALL_SITES_NOTE : ''].filter(Boolean).join(' ');
    if (note && !route.schema?.description?.includes(note)) {
      // A fresh object: Fastify copies a GET route's options into its HEAD route.
      route.schema = {
        ...route.schema,
        description: [route.schema?.description, note].filter(Boolean).join('\n\n'),
        security: access === 'channel' ? [{ channelKey: [] }] : [{ bearerAuth: [] }, { sessionCookie: [] }],
      };
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) {
      // No route matched (the 404/405 handler) or the docs: nothing to protect.
      if (request.is404 || isDocs(request.routeOptions.url)) return;
      throw new AppError('FORBIDDEN');
    }
    if (access === 'public') return;
    if (access === 'channel') {
      const presented = partnerKeyFromHeaders(request.headers);
      const partner = presented && partners ? await partners.authenticate(presented) : undefined;
      if (!partner) throw new AppError('API_KEY_INVALID');
      const verdict = buckets.take(partner.keyId, partner.ratePerMinute);
      if (!verdict.ok) {
        reply.header('retry-after', String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1_000))));
        throw new AppError('RATE_LIMITED');
      }
      request.partner = partner;
      return;
    }
    const operator = await authenticate(auth, request);
    if (!operator) throw new AppError('UNAUTHENTICATED');
    request.operator = operator;
    if (operator.mustChangePassword && request.routeOptions.config.openDuringPasswordChange !== true)
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    if (access !== 'authenticated' && !operator.permissions.has(access)) throw new AppError('FORBIDDEN');
    if (request.routeOptions.config.allSites === true && !coversAllSites(operator.sites))
      throw new AppError('SITE_FORBIDDEN');
  });
}

function authenticate(auth: AuthService, request: FastifyRequest) {
  const token = tokenFromRequest(request.headers, request.cookies);
  return token ? auth.authenticate(token) : Promise.resolve(undefined);
}

/** The operator of a request on a non-public route (the gate guarantees one). */
export function operatorOf(request: FastifyRequest): AuthenticatedOperator {
  if (!request.operator) throw new AppError('UNAUTHENTICATED');
  return request.operator;
}
