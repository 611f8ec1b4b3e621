/**
 * The embedded broker refuses a packet that declares more bytes than any gate ever sends, as soon as its fixed header
 * says so: it drops the connection instead of buffering up to the 256 MB an MQTT length can declare (before the
 * login is even checked, which let one socket hold that much memory until the connect timeout).
 */
import { connect, type Socket } from 'node:net';
import { gateTopic } from '@scenic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { GateAccessService } from '../modules/gate-access/service.js';
import type { CloudMqtt } from '../modules/services.js';
import { limitPacketSize, MAX_INBOUND_PACKET_BYTES } from './packet-limit.js';
import { connectPacket, publishPacket, remainingLength } from './testing/fuzz-packets.js';
import { seedGates, startTestMqtt } from './testing.js';

const [sqlite] = databaseBackends();

/**
 * Opens a socket, writes `login` (if any) and waits for the broker's answer, writes `bytes`, and resolves with whether
 * the broker closed the connection within `ms`.
 */
async function closedAfter(
  port: number,
  login: Buffer | undefined,
  bytes: Buffer[],
  ms: number,
): Promise<boolean> {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  await new Promise((resolve) => socket.once('connect', resolve));
  if (login) {
    socket.write(login);
    await new Promise((resolve) => socket.once('data', resolve));
  }
  for (const chunk of bytes) socket.write(chunk);
  const result = await Promise.race([
    closed,
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
  socket.destroy();
  return result;
}

describe('the embedded broker’s packet size limit', () => {
  let test: TestDatabase;
  let cloud: CloudMqtt;
  let port: number;
  let password: string;

  beforeAll(async () => {
    test = await sqlite!.create();
    await seedGates(test.database.db, 'park', ['G01']);
    password = (await new GateAccessService(test.database.db).issue('G01')).password;
    cloud = await startTestMqtt(test.database);
    port = cloud.broker!.port;
  });
  afterAll(async () => {
    await cloud?.close();
    await test?.dispose();
  });

  it('drops a connection whose first packet declares hundreds of megabytes, before reading them', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (const first of [0x10, 0x30]) {
      const header = Buffer.concat([Buffer.from([first]), remainingLength(200_000_000)]);
      expect(await closedAfter(port, undefined, [header, chunk], 2_000)).toBe(true);
    }
  });

  it('drops a logged-in gate whose publish is past the limit, and keeps one just under it', async () => {
    const login = connectPacket({ clientId: 'sg-park-G01', username: 'gate@park@G01', password });
    const topic = gateTopic('park', 'G01', 'heartbeat');
    const over = publishPacket(topic, Buffer.alloc(MAX_INBOUND_PACKET_BYTES, 0x20));
    expect(await closedAfter(port, login, [over], 2_000)).toBe(true);
    const under = publishPacket(topic, Buffer.alloc(MAX_INBOUND_PACKET_BYTES - topic.length - 16, 0x20));
    expect(await closedAfter(port, login, [under], 500)).toBe(false);
  });
});

describe('limitPacketSize', () => {
  it('reports a client without the parser it expects instead of failing', () => {
    expect(limitPacketSize(undefined)).toBe(false);
    expect(limitPacketSize({ _parser: {} })).toBe(false);
  });
});
