import {
  type Command,
  type CommandAck,
  commandTargetsGate,
  MODE_OF_COMMAND,
  type SiteCommand,
  type SyncReason,
} from '@scenic/protocol';
import type { Log } from '../core/ports.js';
import type { LinkCommandLog, LinkCore } from './ports.js';

export interface CommandHandlerOptions {
  readonly gateId: string;
  readonly core: LinkCore;
  readonly commands: LinkCommandLog;
  readonly log: Log;
  readonly now: () => number;
  readonly requestSync: (reason: SyncReason, full: boolean) => void;
  /** Called after a reboot command was acknowledged: the service manager restarts the agent. */
  readonly onReboot: () => void;
}

/**
 * Executes cloud commands once each. A redelivered commandId is answered with the stored first ack; an expired one
 * is rejected without running; a site command runs only on the gates it targets (the others stay silent).
 */
export class CommandHandler {
  readonly #o: CommandHandlerOptions;

  constructor(options: CommandHandlerOptions) {
    this.#o = options;
  }

  /** Returns the ack to publish, or null when the command is not for this gate. */
  async handle(command: Command | SiteCommand): Promise<CommandAck | null> {
    const { core, commands, log, gateId } = this.#o;
    if (command.type === 'site_command') {
      const zoneId = core.config?.zoneId;
      // Without a config the zone is unknown: only "all" and an explicit gate id reach this gate.
      const gate = { gateId, zoneId: zoneId ?? '' };
      if (!commandTargetsGate(command.target, gate)) return null;
    }
    const earlier = commands.ackFor(command.commandId);
    if (earlier) {
      log.info({ commandId: command.commandId }, 'duplicate command: repeating its first ack');
      return earlier;
    }
    const now = this.#o.now();
    let result: Pick<CommandAck, 'result' | 'reason'>;
    if (now > command.expiresAt) {
      result = { result: 'rejected', reason: 'expired' };
    } else {
      try {
        result = await this.#execute(command);
      } catch (err) {
        log.error({ err, commandId: command.commandId }, 'command failed');
        result = { result: 'error', reason: String((err as Error).message ?? err).slice(0, 200) || 'error' };
      }
    }
    const ack: CommandAck = {
      type: 'command_ack',
      v: 1,
      commandId: command.commandId,
      gateId,
      ...result,
      at: now,
    };
    commands.remember(ack);
    log.info(
      { commandId: command.commandId, action: command.action.kind, result: ack.result },
      'command handled',
    );
    if (command.action.kind === 'reboot' && ack.result === 'ok') setImmediate(this.#o.onReboot);
    return ack;
  }

  async #execute(command: Command | SiteCommand): Promise<Pick<CommandAck, 'result' | 'reason'>> {
    const action = command.action;
    switch (action.kind) {
      case 'emergency_open':
      case 'always_open':
      case 'always_closed':
      case 'normal':
      case 'lock': {
        const done = await this.#o.core.setMode(MODE_OF_COMMAND[action.kind]);
        return done.ok ? { result: 'ok', reason: null } : { result: 'rejected', reason: done.reason };
      }
      case 'deny_unauthorized':
        this.#o.core.setDenyUnauthorized(action.on);
        return { result: 'ok', reason: null };
      case 'sync':
        this.#o.requestSync('command', action.full);
        return { result: 'ok', reason: null };
      case 'reboot':
        return { result: 'ok', reason: null };
      default:
        return { result: 'rejected', reason: 'unsupported' };
    }
  }
}
