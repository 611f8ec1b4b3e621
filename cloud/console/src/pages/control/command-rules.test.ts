import { describe, expect, it } from 'vitest';
import type { Gate } from '../../api/types';
import {
  ACTION_KINDS,
  actionOf,
  CONFIRM_ALL,
  confirmationMatches,
  confirmationWord,
  gatesOfTarget,
  isSettled,
  needsTypedConfirmation,
} from './command-rules';

function gate(id: string, siteId: string, zoneId: string, active = true): Gate {
  return {
    id,
    siteId,
    zoneId,
    direction: 'in',
    kind: 'tripod',
    name: { zh: id, en: id },
    active,
    createdAt: 0,
    updatedAt: 0,
  };
}

const GATES = [
  gate('N1', 'park', 'north'),
  gate('N2', 'park', 'north'),
  gate('N3', 'park', 'north', false),
  gate('S1', 'park', 'south'),
  gate('L1', 'lake', 'east'),
];

describe('command confirmation', () => {
  it('asks to type for every target beyond one gate, and for dangerous commands even to one gate', () => {
    for (const action of ACTION_KINDS) {
      expect(needsTypedConfirmation(action, 'zone')).toBe(true);
      expect(needsTypedConfirmation(action, 'site')).toBe(true);
      expect(needsTypedConfirmation(action, 'all')).toBe(true);
    }
    const typedForOneGate = ACTION_KINDS.filter((action) => needsTypedConfirmation(action, 'gate'));
    expect(typedForOneGate).toEqual(['emergency_open', 'always_open', 'lock', 'reboot']);
  });

  it('wants the id of what is addressed, or the word for everything', () => {
    expect(confirmationWord({ kind: 'gate', gateId: 'N1' })).toBe('N1');
    expect(confirmationWord({ kind: 'zone', siteId: 'park', zoneId: 'north' })).toBe('north');
    expect(confirmationWord({ kind: 'site', siteId: 'park' })).toBe('park');
    expect(confirmationWord({ kind: 'all' })).toBe(CONFIRM_ALL);
    expect(confirmationMatches({ kind: 'zone', siteId: 'park', zoneId: 'north' }, ' north ')).toBe(true);
    expect(confirmationMatches({ kind: 'zone', siteId: 'park', zoneId: 'north' }, 'North')).toBe(false);
    expect(confirmationMatches({ kind: 'all' }, '')).toBe(false);
  });
});

describe('gates of a target', () => {
  it('are the active registered gates there', () => {
    const ids = (target: Parameters<typeof gatesOfTarget>[0]) =>
      gatesOfTarget(target, GATES).map((g) => g.id);
    expect(ids({ kind: 'gate', gateId: 'S1' })).toEqual(['S1']);
    expect(ids({ kind: 'gate', gateId: 'N3' })).toEqual([]);
    expect(ids({ kind: 'zone', siteId: 'park', zoneId: 'north' })).toEqual(['N1', 'N2']);
    expect(ids({ kind: 'site', siteId: 'park' })).toEqual(['N1', 'N2', 'S1']);
    expect(ids({ kind: 'all' })).toEqual(['N1', 'N2', 'S1', 'L1']);
  });
});

describe('the command sent', () => {
  it('carries the option of the two commands that have one', () => {
    expect(actionOf('emergency_open', { on: false, full: true })).toEqual({ kind: 'emergency_open' });
    expect(actionOf('deny_unauthorized', { on: false })).toEqual({ kind: 'deny_unauthorized', on: false });
    expect(actionOf('deny_unauthorized', {})).toEqual({ kind: 'deny_unauthorized', on: true });
    expect(actionOf('sync', { full: true })).toEqual({ kind: 'sync', full: true });
  });

  it('is settled once no gate is pending', () => {
    const summary = { gates: 2, pending: 1, ok: 1, rejected: 0, error: 0, timeout: 0 };
    expect(isSettled({ status: 'pending', summary })).toBe(false);
    expect(isSettled({ status: 'pending', summary: { ...summary, pending: 0, timeout: 1 } })).toBe(true);
    expect(isSettled({ status: 'completed', summary })).toBe(true);
  });
});
