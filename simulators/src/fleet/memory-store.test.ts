import type { CredentialRecord, WhitelistDelta } from '@scenic/protocol';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';

const record = (ticketId: number) => ({ ticketId }) as unknown as CredentialRecord;
const delta = (fromVersion: number, toVersion: number, upserts: number[], removals: number[] = []) =>
  ({ fromVersion, toVersion, upserts: upserts.map(record), removals }) as unknown as WhitelistDelta;

describe('the fleet gate in-memory store', () => {
  it('applies deltas that continue or overlap its version, reports repeats and gaps, and tells each version', () => {
    const versions: number[] = [];
    const { whitelist } = new MemoryStore({ onVersion: (v) => versions.push(v), onAck: () => {} });
    expect(whitelist.applyDelta(delta(0, 2, [1, 2]), 1)).toBe('applied');
    expect(whitelist.applyDelta(delta(1, 2, [1]), 2)).toBe('duplicate');
    expect(whitelist.applyDelta(delta(4, 5, [5]), 3)).toBe('gap');
    expect(whitelist.applyDelta(delta(1, 3, [3], [1]), 4)).toBe('applied');
    expect([whitelist.version(), whitelist.count(), whitelist.byTicketId(1)]).toEqual([3, 2, null]);
    whitelist.beginSnapshot();
    whitelist.stageSnapshotChunk([record(7)]);
    whitelist.stageSnapshotChunk([record(8), record(9)]);
    expect(whitelist.count()).toBe(2);
    whitelist.commitSnapshot(9, 5);
    expect([whitelist.version(), whitelist.count()]).toEqual([9, 3]);
    expect(versions).toEqual([2, 3, 9]);
  });

  it('hands out outbox entries oldest first and settles each publisher on its PUBACK, or when the gate stops', async () => {
    const { outbox } = new MemoryStore({ onVersion: () => {}, onAck: () => {} });
    const first = outbox.append('event/passage', Buffer.from('a'));
    const second = outbox.append('event/denial', Buffer.from('b'));
    const third = outbox.append('event/passage', Buffer.from('c'));
    expect(outbox.pendingAfter(0, 2).map((e) => [e.seq, e.channel])).toEqual([
      [1, 'event/passage'],
      [2, 'event/denial'],
    ]);
    expect(outbox.pendingAfter(2, 64).map((e) => e.seq)).toEqual([3]);
    outbox.markSent(2);
    await expect(second).resolves.toBeUndefined();
    expect(outbox.depth()).toBe(2);
    outbox.clear(new Error('stopped'));
    await expect(first).rejects.toThrow('stopped');
    await expect(third).rejects.toThrow('stopped');
    expect(outbox.depth()).toBe(0);
  });

  it('remembers each first ack and tells it', () => {
    const acks: string[] = [];
    const { commands } = new MemoryStore({ onVersion: () => {}, onAck: (ack) => acks.push(ack.commandId) });
    const ack = {
      type: 'command_ack',
      v: 1,
      commandId: 'c1',
      gateId: 'G',
      result: 'ok',
      reason: null,
      at: 1,
    } as const;
    commands.remember(ack);
    expect(commands.ackFor('c1')).toEqual(ack);
    expect(commands.ackFor('c2')).toBeUndefined();
    expect(acks).toEqual(['c1']);
  });
});
