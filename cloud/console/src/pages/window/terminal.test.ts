import { describe, expect, it } from 'vitest';
import { forgetTerminal, loadTerminal, saveTerminal, TERMINAL_KEY } from './terminal';

function memory() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

describe('the terminal’s window', () => {
  it('is remembered, read back and forgotten', () => {
    const storage = memory();
    expect(loadTerminal(storage)).toBeNull();
    saveTerminal({ siteId: 'park', windowId: 'W01' }, storage);
    expect(loadTerminal(storage)).toEqual({ siteId: 'park', windowId: 'W01' });
    forgetTerminal(storage);
    expect(loadTerminal(storage)).toBeNull();
  });

  it('treats a damaged entry as none', () => {
    const storage = memory();
    storage.setItem(TERMINAL_KEY, '{not json');
    expect(loadTerminal(storage)).toBeNull();
    storage.setItem(TERMINAL_KEY, JSON.stringify({ siteId: 'park' }));
    expect(loadTerminal(storage)).toBeNull();
  });
});
