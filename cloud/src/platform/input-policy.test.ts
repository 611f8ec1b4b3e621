/**
 * One input policy for every route: request bodies are UTF-8 JSON whose objects name every field they accept (an
 * unknown field is refused, never dropped), a refusal names the part of the request at fault, and the
 * Authorization scheme is matched without regard to case.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { databaseBackends } from '../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from './auth/testing.js';
import { validatorCompiler } from './http-errors.js';
import { isUtf8Json, type JsonSchemaNode, openObjects } from './input-policy.js';

describe('which objects accept fields they do not name', () => {
  const open = (schema: z.ZodType) => openObjects(z.toJSONSchema(schema, { io: 'input' }) as JsonSchemaNode);

  it('finds plain and loose objects, at any depth and inside unions, and lets strict objects and maps be', () => {
    expect(open(z.object({ a: z.string() }))).toEqual(['']);
    expect(open(z.looseObject({ a: z.string() }))).toEqual(['']);
    expect(open(z.strictObject({ a: z.string() }))).toEqual([]);
    expect(open(z.strictObject({ a: z.strictObject({ b: z.object({ c: z.number() }) }) }))).toEqual([
      '/properties/a/properties/b',
    ]);
    expect(
      open(
        z.discriminatedUnion('k', [z.strictObject({ k: z.literal('x') }), z.object({ k: z.literal('y') })]),
      ),
    ).toEqual(['/oneOf/1']);
    expect(open(z.strictObject({ list: z.array(z.object({ a: z.string() })) }))).toEqual([
      '/properties/list/items',
    ]);
    expect(open(z.strictObject({ prices: z.partialRecord(z.enum(['a', 'b']), z.number()) }))).toEqual([]);
    // Shared schemas with an id land in $defs.
    const named = z.object({ a: z.string() }).meta({ id: 'Named' });
    expect(open(z.strictObject({ one: named, two: named }))).toEqual(['/$defs/Named']);
  });

  it('follows $refs through a resolver, once each', () => {
    const components: Record<string, JsonSchemaNode> = {
      Loop: { type: 'object', properties: { next: { $ref: '#/components/schemas/Loop' } } },
    };
    const resolve = (ref: string) => components[ref.split('/').pop()!];
    expect(openObjects({ $ref: '#/components/schemas/Loop' }, resolve)).toEqual([
      '#/components/schemas/Loop',
    ]);
  });
});

describe('which content types are UTF-8 JSON', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON', true],
    ['application/json; charset=utf-8', true],
    ['application/json;charset=UTF-8', true],
    ['application/json; charset="utf-8"', true],
    ['application/json; charset=utf-16', false],
    ['application/json; charset=UTF-16LE', false],
    ['application/json; charset=iso-8859-1', false],
    ['application/json; charset=utf-8; charset=gbk', false],
    ['application/json; charset=', false],
    ['application/jsonx', false],
    ['text/plain', false],
    ['text/json; charset=utf-8', false],
  ])('%s → %s', (contentType, utf8Json) => {
    expect(isUtf8Json(contentType)).toBe(utf8Json);
  });
});

describe('a route whose body would let unknown fields through', () => {
  it('keeps the app from starting, naming the route and the open object', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.post(
      '/loose',
      { schema: { body: z.strictObject({ inner: z.object({ a: z.string() }) }) } },
      async () => 'x',
    );
    await expect(app.ready()).rejects.toThrow(/POST \/loose .*unknown fields.*\/properties\/inner/);
    await app.close();
  });
});

describe.each(databaseBackends())('the input policy over HTTP on $name', (backend) => {
  let env: AuthTestApp;
  beforeAll(async () => {
    env = await createAuthTestApp(backend);
    await env.app.ready();
  });
  afterAll(() => env?.dispose());

  it('closes every object of every request body the API declares', () => {
    const doc = env.app.swagger() as unknown as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
      components: { schemas: Record<string, JsonSchemaNode> };
    };
    const resolve = (ref: string) => doc.components.schemas[ref.replace('#/components/schemas/', '')];
    const bodies: string[] = [];
    const open: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content['application/json']?.schema;
        if (!schema) continue;
        bodies.push(`${method} ${path}`);
        for (const at of openObjects(schema as JsonSchemaNode, resolve)) open.push(`${method} ${path} ${at}`);
      }
    }
    expect(bodies).toContain('post /api/v1/operators');
    expect(bodies.length).toBeGreaterThan(30);
    expect(open).toEqual([]);
  });

  it('answers 415 to a body in any charset but UTF-8, or in another media type, and writes nothing', async () => {
    const sites = async () => (await env.test.database.db.selectFrom('sites').select('id').execute()).length;
    const before = await sites();
    const post = (contentType: string, payload: string | Buffer) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/sites',
        headers: { ...env.as('admin'), 'content-type': contentType, 'accept-language': 'en' },
        payload,
      });
    const json = (id: string) => JSON.stringify({ id, name: { zh: '园', en: 'Park' } });
    for (const [contentType, payload] of [
      ['application/json; charset=utf-16', json('u16')],
      ['application/json; charset=utf-16le', Buffer.from(json('u16le'), 'utf16le')],
      ['application/json; charset=GBK', json('gbk')],
      ['text/plain', json('plain')],
    ] as const) {
      const response = await post(contentType, payload);
      expect(response.statusCode, contentType).toBe(415);
      expect(response.json().error).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `Unsupported content type: ${contentType} (request bodies are application/json in UTF-8)`,
        messages: { 'zh-CN': `不支持的内容类型：${contentType}（请求体须为 UTF-8 编码的 application/json）` },
      });
    }
    expect(await sites()).toBe(before);
    for (const [index, contentType] of ['application/json; charset=UTF-8', 'application/json'].entries())
      expect((await post(contentType, json(`ok${index}`))).statusCode, contentType).toBe(201);
  });

  it('takes the Bearer scheme in any case, as RFC 9110 has it', async () => {
    const token = env.operators.cashier.token;
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const me = await env.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `${scheme} ${token}` },
      });
      expect(me.statusCode, scheme).toBe(200);
    }
  });

  it('names the query string, the path parameters and the headers when they fail, in zh-CN and en', async () => {
    const messagesOf = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const response = await env.app.inject({
        method,
        url,
        headers: env.as('admin'),
        ...(payload && { payload }),
      });
      expect(response.statusCode, url).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      return { messages: error.messages, paths: error.details.map((d: { path: unknown }) => d.path) };
    };
    const query = { 'zh-CN': '查询参数校验未通过', en: 'Request query string failed validation' };
    // Refused by the service (a cursor is opaque to the schema) and by the schema: both name the query.
    expect(await messagesOf('GET', '/api/v1/sales?before=abc')).toEqual({
      messages: query,
      paths: [['before']],
    });
    expect(await messagesOf('GET', '/api/v1/sales?limit=abc')).toEqual({
      messages: query,
      paths: [['limit']],
    });
    expect(await messagesOf('GET', '/api/v1/lookup?cardUid=zz')).toEqual({
      messages: query,
      paths: [['cardUid']],
    });
    expect(await messagesOf('GET', '/api/v1/ticket-types/abc')).toEqual({
      messages: { 'zh-CN': '路径参数校验未通过', en: 'Request path parameters failed validation' },
      paths: [['typeId']],
    });
    // The body is checked before the headers: a well-formed one, so the missing Idempotency-Key is what fails.
    const sale = {
      siteId: 'park',
      windowId: 'W01',
      lines: [{ typeId: 1, quantity: 1, visitDate: '2030-01-01' }],
      payments: [],
    };
    expect(await messagesOf('POST', '/api/v1/sales', sale)).toEqual({
      messages: { 'zh-CN': '请求头校验未通过', en: 'Request headers failed validation' },
      paths: [['idempotency-key']],
    });
  });
});
