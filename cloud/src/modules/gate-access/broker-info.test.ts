import { describe, expect, it } from 'vitest';
import type { MqttConfig } from '../../config.js';
import { gateBroker } from './broker-info.js';

const base = {
  username: 'sg-cloud',
  password: undefined,
  clientId: 'sg-cloud-a',
  shareGroup: undefined,
  gateBudget: { ratePerSec: 100, burst: 200, backoffMs: 60_000 },
} as const;
const embedded = (port: number): MqttConfig => ({
  ...base,
  broker: { kind: 'embedded', host: '0.0.0.0', port, wsPort: 'off' },
});

describe('the broker gates connect to', () => {
  it('is the embedded broker on its bound port, else on the configured one', () => {
    expect(gateBroker(embedded(1883), undefined)).toEqual({ embedded: true, port: 1883, url: null });
    expect(gateBroker(embedded(0), { port: 41_883 })).toEqual({ embedded: true, port: 41_883, url: null });
    expect(gateBroker(embedded(0), undefined)).toEqual({ embedded: true, port: null, url: null });
  });

  it('names an external broker without the login the cloud uses on it', () => {
    const config: MqttConfig = {
      ...base,
      broker: { kind: 'external', url: 'mqtts://cloud:s3cret@broker.lan:8883' },
    };
    expect(gateBroker(config, undefined)).toEqual({
      embedded: false,
      port: null,
      url: 'mqtts://broker.lan:8883',
    });
  });
});
