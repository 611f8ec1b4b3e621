import { describe, expect, it } from 'vitest';
import { gateBrokerUrl, shellWord, simulatorCommand } from './simulator-command';

describe('the gate simulator command', () => {
  it('connects to the embedded broker at the console host, or to the external broker', () => {
    expect(gateBrokerUrl({ embedded: true, port: 41883, url: null }, '192.168.1.20')).toBe(
      'mqtt://192.168.1.20:41883',
    );
    expect(gateBrokerUrl({ embedded: true, port: null, url: null }, 'cloud.lan')).toBe(
      'mqtt://cloud.lan:1883',
    );
    expect(gateBrokerUrl(undefined, 'cloud.lan')).toBe('mqtt://cloud.lan:1883');
    expect(gateBrokerUrl({ embedded: false, port: null, url: 'mqtts://broker.lan:8883' }, 'x')).toBe(
      'mqtts://broker.lan:8883',
    );
  });

  it('names the gate, its login and the broker, quoting what a shell would split', () => {
    expect(
      simulatorCommand({
        siteId: 'park',
        gateId: 'G01',
        direction: 'both',
        brokerUrl: 'mqtt://127.0.0.1:1883',
        username: 'gate@park@G01',
        password: "Ab3'x y",
      }),
    ).toBe(
      'npm run gate-sim -- --site park --gate G01 --direction in --broker mqtt://127.0.0.1:1883 ' +
        "--username gate@park@G01 --password 'Ab3'\\''x y'",
    );
    expect(
      simulatorCommand({
        siteId: 'p',
        gateId: 'EXIT-1',
        direction: 'out',
        brokerUrl: 'mqtt://h:1',
        username: 'u',
        password: 'pw',
      }),
    ).toContain('--direction out');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord('gate@park@G01')).toBe('gate@park@G01');
  });
});
