import { describe, expect, it } from 'vitest';
import {
  idleTick,
  type KeyKind,
  keyKind,
  NO_BURST,
  pressKey,
  SCANNER_DEFAULTS,
  type ScannerEffect,
  type ScannerState,
} from './use-scanner';

interface Typed {
  key: string;
  at: number;
  editable?: boolean;
}

/**
 * Feeds keys as the hook does, running the idle timer whenever it is due before the next key, and records what
 * reached the page (passed at once, or released later) and what was scanned.
 */
function simulate(keys: readonly Typed[], endAt = Number.POSITIVE_INFINITY) {
  let state: ScannerState = NO_BURST;
  let wakeAt: number | null = null;
  const scans: { code: string; editable: boolean }[] = [];
  const page: string[] = [];
  const consumed: string[] = [];
  const apply = (effects: readonly ScannerEffect[]) => {
    for (const effect of effects) {
      if (effect.type === 'scan') scans.push({ code: effect.code, editable: effect.editable });
      else page.push(...effect.keys.map((key) => `${key}(late)`));
    }
  };
  const tickUntil = (time: number) => {
    while (wakeAt !== null && wakeAt <= time) {
      const step = idleTick(state, wakeAt);
      state = step.state;
      apply(step.effects);
      wakeAt = step.wakeInMs === null ? null : wakeAt + step.wakeInMs;
    }
  };
  for (const typed of keys) {
    tickUntil(typed.at);
    const kind: KeyKind = keyKind({ key: typed.key });
    const step = pressKey(state, { key: typed.key, kind, at: typed.at, editable: typed.editable ?? false });
    state = step.state;
    apply(step.effects);
    if (step.consume) consumed.push(typed.key);
    else if (kind !== 'ignore') page.push(typed.key);
    wakeAt = step.wakeInMs === null ? null : typed.at + step.wakeInMs;
  }
  tickUntil(endAt);
  return { scans, page, consumed, state };
}

/** `text` typed from `start`, one key every `gap` ms, then optionally Enter. */
function burst(text: string, start: number, gap: number, end?: 'Enter' | 'Tab', editable = false): Typed[] {
  const keys = [...text].map((key, i) => ({ key, at: start + i * gap, editable }));
  if (end) keys.push({ key: end, at: start + text.length * gap, editable });
  return keys;
}

