/**
 * Where a request came from, as the auth layer records it: sessions keep the user agent, and sign-in and
 * second-approval failures are counted and logged with the address. One builder, so every route records the same.
 */
import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from './service.js';

export function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}
