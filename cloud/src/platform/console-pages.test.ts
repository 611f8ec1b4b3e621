import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installConsole } from './console-pages.js';
import { installErrorHandling } from './http-errors.js';

let dist: string;
let app: FastifyInstance;

async function build(folder: string): Promise<FastifyInstance> {
  const server = Fastify();
  let pages: Awaited<ReturnType<typeof installConsole>>;
  installErrorHandling(server, () => pages?.fallback);
  server.get('/api/v1/things', { config: { access: 'public' } }, async () => ({ items: [] }));
  pages = await installConsole(server, folder);
  return server;
}

describe('the console pages', () => {
  beforeEach(async () => {
    dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    const script = 'console.log("the console");'.repeat(40);
    writeFileSync(join(dist, 'assets', 'main-abc123.js'), script);
    writeFileSync(join(dist, 'assets', 'main-abc123.js.gz'), gzipSync(script));
    app = await build(dist);
  });
  afterEach(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('answers index.html, never cached, for any page path (history fallback)', async () => {
    for (const url of ['/', '/window', '/control/gates?site=park']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets for a year, pre-compressed when the browser accepts it', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/main-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toContain('the console');
    const gzip = await app.inject({
      method: 'GET',
      url: '/assets/main-abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(Number(gzip.headers['content-length'])).toBeLessThan(plain.body.length);
  });

  it('leaves the API, the docs, health, metrics, missing assets and other methods to the JSON 404/405', async () => {
    for (const url of ['/api/v1/nowhere', '/docs/nothing', '/healthz/x', '/metrics/x', '/assets/gone.js']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('ROUTE_NOT_FOUND');
    }
    expect((await app.inject({ method: 'POST', url: '/window' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/things' })).statusCode).toBe(405);
    expect((await app.inject({ method: 'GET', url: '/api/v1/things' })).json()).toEqual({ items: [] });
  });

  it('serves nothing when there is no build: / is a JSON 404', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-none-'));
    const bare = await build(empty);
    const response = await bare.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('ROUTE_NOT_FOUND');
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  });
});
