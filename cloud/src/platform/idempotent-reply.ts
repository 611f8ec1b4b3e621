/**
 * The reply of an Idempotency-Key POST: 201 for what this request created, 200 with `Idempotent-Replayed: true`
 * when the key had already answered (the body is the earlier answer, so a client retrying after a lost response
 * cannot tell the difference except by the header).
 */
import type { FastifyReply } from 'fastify';

export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

export function sendIdempotent<T>(reply: FastifyReply, replayed: boolean, body: T): FastifyReply {
  if (replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return reply.code(replayed ? 200 : 201).send(body);
}