describe('scanner burst detection', () => {
  it('takes a fast burst ended by Enter as one scan, and the page sees none of its keys', () => {
    const run = simulate(burst('123456789012', 0, 5, 'Enter'));
    expect(run.scans).toEqual([{ code: '123456789012', editable: false }]);
    expect(run.page).toEqual([]);
    expect(run.consumed).toHaveLength(13);
  });

  it('ends a burst without Enter after the idle time', () => {
    const run = simulate(burst('ABC-123', 0, 8));
    expect(run.scans).toEqual([{ code: 'ABC-123', editable: false }]);
    expect(run.page).toEqual([]);
  });

  it('hands a person’s keys to the page a moment later, in order, and Enter after them', () => {
    const run = simulate([
      { key: '1', at: 0 },
      { key: '2', at: 150 },
      { key: '+', at: 400 },
      { key: 'Enter', at: 420 },
    ]);
    expect(run.scans).toEqual([]);
    expect(run.page).toEqual(['1(late)', '2(late)', '+(late)', 'Enter']);
  });

  it('never takes fewer than minLength keys as a scan, even typed fast', () => {
    const run = simulate(burst('12', 0, 5, 'Enter'));
    expect(run.scans).toEqual([]);
    expect(run.page).toEqual(['1(late)', '2(late)', 'Enter']);
  });

  it('ends a burst at a pause longer than the idle time: a person typing after a scan is a person again', () => {
    const run = simulate([...burst('987654', 0, 5), { key: '3', at: 25 + 150 }]);
    expect(run.scans).toEqual([{ code: '987654', editable: false }]);
    expect(run.page).toEqual(['3(late)']);
  });

  it('keeps a burst through a short stall of the sender (a busy PC, a wireless scanner)', () => {
    const keys = [...burst('HC1:ABCD', 0, 6), ...burst('EFGH', 42 + 70, 6, 'Enter')];
    const run = simulate(keys);
    expect(run.scans).toEqual([{ code: 'HC1:ABCDEFGH', editable: false }]);
    expect(run.page).toEqual([]);
  });

  it('does not take a person’s two quick keys followed by slower ones for a scan', () => {
    // "12" in a roll-over (15 ms), then "3" and Enter at a person's pace: the gaps are mostly slow.
    const run = simulate([
      { key: '1', at: 0 },
      { key: '2', at: 15 },
      { key: '3', at: 95 },
      { key: 'Enter', at: 180 },
    ]);
    expect(run.scans).toEqual([]);
    expect(run.page).toEqual(['1(late)', '2(late)', '3(late)', 'Enter']);
  });

  it('passes other keys at once and finishes what was held before them', () => {
    const run = simulate([
      { key: '5', at: 0 },
      { key: 'ArrowDown', at: 10 },
      { key: 'F2', at: 500 },
    ]);
    expect(run.page).toEqual(['5(late)', 'ArrowDown', 'F2']);
    expect(run.scans).toEqual([]);
  });

  it('ignores Shift between the characters of a scanned code', () => {
    const keys: Typed[] = [
      { key: 'Shift', at: 0 },
      { key: 'H', at: 2 },
      { key: 'Shift', at: 4 },
      { key: 'C', at: 6 },
      { key: '1', at: 9 },
      { key: 'Enter', at: 12 },
    ];
    expect(simulate(keys).scans).toEqual([{ code: 'HC1', editable: false }]);
  });

  it('lets a space continue a burst (QR text has spaces) but never start one', () => {
    const run = simulate([{ key: ' ', at: 0 }, ...burst('A1 B2', 50, 4, 'Enter')]);
    expect(run.page).toEqual([' ']);
    expect(run.scans).toEqual([{ code: 'A1 B2', editable: false }]);
  });

  it('leaves typing into a text field alone, and takes a fast burst there only when Enter ends it', () => {
    const typing = simulate(burst('13800138000', 0, 120, 'Enter', true));
    expect(typing.scans).toEqual([]);
    expect(typing.consumed).toEqual([]);
    expect(typing.page).toHaveLength(12);

    const unended = simulate(burst('999', 0, 5, undefined, true));
    expect(unended.scans).toEqual([]);
    expect(unended.consumed).toEqual([]);

    const scanned = simulate(burst('12345678', 0, 5, 'Enter', true));
    expect(scanned.scans).toEqual([{ code: '12345678', editable: true }]);
    // The characters went into the field (the hook restores its text); only the Enter is taken.
    expect(scanned.consumed).toEqual(['Enter']);
  });

  it('uses the configured limits', () => {
    expect(SCANNER_DEFAULTS).toEqual({ maxGapMs: 30, idleMs: 100, minLength: 3 });
    const slow = simulate(burst('12345', 0, 45, 'Enter'));
    expect(slow.scans).toEqual([]);
    expect(slow.page).toEqual(['1(late)', '2(late)', '3(late)', '4(late)', '5(late)', 'Enter']);
  });
});

describe('keyKind', () => {
  it('sorts keys into characters, ends, other keys and keys to ignore', () => {
    expect(keyKind({ key: 'a' })).toBe('char');
    expect(keyKind({ key: '中' })).toBe('char');
    expect(keyKind({ key: 'Enter' })).toBe('end');
    expect(keyKind({ key: 'Tab' })).toBe('end');
    expect(keyKind({ key: 'ArrowUp' })).toBe('other');
    expect(keyKind({ key: 'c', ctrlKey: true })).toBe('other');
    expect(keyKind({ key: 'Shift' })).toBe('ignore');
    expect(keyKind({ key: 'a', isComposing: true })).toBe('ignore');
  });
});
