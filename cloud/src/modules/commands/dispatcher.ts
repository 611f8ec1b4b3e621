/**
 * Sends commands and follows them to their outcome. Issuing stores the command, one `pending` result per targeted
 * gate and the operation-log entry in one transaction, then publishes the protocol `command` on each gate's own
 * `cmd` topic. Acks (from any cloud instance: all state is in the database) settle a pending result; results still
 * pending `ACK_GRACE_MS` after `expiresAt` become `timeout` (a timer per command plus a periodic sweep, which also
 * covers commands issued before a restart). When the last result of a command settles, the same transaction marks
 * the command complete and logs its outcome. An ack after the timeout (a gate that got the command just in time but
 * whose ack was slow) replaces `timeout` with what the gate did and is flagged `late`.
 *
 * Why per-gate topics and not `site/cmd` with a target: the registry decides which gates a zone has, so every gate
 * the control room is told about gets a message addressed to it, and each gate's persistent session queues it at
 * the broker while it is briefly away. A site command relies on each gate's config naming its zone, and a gate with
 * a stale config would silently skip an emergency open.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { CommandAck, CommandAction } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import type { MqttBus } from '../../mqtt/bus.js';
import { auditedTransaction, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/record.js';
import type { ControlRoomMetrics } from '../metrics/control-room-metrics.js';
import type { ChangeContext } from '../venues/change-context.js';
import * as repo from './repo.js';
import type { GateCommandResult } from './tables.js';
import { type CommandTargetInput, resolveTarget } from './targets.js';

/** Acks may take this long after `expiresAt` to arrive before a gate counts as timed out. */
export const ACK_GRACE_MS = 2_000;
const SWEEP_INTERVAL_MS = 1_000;
const PUBLISH_WAIT_MS = 2_000;

export type AckOutcome = 'applied' | 'late' | 'duplicate' | 'unknown';

export interface IssueCommand {
  readonly action: CommandAction;
  readonly target: CommandTargetInput;
  readonly ttlMs: number;
}

export interface DispatcherDeps {
  readonly db: Kysely<Database>;
  readonly bus: Pick<MqttBus, 'publish'>;
  /** Live status, to record whether each gate was online when the command went out. */
  readonly status: { get(gateId: string): { online: boolean } | undefined };
  readonly metrics: ControlRoomMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
}

export class CommandDispatcher extends EventEmitter<{ settled: [string] }> {
  private readonly db: Kysely<Database>;
  private readonly now: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(private readonly deps: DispatcherDeps) {
    super();
    this.setMaxListeners(0);
    this.db = deps.db;
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    this.sweeper ??= setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.sweeping;
  }

