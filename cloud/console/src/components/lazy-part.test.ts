import { describe, expect, it } from 'vitest';
import { lazyPart } from './lazy-part';

function Panel() {
  return null;
}

describe('lazyPart', () => {
  it('asks for the module once, however often it is preloaded', async () => {
    let loads = 0;
    const Part = lazyPart(
      async () => {
        loads++;
        return { Panel };
      },
      (module) => module.Panel,
    );
    expect(loads).toBe(0);
    const first = Part.preload();
    const second = Part.preload();
    expect(first).toBe(second);
    await first;
    expect(loads).toBe(1);
  });

  it('asks again after a failed load instead of keeping the failure', async () => {
    let loads = 0;
    const Part = lazyPart(
      async () => {
        loads++;
        if (loads === 1) throw new Error('offline');
        return { Panel };
      },
      (module) => module.Panel,
    );
    await expect(Part.preload()).rejects.toThrow('offline');
    await expect(Part.preload()).resolves.toHaveProperty('Panel');
    expect(loads).toBe(2);
  });
});
