import { describe, expect, it } from 'vitest';
import { Emitter } from './emitter.js';

class Probe extends Emitter<{ tick: [n: number]; error: [e: Error] }> {
  fire(n: number) {
    this.emit('tick', n);
  }
  fail() {
    this.emit('error', new Error('x'));
  }
}

describe('Emitter', () => {
  it('delivers typed events in order and supports off() and once()', () => {
    const p = new Probe();
    const seen: string[] = [];
    const a = (n: number) => seen.push(`a${n}`);
    p.on('tick', a);
    p.once('tick', (n) => seen.push(`once${n}`));
    p.fire(1);
    p.off('tick', a);
    p.fire(2);
    expect(seen).toEqual(['a1', 'once1']);
  });

  it('removes a once() listener by its original function', () => {
    const p = new Probe();
    const seen: number[] = [];
    const l = (n: number) => seen.push(n);
    p.once('tick', l);
    p.off('tick', l);
    p.fire(1);
    expect(seen).toEqual([]);
    expect(p.listenerCount('tick')).toBe(0);
  });

  it('does not throw for an error event nobody listens to (unlike node:events)', () => {
    expect(() => new Probe().fail()).not.toThrow();
  });
});
