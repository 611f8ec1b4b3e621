import Fastify, { type FastifyRequest } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { clientOf } from './client-info.js';

describe('clientOf', () => {
  const app = Fastify();
  app.get('/', async (request) => clientOf(request));
  afterAll(() => app.close());

  it('takes the address and the user agent of the request', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/',
      remoteAddress: '10.1.2.3',
      headers: { 'user-agent': 'ticket-pc/2.1' },
    });
    expect(response.json()).toEqual({ ip: '10.1.2.3', userAgent: 'ticket-pc/2.1' });
  });

  it('records a missing user agent as null, not as absent', () => {
    // inject always sends a user agent of its own, so this request is built by hand.
    const request = { ip: '10.1.2.4', headers: {} } as FastifyRequest;
    expect(clientOf(request)).toStrictEqual({ ip: '10.1.2.4', userAgent: null });
  });
});
