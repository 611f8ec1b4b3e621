/**
 * The first administrator. At start-up, when no operator exists at all: with ADMIN_USERNAME and ADMIN_PASSWORD set,
 * that account is created with the `admin` role; without them an `admin` account gets a random password that is
 * logged once, at warn level, and never stored in clear, and must be changed at the first sign-in (whoever can read
 * the log knows it). Once any operator exists this does nothing, so the variables can stay set (or be removed)
 * without effect and a printed password is never printed again.
 */
import { SYSTEM_ACTOR } from '../../platform/audit/record.js';
import type { AuthConfig } from '../../platform/auth/config.js';
import { randomPassword } from '../../platform/auth/credentials.js';
import { isAppError } from '../../platform/errors.js';
import type { OperatorsService } from './service.js';

export interface BootstrapLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export async function ensureFirstAdmin(
  operators: OperatorsService,
  config: AuthConfig,
  logger: BootstrapLogger,
): Promise<{ username: string; generatedPassword?: string } | undefined> {
  if ((await operators.count()) > 0) return undefined;
  const username = config.initialAdmin?.username ?? 'admin';
  const generatedPassword = config.initialAdmin ? undefined : randomPassword();
  const password = config.initialAdmin?.password ?? generatedPassword!;
  try {
    await operators.create(
      SYSTEM_ACTOR,
      { username, displayName: '系统管理员 Administrator', password, roles: ['admin'] },
      { mustChangePassword: generatedPassword !== undefined },
      null,
    );
  } catch (error) {
    // Another instance starting at the same time created it first.
    if (isAppError(error) && error.code === 'USERNAME_TAKEN') return undefined;
    throw error;
  }
  if (generatedPassword)
    logger.warn(
      { username, password: generatedPassword },
      '已创建首个管理员，密码只显示这一次，请登录后立即修改 / First administrator created; this password is shown only once: sign in and change it',
    );
  else logger.info({ username }, 'first administrator created from ADMIN_USERNAME / ADMIN_PASSWORD');
  return { username, ...(generatedPassword && { generatedPassword }) };
}

/** Start-up: the seed roles, then the first administrator if there is nobody yet. */
export async function prepareAccess(
  operators: OperatorsService,
  config: AuthConfig,
  logger: BootstrapLogger,
) {
  await operators.seedRoles();
  return ensureFirstAdmin(operators, config, logger);
}
