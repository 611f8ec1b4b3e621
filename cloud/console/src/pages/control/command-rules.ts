/**
 * The rules of the command screen (pure, tested in command-rules.test.ts): which commands need the operator to type
 * a confirmation, what they type, and which registered gates a target reaches (the cloud resolves the same way:
 * every active gate the registry places there).
 */
import type { CommandAction, CommandTarget, CommandView, Gate } from '../../api/types';

export type ActionKind = CommandAction['kind'];
export type TargetKind = CommandTarget['kind'];

export const ACTION_KINDS: readonly ActionKind[] = [
  'emergency_open',
  'always_open',
  'always_closed',
  'normal',
  'lock',
  'deny_unauthorized',
  'sync',
  'reboot',
];

/** Commands that open gates to everyone, lock a lane or take it down for a while. */
export const DANGEROUS_ACTIONS: ReadonlySet<ActionKind> = new Set([
  'emergency_open',
  'always_open',
  'lock',
  'reboot',
]);

/** The word an operator types to confirm a command for every site. */
export const CONFIRM_ALL = 'ALL';

/** More than one gate, or a dangerous command even to one: the operator types a confirmation. */
export function needsTypedConfirmation(action: ActionKind, target: TargetKind): boolean {
  return target !== 'gate' || DANGEROUS_ACTIONS.has(action);
}

/** What the operator types: the id of the gate, zone or site addressed (ids are short, typed without an IME). */
export function confirmationWord(target: CommandTarget): string {
  switch (target.kind) {
    case 'gate':
      return target.gateId;
    case 'zone':
      return target.zoneId;
    case 'site':
      return target.siteId;
    case 'all':
      return CONFIRM_ALL;
  }
}

export function confirmationMatches(target: CommandTarget, typed: string): boolean {
  return typed.trim() === confirmationWord(target);
}

/** The active registered gates a target reaches. */
export function gatesOfTarget(target: CommandTarget, gates: readonly Gate[]): Gate[] {
  const reaches = (gate: Gate): boolean => {
    switch (target.kind) {
      case 'gate':
        return gate.id === target.gateId;
      case 'zone':
        return gate.siteId === target.siteId && gate.zoneId === target.zoneId;
      case 'site':
        return gate.siteId === target.siteId;
      case 'all':
        return true;
    }
  };
  return gates.filter((gate) => gate.active && reaches(gate));
}

/** The action as the API takes it, from the form's choice and its option. */
export function actionOf(kind: ActionKind, option: { on?: boolean; full?: boolean }): CommandAction {
  if (kind === 'deny_unauthorized') return { kind, on: option.on ?? true };
  if (kind === 'sync') return { kind, full: option.full ?? false };
  return { kind };
}

/** Every targeted gate has a result (ok, rejected, error or timeout): nothing more will change but a late ack. */
export function isSettled(command: Pick<CommandView, 'status' | 'summary'>): boolean {
  return command.status === 'completed' || command.summary.pending === 0;
}
