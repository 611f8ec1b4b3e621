/**
 * Who made a change and from where, for the operation log (platform/audit). Routes build it from the request and
 * pass it to every changing service method, which records the audit entry in the change's own transaction.
 */
import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../../platform/audit/record.js';

export interface ChangeContext {
  readonly actor: AuditActor | null;
  readonly ip: string | null;
}

/**
 * Not yet the signed-in operator: the auth layer's `request.operator` is not available to modules yet, so entries
 * carry the client address and no actor until this reads it — the one place to change.
 */
export function changeContextOf(request: FastifyRequest): ChangeContext {
  return { actor: null, ip: request.ip };
}
