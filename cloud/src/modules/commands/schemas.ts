/** Request and response shapes of the commands API. */
import { commandActionSchema } from '@scenic/protocol';
import { z } from 'zod';
import { commandTargetInputSchema } from './targets.js';

const epochMs = z.number().int().describe('Epoch milliseconds');

export const issueCommandSchema = z.strictObject({
  action: commandActionSchema.describe(
    '动作：emergency_open 紧急开闸、always_open 常开、always_closed 常闭、normal 恢复正常、lock 锁定、deny_unauthorized 拒绝无权限票、sync 同步白名单、reboot 重启 / What the gates should do',
  ),
  target: commandTargetInputSchema,
  ttlSec: z
    .number()
    .int()
    .min(5)
    .max(600)
    .default(30)
    .describe(
      '有效期（秒），过期未执行的闸机将拒绝 / Seconds until the command expires (gates refuse it after)',
    ),
});

export const issueQuerySchema = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(0)
    .describe(
      '最多等待回执的毫秒数（不超过有效期）/ Wait up to this many ms for the acks (never past the expiry)',
    ),
});

export const gateResultSchema = z.object({
  gateId: z.string(),
  siteId: z.string(),
  zoneId: z.string(),
  result: z.enum(['pending', 'ok', 'rejected', 'error', 'timeout']),
  reason: z.string().nullable(),
  wasOnline: z.boolean().nullable().describe('Whether the gate was online when the command was issued'),
  ackedAt: epochMs.nullable(),
  gateAt: epochMs.nullable().describe("The ack's own time (gate clock)"),
  latencyMs: z.number().int().nullable(),
  late: z.boolean().describe('The ack arrived after the gate had been counted as timed out'),
});

export const commandSchema = z
  .object({
    id: z.string(),
    action: commandActionSchema,
    target: commandTargetInputSchema,
    issuedBy: z.object({ id: z.string().nullable(), username: z.string().nullable() }),
    issuedAt: epochMs,
    expiresAt: epochMs,
    completedAt: epochMs.nullable(),
    status: z.enum(['pending', 'completed']),
    summary: z.object({
      gates: z.number().int(),
      pending: z.number().int(),
      ok: z.number().int(),
      rejected: z.number().int(),
      error: z.number().int(),
      timeout: z.number().int(),
    }),
    results: z.array(gateResultSchema),
  })
  .meta({ id: 'GateCommand' });
export type CommandView = z.output<typeof commandSchema>;

export const listQuerySchema = z.object({
  siteId: z.string().optional(),
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
