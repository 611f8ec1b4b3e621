import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import type { App } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { databaseBackends, type TestDatabase } from './db/testing.js';
import { AppError } from './platform/errors.js';
import { testApp } from './testing/app.js';

const silent = pino({ level: 'silent' });

describe.each(databaseBackends())('GET /healthz on $name', (backend) => {
  let test: TestDatabase;
  let app: App;
  beforeEach(async () => {
    test = await backend.create();
    app = await testApp({
      config: loadConfig({ DATABASE_URL: test.url }),
      database: test.database,
      logger: silent,
    });
  });
  afterEach(async () => {
    await app.close();
    await test.dispose();
  });

  it('answers ok after a database round-trip', async () => {
    const before = Date.now();
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      status: 'ok',
      database: backend.name,
      version: packageJson.version,
      // A test app never starts the leadership: on SQLite the one instance leads from the start, on PostgreSQL
      // only once it holds the lock (db/leadership.test.ts).
      leader: backend.name === 'sqlite',
      time: expect.any(Number),
    });
    expect(body.time).toBeGreaterThanOrEqual(before);
    expect(body.time).toBeLessThanOrEqual(Date.now());
  });

  it('answers 503 DATABASE_UNAVAILABLE once the database is gone', async () => {
    await test.database.close();
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('DATABASE_UNAVAILABLE');
  });
});

describe('GET /healthz against an unreachable PostgreSQL', () => {
  it('answers 503 DATABASE_UNAVAILABLE', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    const database = openDatabase(config.database);
    const app = await testApp({ config, database, logger: silent });
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'accept-language': 'en' },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toEqual({
        code: 'DATABASE_UNAVAILABLE',
        message: 'The database is temporarily unavailable',
        messages: { 'zh-CN': '数据库暂时不可用，请稍后再试', en: 'The database is temporarily unavailable' },
      });
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('errors over HTTP', () => {
  let test: TestDatabase;
  let app: App;
  const logged: unknown[] = [];

  beforeAll(async () => {
    test = await databaseBackends()[0]!.create();
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    app = await testApp({ config: loadConfig({ DATABASE_URL: test.url }), database: test.database, logger });
    // Routes that exist only to exercise the error paths.
    app.post(
      '/test/echo',
      {
        config: { access: 'public' },
        schema: { body: z.strictObject({ name: z.string().min(2), count: z.number().int().max(10) }) },
      },
      async (request) => request.body,
    );
    app.get('/test/boom', { config: { access: 'public' } }, async () => {
      throw new Error('SQL: select secret from vault');
    });
    app.get('/test/db-down', { config: { access: 'public' } }, async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
    });
    app.get('/test/db-contended', { config: { access: 'public' } }, async () => {
      // A serializable transaction that kept losing to others until transaction() gave up retrying.
      throw Object.assign(new Error('could not serialize access due to read/write dependencies'), {
        code: '40001',
      });
    });
    app.get('/test/not-found', { config: { access: 'public' } }, async () => {
      throw new AppError('NOT_FOUND', { resource: { 'zh-CN': '票种', en: 'Ticket type' }, id: 7 });
    });
    app.get('/test/rate-limited', { config: { access: 'public' } }, async () => {
      throw Object.assign(new Error('Rate limit exceeded'), { statusCode: 429 });
    });
  });
  afterAll(async () => {
    await app.close();
    await test.dispose();
  });

  it('unknown route → 404 ROUTE_NOT_FOUND with both messages, zh-CN by default', async () => {
    const response = await app.inject({ method: 'GET', url: '/no/such/thing?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-language']).toBe('zh-CN');
    expect(response.json()).toEqual({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: '接口不存在：GET /no/such/thing',
        messages: { 'zh-CN': '接口不存在：GET /no/such/thing', en: 'No such endpoint: GET /no/such/thing' },
      },
    });
  });

  it('speaks English when the client prefers it', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/no/such/thing',
      headers: { 'accept-language': 'en-GB,en;q=0.9,zh-CN;q=0.5' },
    });
    expect(response.headers['content-language']).toBe('en');
    expect(response.json().error.message).toBe('No such endpoint: GET /no/such/thing');
  });

  it('known path, wrong method → 405 METHOD_NOT_ALLOWED with an Allow header', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/healthz' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(response.json().error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('malformed JSON → 400 BAD_JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "ab", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('BAD_JSON');
  });

  it('empty JSON body → 400 BAD_JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.json().error.code).toBe('BAD_JSON');
  });

  it('wrong content type → 415 UNSUPPORTED_MEDIA_TYPE naming it', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      payload: 'name=ab',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message:
        'Unsupported content type: application/x-www-form-urlencoded (request bodies are application/json in UTF-8)',
    });
  });

  it('body over the limit → 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(1_100_000), count: 1 }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: '请求体过大（上限 1048576 字节）',
    });
  });

  it('invalid body → 400 VALIDATION_FAILED with per-field zh-CN and en messages', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { name: 'x', count: 11 },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.messages).toEqual({ 'zh-CN': '请求体校验未通过', en: 'Request body failed validation' });
    expect(error.details).toEqual([
      expect.objectContaining({
        path: ['name'],
        code: 'too_small',
        message: '数值过小：期望 string >=2 字符',
        messages: expect.objectContaining({ en: 'Too small: expected string to have >=2 characters' }),
      }),
      expect.objectContaining({ path: ['count'], code: 'too_big' }),
    ]);
  });

  it('valid body passes through', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { name: 'ab', count: 3 },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: 'ab', count: 3 });
  });

  it('AppError from a handler is sent as is', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/not-found' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.messages).toEqual({
      'zh-CN': '票种不存在：7',
      en: 'Ticket type not found: 7',
    });
  });

  it('a plugin error known by its status maps to the catalogue', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/rate-limited' });
    expect(response.statusCode).toBe(429);
    expect(response.json().error.code).toBe('RATE_LIMITED');
  });

  it('a database outage → 503 DATABASE_UNAVAILABLE', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/db-down' });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('DATABASE_UNAVAILABLE');
    expect(response.body).not.toContain('10.0.0.5');
  });

  it('a transaction that lost every retry to others → 503 DATABASE_UNAVAILABLE, not 500', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/db-contended' });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('a bug → 500 INTERNAL that leaks nothing, logged with the request id', async () => {
    logged.length = 0;
    const response = await app.inject({ method: 'GET', url: '/test/boom' });
    expect(response.statusCode).toBe(500);
    const { error } = response.json();
    expect(error.code).toBe('INTERNAL');
    expect(error.messages).toEqual({ 'zh-CN': '服务器内部错误', en: 'Internal server error' });
    expect(response.body).not.toContain('secret');
    expect(error.details.requestId).toEqual(expect.any(String));
    expect(logged).toEqual([
      expect.objectContaining({
        reqId: error.details.requestId,
        err: expect.objectContaining({ message: 'SQL: select secret from vault' }),
      }),
    ]);
  });

  it('serves the OpenAPI document built from the zod schemas, and the UI at /docs', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(document.openapi).toMatch(/^3\./);
    const health = document.paths['/healthz'].get;
    expect(health.responses['200'].content['application/json'].schema.properties).toHaveProperty('database');
    expect(health.responses['503']).toBeDefined();
    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });
});
