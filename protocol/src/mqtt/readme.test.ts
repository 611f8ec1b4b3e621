/** Keeps protocol/README.md honest: its topic table and every JSON example must match the code. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECISION_REASONS } from '../reasons.js';
import { CHANNELS, type Channel } from './channels.js';
import { decodeMessage } from './codec.js';
import { MESSAGE_TYPES } from './messages/index.js';
import { parseTopic } from './topics.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function formatSize(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

describe('protocol/README.md', () => {
  it('every ```json block decodes with the codec, and every message type has an example', () => {
    const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const seen = new Set<string>();
    for (const block of blocks) {
      const type = (JSON.parse(block) as { type: string }).type;
      const channels = (Object.keys(CHANNELS) as Channel[]).filter((c) =>
        (CHANNELS[c].types as readonly string[]).includes(type),
      );
      expect(channels.length, `example of unknown type ${type}`).toBeGreaterThan(0);
      for (const channel of channels) expect(() => decodeMessage(channel, block), block).not.toThrow();
      seen.add(type);
    }
    expect([...seen].sort()).toEqual([...MESSAGE_TYPES].sort());
  });

  it('the topic table matches the channel table', () => {
    const rows = readme
      .split('\n')
      .filter((line) => line.startsWith('| `sg/v1/'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const documented = new Map<Channel, string[]>();
    for (const cells of rows) {
      const topic = cells[1]!.replaceAll('`', '').replace('{siteId}', 'S').replace('{gateId}', 'G');
      documented.set(parseTopic(topic).channel, cells);
    }
    expect([...documented.keys()].sort()).toEqual((Object.keys(CHANNELS) as Channel[]).sort());
    for (const [channel, cells] of documented) {
      const spec = CHANNELS[channel];
      expect(cells[2]!.startsWith(spec.from), channel).toBe(true);
      expect(cells[3], channel).toBe(String(spec.qos));
      expect(cells[4]!.startsWith(spec.retained ? 'yes' : 'no'), channel).toBe(true);
      expect(cells[5], channel).toBe(spec.types.map((t) => `\`${t}\``).join(', '));
      expect(cells[6], channel).toBe(formatSize(spec.maxBytes));
    }
  });

  it('lists every reason code', () => {
    for (const reason of DECISION_REASONS) expect(readme, reason).toContain(`\`${reason}\``);
  });
});
