/** Proves the test services are wired: a real broker round-trips a QoS 1 message (CI runs this against Mosquitto). */
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { serviceUrl } from './services.js';

const brokerUrl = serviceUrl('TEST_MQTT_URL');

describe.skipIf(!brokerUrl)('MQTT broker at TEST_MQTT_URL', () => {
  it('delivers a QoS 1 message on a unique topic back to its subscriber', async () => {
    const client = await mqtt.connectAsync(brokerUrl!, {
      clientId: `scenic-test-${randomUUID()}`,
      connectTimeout: 5_000,
      reconnectPeriod: 0,
    });
    try {
      const topic = `scenic-test/${randomUUID()}`;
      const payload = JSON.stringify({ hello: '闸机', at: Date.now() });
      const received = new Promise<{ topic: string; payload: string; qos: number }>((resolve) => {
        client.on('message', (t, message, packet) =>
          resolve({ topic: t, payload: message.toString(), qos: packet.qos }),
        );
      });
      const granted = await client.subscribeAsync(topic, { qos: 1 });
      expect(granted).toEqual([expect.objectContaining({ topic, qos: 1 })]);
      // For QoS 1, mqtt.js resolves only once the broker's PUBACK for this packet id has arrived.
      const sent = await client.publishAsync(topic, payload, { qos: 1 });
      expect(sent).toMatchObject({ cmd: 'publish', qos: 1, messageId: expect.any(Number) });
      expect(await received).toEqual({ topic, payload, qos: 1 });
    } finally {
      await client.endAsync();
    }
  });
});

describe('serviceUrl', () => {
  it('returns the URL when set', () => {
    expect(serviceUrl('TEST_MQTT_URL', { TEST_MQTT_URL: ' mqtt://h:1883 ' })).toBe('mqtt://h:1883');
  });

  it('skips outside CI, saying so once, and refuses to skip in CI', () => {
    const lines: string[] = [];
    expect(serviceUrl('TEST_DATABASE_URL', {}, (line) => lines.push(line))).toBeUndefined();
    expect(
      serviceUrl('TEST_DATABASE_URL', { TEST_DATABASE_URL: '' }, (line) => lines.push(line)),
    ).toBeUndefined();
    expect(lines).toEqual(['SKIPPED: PostgreSQL tests (set TEST_DATABASE_URL)']);
    expect(() => serviceUrl('TEST_DATABASE_URL', { CI: 'true' })).toThrow(/TEST_DATABASE_URL is not set/);
    expect(() => serviceUrl('TEST_MQTT_URL', { CI: '1' })).toThrow(/TEST_MQTT_URL is not set/);
  });
});
