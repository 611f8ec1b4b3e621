import { z } from 'zod';
import { passwordSchema, usernameSchema } from '../../platform/auth/credentials.js';
import { PERMISSION_NAMES, type Permission } from '../../platform/permissions.js';

const permissionSchema = z.enum(PERMISSION_NAMES as [Permission, ...Permission[]]);
const roleCode = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/);
const displayName = z.string().trim().min(1).max(64);
const siteIds = z
  .array(z.string().min(1).max(64))
  .max(200)
  .describe(
    '限定可操作的景区（须为已有景区）；空数组为全部景区 / Limit the operator to these existing sites; empty: every site',
  );
const localized = z.strictObject({
  'zh-CN': z.string().trim().min(1).max(64),
  en: z.string().trim().min(1).max(64),
});

export const operatorSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    active: z.boolean(),
    roles: z.array(z.string()),
    siteIds: z
      .array(z.string())
      .describe(
        '限定可操作的景区；空数组为全部景区 / The sites this operator is limited to (sees and changes only their ' +
          'data); empty: every site',
      ),
    failedLogins: z.number().int(),
    lockedUntil: z.number().int().nullable().describe('Epoch ms; sign-in refused until then'),
    approvalsLockedUntil: z
      .number()
      .int()
      .nullable()
      .describe(
        '在此之前不能再请求双人复核（复核密码错误过多）/ Epoch ms; asking for a second approval refused until then ' +
          '(too many wrong approver passwords)',
      ),
    lastLoginAt: z.number().int().nullable(),
    passwordChangedAt: z.number().int(),
    mustChangePassword: z
      .boolean()
      .describe(
        '须在下次登录后先修改密码（管理员新建或重置的密码）/ Must change the password at the next sign-in: ' +
          'an administrator created or reset it',
      ),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'Operator' });

export const listQuery = z.object({
  q: z.string().max(64).optional().describe('Part of the username or display name'),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  role: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const idParams = z.object({ id: z.string().min(1).max(64) });
export const codeParams = z.object({ code: roleCode });

export const createBody = z.strictObject({
  username: usernameSchema,
  displayName,
  password: passwordSchema,
  roles: z.array(roleCode).max(20).default([]),
  siteIds: siteIds.default([]),
});

export const updateBody = z
  .strictObject({
    displayName: displayName.optional(),
    active: z.boolean().optional(),
    roles: z.array(roleCode).max(20).optional(),
    siteIds: siteIds.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });

export const passwordBody = z.strictObject({ password: passwordSchema });

export const roleSchema = z
  .object({
    code: z.string(),
    name: z.object({ 'zh-CN': z.string(), en: z.string() }),
    permissions: z.array(z.string()),
    operators: z.number().int().describe('Operators holding this role'),
  })
  .meta({ id: 'Role' });

export const createRoleBody = z.strictObject({
  code: roleCode,
  name: localized,
  permissions: z.array(permissionSchema),
});
export const updateRoleBody = z.strictObject({
  name: localized.partial().optional(),
  permissions: z.array(permissionSchema).optional(),
});

export const permissionListSchema = z.array(
  z.object({ name: z.string(), description: z.object({ 'zh-CN': z.string(), en: z.string() }) }),
);
