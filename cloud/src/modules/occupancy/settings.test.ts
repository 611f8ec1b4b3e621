import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';

describe('control room settings', () => {
  it('reads the occupancy reset hour (or off), the hysteresis and the metrics token', () => {
    const config = loadConfig({
      OCCUPANCY_RESET_HOUR: 'OFF',
      OCCUPANCY_HYSTERESIS_PCT: '5',
      METRICS_TOKEN: 'a-long-enough-token',
    });
    expect([config.occupancy, config.metrics]).toEqual([
      { resetHour: null, hysteresisPct: 5 },
      { token: 'a-long-enough-token' },
    ]);
    expect(loadConfig({ OCCUPANCY_RESET_HOUR: '4' }).occupancy.resetHour).toBe(4);
  });

  it.each([
    ['OCCUPANCY_RESET_HOUR', '24'],
    ['OCCUPANCY_RESET_HOUR', 'noon'],
    ['OCCUPANCY_HYSTERESIS_PCT', '50'],
    ['METRICS_TOKEN', 'short'],
    // A bearer credential is one word: a token with a space could never be presented.
    ['METRICS_TOKEN', 'a long enough token with spaces'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  });
});
