/**
 * The embedded broker's own bookkeeping of live connections (what `disconnect` drops after a revocation) must
 * forget every connection that closed. When logins with one client id overlap, aedes may report a client ready after
 * it was closed, or close one without reporting its disconnect (the registry entry is already the newer one's), so
 * such clients stayed in it for good, each with its socket and buffers (found by mqtt/fuzz.test.ts: the heap grew
 * with the raw connections).
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from './broker.js';
import { connectPacket } from './testing/fuzz-packets.js';
import { silentLogger } from './testing.js';

describe('the embedded broker', () => {
  let broker: EmbeddedBroker | undefined;
  afterEach(async () => {
    await broker?.close();
  });

  it('forgets connections of one client id that log in at once and close, whichever order aedes sees them in', async () => {
    broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      wsPort: 'off',
      logger: silentLogger,
      // A login check that takes a moment, as the database lookup and the hash do.
      authenticate: async () => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
        return { kind: 'gate', siteId: 'park', gateId: 'G01' };
      },
    });
    const port = broker.port;
    const session = async (stayMs: number) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(connectPacket({ clientId: 'sg-park-G01', username: 'gate@park@G01', password: 'x' }));
      await new Promise((resolve) => setTimeout(resolve, stayMs));
      socket.destroy();
    };
    // Each new login with the same client id takes the session over from the one before (closing it).
    for (let round = 0; round < 20; round++) {
      await Promise.all(Array.from({ length: 8 }, () => session(Math.random() * 40)));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(broker.disconnect(() => true)).toBe(0);
  });
});
