/**
 * The money-moving create routes (a sale, a refund, a supplement) as one shape: the request carries an
 * Idempotency-Key, unique per cashier (db/idempotency.ts stores it with a hash of the request); the answer is 201
 * for what this request created, 200 with `Idempotent-Replayed: true` when the key had already answered (the body is
 * the earlier answer, so a client retrying after a lost response cannot tell the difference except by the header),
 * and 409 IDEMPOTENCY_KEY_REUSED when the key answered a different request.
 */
import type { FastifyReply, FastifyRequest, FastifySerializerCompiler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type ZodType, z } from 'zod';
import { operatorOf } from './auth/enforce.js';
import { actorOf } from './auth/service.js';
import type { Permission } from './permissions.js';

export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/)
    .describe('幂等键：同一键重复提交返回同一笔销售 / Replaying a key returns the same sale'),
});

/** The signed-in operator who takes the money; the key is unique per cashier. */
export interface Cashier {
  readonly id: string;
  readonly username: string;
}

/** What a create route hands its service: the validated body, the key and who asks. */
export interface IdempotentCommand<Input> {
  readonly input: Input;
  readonly idempotencyKey: string;
  readonly cashier: Cashier;
}

/** A create service's answer: the created (or, on a replay, the earlier) thing. */
export interface IdempotentResult<T> {
  readonly value: T;
  /** True when the idempotency key had already answered. */
  readonly replayed: boolean;
}

export function sendIdempotent<T>(reply: FastifyReply, replayed: boolean, body: T): FastifyReply {
  if (replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return reply.code(replayed ? 200 : 201).send(body);
}

type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

export interface IdempotentCreateRoute<Body extends ZodType, Answer extends ZodType> {
  readonly access: Permission;
  readonly tags: string[];
  readonly summary: string;
  readonly body: Body;
  /** The answer's schema, for 201 and for the 200 replay. */
  readonly answer: Answer;
  /** The refusals the route documents (400, 409 for a reused key, …). */
  readonly errors: Record<number, ZodType>;
  /** Writes the success answers; the default is the zod serializer (the sale answer has a faster one). */
  readonly serializerCompiler?: FastifySerializerCompiler<unknown>;
  /** Runs the service; `request` is there for what else the service needs of it (change context, client). */
  readonly create: (
    command: IdempotentCommand<z.output<Body>>,
    request: FastifyRequest,
  ) => Promise<IdempotentResult<z.output<Answer>>>;
}

/** Registers `POST /` of the module as an idempotent create. */
export function idempotentCreateRoute<Body extends ZodType, Answer extends ZodType>(
  app: ZodApp,
  route: IdempotentCreateRoute<Body, Answer>,
): void {
  app.post(
    '/',
    {
      config: { access: route.access },
      ...(route.serializerCompiler && { serializerCompiler: route.serializerCompiler }),
      schema: {
        tags: route.tags,
        summary: route.summary,
        headers: idempotencyHeadersSchema,
        body: route.body,
        // Widened: the answer's type is the service's, checked where `create` is declared.
        response: { 200: route.answer, 201: route.answer, ...route.errors } as Record<number, ZodType>,
      },
    },
    async (request, reply) => {
      const { value, replayed } = await route.create(
        {
          input: request.body as z.output<Body>,
          idempotencyKey: request.headers['idempotency-key'],
          cashier: actorOf(operatorOf(request)),
        },
        request,
      );
      return sendIdempotent(reply, replayed, value);
    },
  );
}
