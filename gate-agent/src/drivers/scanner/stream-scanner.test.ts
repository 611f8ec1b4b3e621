import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StreamScanner } from './stream-scanner.js';

describe('StreamScanner (keyboard wedge / stdin)', () => {
  it('reads lines from the stream while started and stops listening after stop()', async () => {
    const input = new PassThrough();
    const scanner = new StreamScanner({ input });
    const lines: string[] = [];
    scanner.on('line', (l) => lines.push(l));
    await scanner.start();
    input.write('6901234567892\n');
    input.write('QR:ABC\r\n');
    await new Promise((r) => setImmediate(r));
    await scanner.stop();
    input.write('late\n');
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual(['6901234567892', 'QR:ABC']);
  });

  it('reports the end of its input as a fault', async () => {
    const input = new PassThrough();
    const scanner = new StreamScanner({ input });
    const faults: string[] = [];
    scanner.on('fault', (e) => faults.push(e.code));
    await scanner.start();
    input.end();
    await new Promise((r) => setTimeout(r, 5));
    expect(faults).toEqual(['INPUT_CLOSED']);
    await scanner.stop();
  });
});
