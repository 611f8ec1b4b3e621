/**
 * The simulator's browser page: one static HTML file, the state pushed as server-sent events, actions posted as
 * JSON. No build step and no framework, so it runs from the checkout on any technician's PC.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { GateSim } from './gate-sim.js';

const PAGE = readFileSync(new URL('./page.html', import.meta.url), 'utf8');

const actionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('scan'), code: z.string().min(1).max(1024) }),
  z.strictObject({ kind: z.literal('tap'), uid: z.string().min(1).max(64) }),
  z.strictObject({ kind: z.literal('lift') }),
  z.strictObject({ kind: z.literal('pass'), direction: z.enum(['in', 'out']) }),
  z.strictObject({
    kind: z.literal('walk'),
    direction: z.enum(['in', 'out']),
    persons: z.number().int().min(1).max(999),
  }),
  z.strictObject({ kind: z.literal('autoPass'), on: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('jam'), on: z.boolean().optional() }),
]);

const MAX_BODY = 4096;

export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startWebServer(sim: GateSim, port: number, host = '127.0.0.1'): Promise<WebServer> {
  const streams = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  const push = () => {
    // One event per burst of changes (LED, voice and relay arrive together).
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      const data = `data: ${JSON.stringify(sim.state)}\n\n`;
      for (const res of streams) res.write(data);
    }, 30);
  };
  sim.on('change', push);

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE);
    } else if (req.method === 'GET' && path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`data: ${JSON.stringify(sim.state)}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
    } else if (req.method === 'POST' && path === '/action') {
      void handleAction(sim, req, res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`,
    async close() {
      sim.off('change', push);
      clearTimeout(pending);
      for (const res of streams) res.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handleAction(sim: GateSim, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const reply = (status: number, body: object): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return reply(413, { error: 'request too large' });
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return reply(400, { error: 'not JSON' });
  }
  const action = actionSchema.safeParse(json);
  if (!action.success) return reply(400, { error: 'unknown action' });
  try {
    sim.act(action.data);
  } catch (err) {
    return reply(400, { error: (err as Error).message });
  }
  reply(200, { ok: true });
}
