/**
 * The admin CLI's commands, runnable in-process (tests) or from `npm run admin -- <command>` (admin.ts).
 *
 *   create-operator --username <name> --display-name <text> [--role <code>]… (--password <p> | --password-stdin)
 *   reset-password  --username <name> (--password <p> | --password-stdin)
 *   unlock-operator --username <name>
 *   verify-audit [--anchors <file>]…
 *   backup | verify-backup | restore      (backup-commands.ts; they run without migrating first)
 *
 * Changes are audited with the actor `cli:<os user>`. Exit codes: 0 done, 1 refused or the audit chain is broken,
 * 2 bad usage. A password set here was typed by the person at the server, usually for their own use (a lost
 * administrator password), so unlike one an administrator sets over the API it need not be changed at sign-in.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { OperatorsService } from '../modules/operators/service.js';
import { AnchorFileError, type AuditAnchor, parseAnchors } from '../platform/audit/anchor.js';
import type { AuditActor } from '../platform/audit/record.js';
import { verifyAuditChain } from '../platform/audit/verify.js';
import { normaliseUsername } from '../platform/auth/credentials.js';
import { authTables } from '../platform/auth/tables.js';
import { isAppError } from '../platform/errors.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** The whole of standard input (for --password-stdin). */
  readStdin(): Promise<string>;
}

export const USAGE = `用法 / usage: npm run admin -- <command> [options]
  create-operator --username <name> --display-name <text> [--role <code>]… (--password <p> | --password-stdin)
  reset-password  --username <name> (--password <p> | --password-stdin)
  unlock-operator --username <name>
  verify-audit    [--anchors <file>]…   (anchor files written by the cloud, AUDIT_ANCHOR_FILE)
  backup          [--out <dir>]         (default BACKUP_DIR, keeping the newest BACKUP_KEEP there)
  verify-backup   <file>
  restore         <file> [--yes] [--ignore-secret]   (stop the cloud first)`;

export class UsageError extends Error {}

/** Passwords set from the CLI were chosen at the server (see above): no forced change. */
const AT_THE_SERVER = { mustChangePassword: false } as const;

export function cliActor(): AuditActor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit row still says it came from the CLI.
  }
  return { id: null, username: `cli:${user}` };
}

async function passwordFrom(
  values: { password?: string; 'password-stdin'?: boolean },
  io: CliIo,
): Promise<string> {
  if (values.password !== undefined && values['password-stdin'])
    throw new UsageError('give --password or --password-stdin, not both');
  if (values.password !== undefined) return values.password;
  if (values['password-stdin']) return (await io.readStdin()).split(/\r?\n/, 1)[0] ?? '';
  throw new UsageError('a password is required: --password <p> or --password-stdin');
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

async function operatorIdOf(db: Kysely<Database>, username: string): Promise<string> {
  const row = await authTables(db)
    .selectFrom('operators')
    .select('id')
    .where('username', '=', normaliseUsername(username))
    .executeTakeFirst();
  if (!row) throw new UsageError(`no operator named ${username}`);
  return row.id;
}

async function anchorsFrom(paths: readonly string[]): Promise<AuditAnchor[]> {
  const anchors: AuditAnchor[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read anchor file ${path}: ${(error as Error).message}`);
    }
    try {
      anchors.push(...parseAnchors(text));
    } catch (error) {
      if (error instanceof AnchorFileError) throw new UsageError(`anchor file ${path}, ${error.message}`);
      throw error;
    }
  }
  return anchors;
}

export async function runAdminCommand(
  argv: readonly string[],
  { db, operators }: { readonly db: Kysely<Database>; readonly operators: OperatorsService },
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values } = parseArgs({
      args: [...rest],
      options: {
        username: { type: 'string' },
        'display-name': { type: 'string' },
        role: { type: 'string', multiple: true },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        anchors: { type: 'string', multiple: true },
      },
      strict: true,
    });
    switch (command) {
      case 'create-operator': {
        const created = await operators.create(
          cliActor(),
          {
            username: required(values.username, 'username'),
            displayName: required(values['display-name'], 'display-name'),
            password: await passwordFrom(values, io),
            roles: values.role ?? [],
          },
          AT_THE_SERVER,
          null,
        );
        io.out(
          `created operator ${created.username} (${created.id}) roles: ${created.roles.join(', ') || '-'}`,
        );
        return 0;
      }
      case 'reset-password': {
        const id = await operatorIdOf(db, required(values.username, 'username'));
        await operators.resetPassword(cliActor(), id, await passwordFrom(values, io), AT_THE_SERVER, null);
        io.out(`password reset for ${values.username}; their sessions have ended`);
        return 0;
      }
      case 'unlock-operator': {
        const id = await operatorIdOf(db, required(values.username, 'username'));
        await operators.unlock(cliActor(), id, null);
        io.out(`unlocked ${values.username}`);
        return 0;
      }
      case 'verify-audit': {
        const anchors = await anchorsFrom(values.anchors ?? []);
        const result = await verifyAuditChain(db, anchors);
        if (result.ok) {
          io.out(
            `audit log OK: ${result.rows} rows, head seq ${result.headSeq}, head hash ${result.headHash}` +
              (values.anchors ? `, ${anchors.length} anchors hold` : ''),
          );
          return 0;
        }
        io.err(
          `操作日志校验失败 / audit log BROKEN at row ${result.seq} (${result.problem}): ${result.message}`,
        );
        return 1;
      }
      default:
        throw new UsageError(command ? `unknown command: ${command}` : 'no command given');
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err((error as Error).message);
      io.err(USAGE);
      return 2;
    }
    if (isAppError(error)) {
      io.err(`${error.code}: ${error.messages['zh-CN']} / ${error.messages.en}`);
      return 1;
    }
    throw error;
  }
}
