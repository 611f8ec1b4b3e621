/**
 * Who made a change and from where, for the operation log (platform/audit). Routes build it from the request and
 * pass it to every changing service method, which records the audit entry in the change's own transaction.
 */
import type { FastifyRequest } from 'fastify';
import type { AuditActor } from './audit/record.js';
import { actorOf } from './auth/service.js';
import { ALL_SITES, type SiteScope } from './site-scope.js';

export interface ChangeContext {
  readonly actor: AuditActor | null;
  readonly ip: string | null;
  /**
   * The sites the change may touch (platform/site-scope.ts): the operator's; every site when left out (changes the
   * system makes on its own, the admin CLI).
   */
  readonly sites?: SiteScope;
}

/** The signed-in operator (set by the auth layer on every non-public route) and the client address. */
export function changeContextOf(request: FastifyRequest): ChangeContext {
  const operator = request.operator;
  return { actor: operator ? actorOf(operator) : null, ip: request.ip, sites: operator?.sites ?? ALL_SITES };
}

/** The sites the request's operator may see (every site on a public route, which serves no site's data). */
export function siteScopeOfRequest(request: FastifyRequest): SiteScope {
  return request.operator?.sites ?? ALL_SITES;
}
