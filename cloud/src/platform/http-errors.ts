/**
 * Where HTTP meets the error catalogue: request validation produces VALIDATION_FAILED with bilingual field
 * messages, and every error — ours, Fastify's, a plugin's, a database outage, a bug — leaves as one catalogue
 * entry in the client's language. Internals (stack, SQL, driver messages) only ever go to the log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaCompiler,
  FastifyTypeProvider,
  RawServerDefault,
} from 'fastify';
import type { z } from 'zod';
import { isDatabaseUnavailable } from '../db/errors.js';
import { AppError, isAppError } from './errors.js';
import { requireClosedBody } from './input-policy.js';
import { type Localized, negotiateLanguage } from './language.js';
import {
  invalidInput,
  nulCharacterIssue,
  parseLocalized,
  REQUEST_PART_NAMES,
  type RequestPart,
} from './validation.js';

/**
 * Fastify validator compiler for zod schemas; a failure becomes VALIDATION_FAILED with per-field details. A body
 * schema that would let unknown fields through stops the app from starting (input-policy.ts).
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart, method, url }) => {
  if (httpPart === 'body') requireClosedBody(schema, `${method} ${url}`);
  return (data) => {
    const part = requestPartOf(httpPart);
    const nul = nulCharacterIssue(data);
    if (nul) return { error: invalidInput(part, [nul]) };
    const result = parseLocalized(schema, data);
    if (result.success) return { value: result.data };
    return { error: invalidInput(part, result.issues) };
  };
};

function requestPartOf(httpPart: string | undefined): RequestPart {
  return httpPart !== undefined && httpPart in REQUEST_PART_NAMES ? (httpPart as RequestPart) : 'body';
}

const BAD_URL: Localized = {
  'zh-CN': '网址含有无效的百分号编码',
  en: 'the URL has an invalid percent-encoding',
};
const PARAM_TOO_LONG: Localized = { 'zh-CN': '路径参数过长', en: 'a path parameter is too long' };

/** Maps anything thrown while handling `request` to a catalogue error. */
export function toAppError(error: unknown, request: FastifyRequest): AppError {
  if (isAppError(error)) return error;
  const { code, statusCode, message } = error as Partial<FastifyError>;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return new AppError('BAD_JSON');
  if (code === 'FST_ERR_BAD_URL') return new AppError('BAD_REQUEST', { reason: BAD_URL });
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return new AppError('BAD_REQUEST', { reason: PARAM_TOO_LONG });
  if (isDatabaseUnavailable(error)) return new AppError('DATABASE_UNAVAILABLE', undefined, { cause: error });
  // Fastify's own errors and plugins' (rate limit, auth, static files) are known by their status.
  switch (statusCode) {
    case 401:
      return new AppError('UNAUTHENTICATED');
    case 403:
      return new AppError('FORBIDDEN');
    case 404:
      return routeNotFound(request);
    case 409:
      return new AppError('CONFLICT', { reason: message ?? '' });
    case 413:
      return new AppError('PAYLOAD_TOO_LARGE', { limit: request.routeOptions.bodyLimit });
    case 415:
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { contentType: request.headers['content-type'] ?? '' });
    case 429:
      return new AppError('RATE_LIMITED');
  }
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return new AppError('BAD_REQUEST', { reason: message ?? String(statusCode) });
  }
  return new AppError('INTERNAL', undefined, { details: { requestId: request.id }, cause: error });
}

function routeNotFound(request: FastifyRequest): AppError {
  return new AppError('ROUTE_NOT_FOUND', { method: request.method, path: pathOf(request) });
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0] ?? request.url;
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const language = negotiateLanguage(request.headers['accept-language']);
  // A route may have named a file before it failed (a report export whose stream broke before its first byte):
  // the answer is the error's JSON, not a file.
  reply.removeHeader('content-disposition');
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .header('content-language', language)
    .header('vary', 'Accept-Language')
    .send(error.toBody(language));
}

/** Answers anything thrown while handling `request` as its catalogue error, logged by severity. */
function answerError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error, request);
  if (appError.status >= 500) {
    request.log.error({ err: error, code: appError.code }, 'request failed');
  } else {
    request.log.info({ code: appError.code, reason: appError.messages.en }, 'request rejected');
  }
  return sendError(request, reply, appError);
}

/**
 * Fastify's `frameworkErrors` option: errors the router raises before any route or error handler is involved
 * (a malformed percent-encoding, an overlong path parameter) would otherwise leave as Fastify's own JSON.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  answerError(error, request, reply);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export function installErrorHandling<L extends FastifyBaseLogger, P extends FastifyTypeProvider>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L, P>,
  /** Answers an unmatched request before the 404/405 (the console's history fallback); undefined declines. */
  fallback?: () => ((request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined) | undefined,
): void {
  app.setErrorHandler((error, request, reply) => answerError(error, request, reply));

  // No route for this method and path: 405 when the path exists under other methods, 404 otherwise.
  app.setNotFoundHandler((request, reply) => {
    const answered = fallback?.()?.(request, reply);
    if (answered) return answered;
    const path = pathOf(request);
    const allowed = METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
    // A route that exists for this very method and still fell through (a missing asset file) is a plain 404.
    if (allowed.length === 0 || allowed.includes(request.method as (typeof METHODS)[number])) {
      return sendError(request, reply, routeNotFound(request));
    }
    reply.header('allow', allowed.join(', '));
    return sendError(
      request,
      reply,
      new AppError('METHOD_NOT_ALLOWED', { method: request.method, path, allowed: allowed.join(', ') }),
    );
  });
}
