import { z } from 'zod';
import { PERMISSION_NAMES } from '../permissions.js';
import { passwordSchema } from './credentials.js';

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: passwordSchema,
});

export const meSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(z.string()),
    permissions: z.array(z.enum(PERMISSION_NAMES as [string, ...string[]])),
    mustChangePassword: z
      .boolean()
      .describe(
        '须先修改密码（初始或被重置的密码）：此前只能调用 GET /me、POST /password、POST /logout / The password ' +
          'was set by an administrator or generated: until it is changed only GET /me, POST /password and ' +
          'POST /logout answer, other routes 403 PASSWORD_CHANGE_REQUIRED',
      ),
    sessionExpiresAt: z.number().int().describe('本次登录的失效时间 / When this session ends, epoch ms'),
  })
  .meta({ id: 'SignedInOperator' });

export const loginResponse = z.object({
  token: z
    .string()
    .describe('Send as `Authorization: Bearer <token>`; the console uses the HttpOnly cookie instead'),
  expiresAt: z.number().int().describe('Epoch milliseconds'),
  operator: meSchema,
});

export const changePasswordBody = z.strictObject({
  currentPassword: passwordSchema,
  newPassword: passwordSchema,
});

export const thresholdSchema = z.strictObject({
  thresholdFen: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .describe('Amounts above this (in fen) need a second approver'),
});
