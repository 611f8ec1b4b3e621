import { PassThrough, type Readable } from 'node:stream';
import type { VirtualPassageSensor } from '../drivers/virtual-passage-sensor.js';

/**
 * The simulated agent reads scans on stdin; a line starting with `!` speaks for the virtual visitors instead of the
 * scanner, so a technician (or an end-to-end test) can walk a group of k through a group pass:
 *   `!group <k>`  a group of k arrives: the next k releases each let one through, later ones find nobody
 *   `!auto`       back to one visitor per release
 * Every other line goes on to the scanner unchanged. Returns the scanner's input.
 */
export function visitorCommands(input: Readable, sensor: VirtualPassageSensor): Readable {
  const scans = new PassThrough();
  let pending = '';
  input.on('data', (chunk: Buffer | string) => {
    pending += chunk.toString();
    let end = pending.indexOf('\n');
    while (end >= 0) {
      const line = pending.slice(0, end + 1);
      pending = pending.slice(end + 1);
      if (!command(line.trim(), sensor)) scans.write(line);
      end = pending.indexOf('\n');
    }
  });
  input.on('end', () => scans.end(pending));
  input.on('error', (err) => scans.destroy(err));
  return scans;
}

function command(line: string, sensor: VirtualPassageSensor): boolean {
  if (!line.startsWith('!')) return false;
  const group = /^!group\s+(\d{1,3})$/.exec(line);
  if (group) {
    sensor.group('in', Number(group[1]));
    sensor.group('out', Number(group[1]));
  } else if (line === '!auto') sensor.autoPassEach();
  return true;
}
