/**
 * The API's one input policy for request bodies. A body is JSON in UTF-8 (`application/json`, its charset absent or
 * utf-8): anything else — another media type, or JSON declared in UTF-16 or GBK, which would otherwise be read as
 * UTF-8 and come out garbled or half-understood — is 415 UNSUPPORTED_MEDIA_TYPE before it is read.
 *
 * Every object names every field it accepts, and an unknown field
 * is refused (400 VALIDATION_FAILED, `unrecognized_keys`), never silently dropped — a dropped `isAdmin` looks to
 * the client as if it had been taken. zod's `z.object` strips unknown keys, so bodies are declared with
 * `z.strictObject`; rather than trust every module to remember, the validator compiler (http-errors.ts) checks each
 * route's body schema once, when the app starts, and refuses to start with one that would let an unknown field
 * through. Maps (`z.record`) are objects by design and stay open to the keys their key schema allows.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyTypeProvider, RawServerDefault } from 'fastify';
import { z } from 'zod';
import { AppError } from './errors.js';

/** A JSON Schema node, as zod and the OpenAPI document write them. */
export interface JsonSchemaNode {
  readonly [keyword: string]: unknown;
}

/** Keywords whose value maps names to subschemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is data, not a schema: never walked. */
const DATA = new Set(['enum', 'const', 'default', 'examples', 'example', 'required']);

function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * JSON pointers of the objects in `schema` that accept properties they do not name (an object with `properties`
 * whose `additionalProperties` is anything but false). `$ref`s are followed through `resolve` when given, each once
 * (reported by the ref); without it, referenced definitions are found where they sit (`$defs`).
 */
export function openObjects(
  schema: JsonSchemaNode,
  resolve?: (ref: string) => JsonSchemaNode | undefined,
): string[] {
  const open: string[] = [];
  const followed = new Set<string>();
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, `${at}/${index}`);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const keywords = node as JsonSchemaNode;
    const ref = keywords.$ref;
    if (typeof ref === 'string' && resolve && !followed.has(ref)) {
      followed.add(ref);
      walk(resolve(ref), ref);
    }
    if (keywords.properties !== undefined && keywords.additionalProperties !== false) open.push(at);
    for (const [keyword, value] of Object.entries(keywords)) {
      if (DATA.has(keyword)) continue;
      if (SCHEMA_MAPS.has(keyword) && value !== null && typeof value === 'object') {
        for (const [name, sub] of Object.entries(value)) walk(sub, `${at}/${keyword}/${escapePointer(name)}`);
      } else {
        walk(value, `${at}/${keyword}`);
      }
    }
  };
  walk(schema, '');
  return open;
}

export class OpenBodySchemaError extends Error {
  override readonly name = 'OpenBodySchemaError';
  constructor(route: string, at: readonly string[]) {
    super(
      `route ${route} would accept unknown fields in its body (at ${at.map((p) => p || '/').join(', ')}): ` +
        'declare its objects with z.strictObject',
    );
  }
}

/** Throws OpenBodySchemaError when the body schema of `route` has an object open to unknown fields. */
export function requireClosedBody(schema: z.ZodType, route: string): void {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const open = openObjects(json);
  if (open.length > 0) throw new OpenBodySchemaError(route, open);
}

/**
 * True for `application/json` with no charset or charset utf-8 (names and values without regard to case, the value
 * possibly quoted); a charset given twice must be utf-8 both times.
 */
export function isUtf8Json(contentType: string): boolean {
  const [media, ...parameters] = contentType.split(';');
  if (media?.trim().toLowerCase() !== 'application/json') return false;
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    if (equals < 0) {
      if (parameter.trim() === '') continue;
      return false;
    }
    if (parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    const value = parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (value.toLowerCase() !== 'utf-8') return false;
  }
  return true;
}

/** Methods whose requests Fastify never reads a body from. */
const BODILESS = new Set(['GET', 'HEAD']);

/**
 * Refuses a request body that is not UTF-8 JSON before it is read. Only a request that declares a content type is
 * looked at; one with a body and none is refused by Fastify itself (415 as well).
 */
export function installBodyPolicy<L extends FastifyBaseLogger, P extends FastifyTypeProvider>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L, P>,
): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && !BODILESS.has(request.method) && !isUtf8Json(contentType))
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', { contentType });
    return payload;
  });
}
