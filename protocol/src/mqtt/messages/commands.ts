/**
 * Cloud → gate commands (one gate on `…/gate/{gateId}/cmd`, many on `…/site/cmd`) and the gate's acknowledgement.
 * A gate executes a commandId once: a repeated delivery (QoS 1 may duplicate) is acknowledged again with the first
 * result, and a command received after `expiresAt` is rejected with reason `expired`.
 */
import { z } from 'zod';
import { epochMsSchema, idStringSchema } from '../../model.js';
import { type GateMode, messageSchema } from './common.js';

export const commandActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('emergency_open') }),
  z.strictObject({ kind: z.literal('always_open') }),
  z.strictObject({ kind: z.literal('always_closed') }),
  z.strictObject({ kind: z.literal('normal') }),
  z.strictObject({ kind: z.literal('lock') }),
  /** Refuse credentials whose ticket type gives no permission here instead of announcing and letting staff decide. */
  z.strictObject({ kind: z.literal('deny_unauthorized'), on: z.boolean() }),
  /** Ask for the whitelist: catch-up deltas, or a full snapshot when `full`. */
  z.strictObject({ kind: z.literal('sync'), full: z.boolean().default(false) }),
  z.strictObject({ kind: z.literal('reboot') }),
]);
export type CommandAction = z.output<typeof commandActionSchema>;
export type CommandKind = CommandAction['kind'];

/** The gate mode each mode-setting command switches to. */
export const MODE_OF_COMMAND = {
  emergency_open: 'emergency_open',
  always_open: 'always_open',
  always_closed: 'always_closed',
  normal: 'normal',
  lock: 'locked',
} as const satisfies Partial<Record<CommandKind, GateMode>>;

const commandFields = {
  commandId: idStringSchema,
  issuedAt: epochMsSchema,
  expiresAt: epochMsSchema,
  action: commandActionSchema,
};
const expiresAfterIssue = (c: { issuedAt: number; expiresAt: number }) => c.expiresAt > c.issuedAt;
const expiryIssue = { path: ['expiresAt'], message: 'expiresAt must be after issuedAt' };

export const commandSchema = messageSchema('command', commandFields).refine(expiresAfterIssue, expiryIssue);
export type Command = z.output<typeof commandSchema>;

/** Which gates of the site a site-wide command addresses. */
export const commandTargetSchema = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({ zoneIds: z.array(idStringSchema).min(1).max(256) }),
  z.strictObject({ gateIds: z.array(idStringSchema).min(1).max(1024) }),
]);
export type CommandTarget = z.output<typeof commandTargetSchema>;

export const siteCommandSchema = messageSchema('site_command', {
  ...commandFields,
  target: commandTargetSchema,
}).refine(expiresAfterIssue, expiryIssue);
export type SiteCommand = z.output<typeof siteCommandSchema>;

/** Whether a site-wide command is meant for this gate; gates that are not targeted ignore it and send no ack. */
export function commandTargetsGate(target: CommandTarget, gate: { gateId: string; zoneId: string }): boolean {
  if ('all' in target) return true;
  if ('zoneIds' in target) return target.zoneIds.includes(gate.zoneId);
  return target.gateIds.includes(gate.gateId);
}

export const COMMAND_RESULTS = ['ok', 'rejected', 'error'] as const;
export type CommandResult = (typeof COMMAND_RESULTS)[number];

export const commandAckSchema = messageSchema('command_ack', {
  commandId: idStringSchema,
  gateId: idStringSchema,
  result: z.enum(COMMAND_RESULTS),
  /** Why it was rejected or failed (`expired`, `unsupported`, or a short text); null for ok. */
  reason: z.string().min(1).max(200).nullable(),
  at: epochMsSchema,
}).refine((a) => a.result === 'ok' || a.reason !== null, {
  path: ['reason'],
  message: 'a rejected or failed command needs a reason',
});
export type CommandAck = z.output<typeof commandAckSchema>;