  /** Stores, audits and publishes a command; resolves with its id once every publish finished or 2 s passed. */
  async issue(input: IssueCommand, context: ChangeContext): Promise<string> {
    const gates = await resolveTarget(this.db, input.target);
    const issuedAt = this.now();
    const expiresAt = issuedAt + input.ttlMs;
    const id = `cmd-${issuedAt.toString(36)}-${randomBytes(5).toString('hex')}`;
    const target = input.target;
    const siteOf =
      target.kind === 'gate' ? gates[0]?.siteId : target.kind === 'all' ? undefined : target.siteId;
    await auditedTransaction(this.db, async (trx) => {
      await repo.insertCommand(
        trx,
        {
          id,
          action_kind: input.action.kind,
          action_json: JSON.stringify(input.action),
          target_kind: target.kind,
          target_site_id: siteOf ?? null,
          target_zone_id: target.kind === 'zone' ? target.zoneId : null,
          target_gate_id: target.kind === 'gate' ? target.gateId : null,
          issued_by_id: context.actor?.id ?? null,
          issued_by_username: context.actor?.username ?? null,
          issued_at: issuedAt,
          expires_at: expiresAt,
          gate_count: gates.length,
          completed_at: null,
        },
        gates.map((gate) => {
          const status = this.deps.status.get(gate.gateId);
          return {
            command_id: id,
            gate_id: gate.gateId,
            site_id: gate.siteId,
            zone_id: gate.zoneId,
            result: 'pending' as const,
            reason: null,
            was_online: status === undefined ? null : status.online ? 1 : 0,
            expires_at: expiresAt,
            acked_at: null,
            gate_at: null,
            latency_ms: null,
            late: 0,
          };
        }),
      );
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'gate_command.issue',
          entity: 'gate_command',
          entityId: id,
          after: { action: input.action, target, expiresAt, gates: gates.map((g) => g.gateId) },
          ip: context.ip,
        },
        issuedAt,
      );
    });
    this.deps.metrics.commandIssued(input.action.kind, gates.length);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.sweep();
    }, input.ttlMs + ACK_GRACE_MS);
    timer.unref();
    this.timers.add(timer);

    const message = {
      type: 'command' as const,
      v: 1 as const,
      commandId: id,
      issuedAt,
      expiresAt,
      action: input.action,
    };
    const publishes = Promise.allSettled(
      gates.map((gate) =>
        this.deps.bus
          .publish({ siteId: gate.siteId, gateId: gate.gateId, channel: 'cmd' }, message)
          .catch((error: unknown) => {
            this.deps.logger.warn(
              { err: error, commandId: id, gateId: gate.gateId },
              'command publish failed',
            );
            return this.settle(
              id,
              gate.gateId,
              'pending',
              { result: 'error', reason: 'publish_failed' },
              null,
            );
          }),
      ),
    );
    await Promise.race([publishes, delay(PUBLISH_WAIT_MS)]);
    return id;
  }

  /** Applies a gate's acknowledgement. */
  async applyAck(ack: CommandAck, receivedAt: number): Promise<AckOutcome> {
    const command = await repo.findCommand(this.db, ack.commandId);
    const result = command && (await repo.findResult(this.db, ack.commandId, ack.gateId));
    if (!command || !result) return 'unknown';
    const outcome = {
      result: ack.result,
      reason: ack.result === 'ok' ? null : ack.reason,
      acked_at: receivedAt,
      gate_at: ack.at,
      latency_ms: Math.max(0, receivedAt - command.issued_at),
    };
    if (result.result === 'pending') {
      if (await this.settle(ack.commandId, ack.gateId, 'pending', outcome, outcome.latency_ms))
        return 'applied';
    }
    const current = await repo.findResult(this.db, ack.commandId, ack.gateId);
    if (current?.result === 'timeout') {
      const changed = await auditedTransaction(this.db, async (trx) => {
        if (!(await repo.settleResult(trx, ack, 'timeout', { ...outcome, late: 1 }))) return false;
        await recordAudit(
          trx,
          {
            actor: SYSTEM_ACTOR,
            action: 'gate_command.late_ack',
            entity: 'gate_command',
            entityId: ack.commandId,
            after: { gateId: ack.gateId, result: ack.result, reason: outcome.reason },
          },
          receivedAt,
        );
        return true;
      });
      if (changed) {
        this.emit('settled', ack.commandId);
        return 'late';
      }
    }
    return 'duplicate';
  }

  /** Marks overdue pending results as timeout. */
  sweep(): Promise<void> {
    this.sweeping = this.sweeping.then(async () => {
      try {
        const overdue = await repo.overdue(this.db, this.now() - ACK_GRACE_MS);
        for (const row of overdue) {
          await this.settle(
            row.command_id,
            row.gate_id,
            'pending',
            { result: 'timeout', reason: null },
            null,
          );
        }
      } catch (error) {
        this.deps.logger.error({ err: error }, 'command timeout sweep failed');
      }
    });
    return this.sweeping;
  }

  /** Resolves when the command has no pending result left, or after `ms`. */
  async waitSettled(commandId: string, ms: number): Promise<void> {
    if (ms <= 0) return;
    const done = async () => (await repo.pendingCount(this.db, commandId)) === 0;
    if (await done()) return;
    await new Promise<void>((resolve) => {
      let checking = false;
      const finish = () => {
        clearTimeout(timeout);
        clearInterval(poll);
        this.off('settled', onSettled);
        resolve();
      };
      const check = () => {
        if (checking) return;
        checking = true;
        done().then(
          (yes) => {
            checking = false;
            if (yes) finish();
          },
          () => {
            checking = false;
          },
        );
      };
      const onSettled = (id: string) => id === commandId && check();
      // Acks handled by another cloud instance do not reach this emitter; the poll sees them.
      const poll = setInterval(check, 500);
      const timeout = setTimeout(finish, ms);
      this.on('settled', onSettled);
    });
  }

  /**
   * Moves one result out of `from`; when it was the command's last pending one, marks the command complete and
   * logs the outcome in the same transaction.
   */
  private async settle(
    commandId: string,
    gateId: string,
    from: GateCommandResult,
    to: Partial<Omit<repo.ResultRow, 'command_id' | 'gate_id'>>,
    latencyMs: number | null,
  ): Promise<boolean> {
    const changed = await auditedTransaction(this.db, async (trx) => {
      if (!(await repo.settleResult(trx, { commandId, gateId }, from, to))) return false;
      if ((await repo.pendingCount(trx, commandId)) > 0) return true;
      const at = this.now();
      if (await repo.markCompleted(trx, commandId, at)) {
        const results = await repo.resultsOf(trx, [commandId]);
        const byResult: Record<string, string[]> = {};
        for (const r of results) byResult[r.result] = [...(byResult[r.result] ?? []), r.gate_id];
        await recordAudit(
          trx,
          {
            actor: SYSTEM_ACTOR,
            action: 'gate_command.complete',
            entity: 'gate_command',
            entityId: commandId,
            after: byResult,
          },
          at,
        );
      }
      return true;
    });
    if (changed) {
      this.deps.metrics.commandResult(to.result ?? 'unknown', latencyMs);
      this.emit('settled', commandId);
    }
    return changed;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
