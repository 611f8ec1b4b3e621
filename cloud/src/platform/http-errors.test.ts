/**
 * Requests the router or the database would refuse in their own words: a malformed percent-encoding, an overlong
 * path parameter, a NUL character (which PostgreSQL text cannot hold). Each must leave as a catalogue error in the
 * client's language, on both engines, having written nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from './auth/testing.js';

describe.each(databaseBackends())('HTTP edge errors on $name', (backend) => {
  let env: AuthTestApp;
  beforeAll(async () => {
    env = await createAuthTestApp(backend);
  });
  afterAll(() => env.dispose());

  const get = (url: string, language = 'en') =>
    env.app.inject({ method: 'GET', url, headers: { ...env.as('admin'), 'accept-language': language } });

  it('a malformed percent-encoding in the path is 400 BAD_REQUEST, in zh-CN or en', async () => {
    const en = await get('/api/v1/sales/%E0%A4%A');
    expect(en.statusCode).toBe(400);
    expect(en.headers['content-language']).toBe('en');
    expect(en.json().error).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Malformed request: the URL has an invalid percent-encoding',
    });
    const zh = await get('/api/v1/refunds/%ZZ', 'zh-CN');
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error).toMatchObject({
      code: 'BAD_REQUEST',
      message: '请求格式有误：网址含有无效的百分号编码',
    });
  });

  it('an overlong path parameter is 400 BAD_REQUEST, not Fastify’s own 414 body', async () => {
    const response = await get(`/api/v1/sales/${'x'.repeat(500)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'BAD_REQUEST',
      messages: {
        'zh-CN': '请求格式有误：路径参数过长',
        en: 'Malformed request: a path parameter is too long',
      },
    });
  });

  it('a NUL character anywhere in the input is 400 VALIDATION_FAILED naming the field, and writes nothing', async () => {
    const path = await get('/api/v1/stock/codes/%00');
    expect(path.statusCode).toBe(400);
    expect(path.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: ['code'] }] });

    const query = await get('/api/v1/sales?cashierId=a%00b');
    expect(query.statusCode).toBe(400);
    expect(query.json().error.details[0].path).toEqual(['cashierId']);

    const sitesBefore = await env.test.database.db.selectFrom('sites').selectAll().execute();
    const body = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: env.as('admin'),
      payload: { id: 'nul', name: { zh: 'a\u0000', en: 'b' } },
    });
    expect(body.statusCode).toBe(400);
    expect(body.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: ['name', 'zh'], messages: { en: 'must not contain the NUL character (U+0000)' } }],
    });
    const key = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: env.as('admin'),
      payload: { id: 'nul', name: { zh: 'a', en: 'b' }, 'x\u0000': 1 },
    });
    expect(key.json().error.details[0].path).toEqual(['x\u0000']);
    expect(await env.test.database.db.selectFrom('sites').selectAll().execute()).toEqual(sitesBefore);
  });

  it('nesting deeper than the call stack is refused without a 500', async () => {
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: { ...env.as('admin'), 'content-type': 'application/json' },
      payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
  });
});
