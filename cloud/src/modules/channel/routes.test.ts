/** The channel API in the OpenAPI document: its tag carries the statuses and their OCTO mapping, its routes the key. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type ChannelTestApp, createChannelTestApp } from '../channel-keys/testing.js';

describe.each(databaseBackends().slice(0, 1))('the channel API’s OpenAPI text on $name', (backend) => {
  let env: ChannelTestApp;
  beforeAll(async () => {
    env = await createChannelTestApp(backend);
  });
  afterAll(() => env.dispose());

  it('documents the key, the statuses with their OCTO names, the webhook signature', async () => {
    const document = (await env.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const tag = document.tags.find((t: { name: string }) => t.name === 'channel');
    for (const octo of ['ON_HOLD', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'REDEEMED'])
      expect(tag.description).toContain(`\`${octo}\``);
    expect(tag.description).toContain('Webhook-Signature');
    expect(tag.description).toContain('HMAC-SHA256');
    expect(document.components.securitySchemes.channelKey).toMatchObject({ in: 'header', name: 'X-Api-Key' });
    const availability = document.paths['/api/channel/v1/availability'].get;
    expect(availability.tags).toEqual(['channel']);
    expect(availability.security).toEqual([{ channelKey: [] }]);
    expect(availability.description).toContain('429');
    expect(availability.responses['200'].content['application/json'].schema).toBeDefined();
    for (const state of ['held', 'confirmed', 'picked_up', 'closed', 'cancelled', 'expired'])
      expect(tag.description).toContain(`\`${state}\``);
    for (const [path, method] of [
      ['/api/channel/v1/bookings', 'post'],
      ['/api/channel/v1/bookings', 'get'],
      ['/api/channel/v1/bookings/{bookingId}', 'get'],
      ['/api/channel/v1/bookings/by-reference/{reference}', 'get'],
      ['/api/channel/v1/bookings/{bookingId}/redemption', 'get'],
      ['/api/channel/v1/bookings/{bookingId}/confirm', 'post'],
      ['/api/channel/v1/bookings/{bookingId}/cancel', 'post'],
    ]) {
      const route = document.paths[path!]?.[method!];
      expect(route, `${method} ${path}`).toBeDefined();
      expect(route.tags).toEqual(['channel']);
      expect(route.security).toEqual([{ channelKey: [] }]);
      expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['400', '401', '404', '429']));
    }
    const status = document.components.schemas.ChannelBooking.properties.status;
    expect(status.enum).toEqual(['ON_HOLD', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'REDEEMED']);
  });
});
