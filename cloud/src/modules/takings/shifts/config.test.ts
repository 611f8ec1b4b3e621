import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config.js';

const base = '/srv/scenic';

function issuePath(env: Record<string, string>): readonly (string | number)[] | undefined {
  try {
    loadConfig(env, base);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues[0]?.path;
    throw error;
  }
  return undefined;
}

describe('shift settings', () => {
  it('default: a variance above ¥50 waits for approval, and counts are not blind', () => {
    expect(loadConfig({}, base).shifts).toEqual({
      varianceApprovalFen: 5_000,
      blindCount: { all: false, windows: [] },
    });
  });

  it('SHIFT_VARIANCE_APPROVAL_FEN takes whole fen from 0 (any variance) up to ¥1,000,000', () => {
    expect(loadConfig({ SHIFT_VARIANCE_APPROVAL_FEN: '0' }, base).shifts.varianceApprovalFen).toBe(0);
    expect(loadConfig({ SHIFT_VARIANCE_APPROVAL_FEN: '20000' }, base).shifts.varianceApprovalFen).toBe(
      20_000,
    );
    for (const value of ['-1', '0.5', 'fifty', '100000001'])
      expect(issuePath({ SHIFT_VARIANCE_APPROVAL_FEN: value })).toEqual(['SHIFT_VARIANCE_APPROVAL_FEN']);
  });

  it('SHIFT_BLIND_COUNT is on, off, or a list of site/window', () => {
    expect(loadConfig({ SHIFT_BLIND_COUNT: 'ON' }, base).shifts.blindCount).toEqual({
      all: true,
      windows: [],
    });
    expect(loadConfig({ SHIFT_BLIND_COUNT: 'off' }, base).shifts.blindCount).toEqual({
      all: false,
      windows: [],
    });
    expect(loadConfig({ SHIFT_BLIND_COUNT: 'park/W01, lake/W-2.b' }, base).shifts.blindCount).toEqual({
      all: false,
      windows: ['park/W01', 'lake/W-2.b'],
    });
    for (const value of ['yes', 'park', 'park/W01,', '/W01', 'park/W01/x'])
      expect(issuePath({ SHIFT_BLIND_COUNT: value }), value).toEqual(['SHIFT_BLIND_COUNT']);
  });
});
