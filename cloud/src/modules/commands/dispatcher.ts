/**
 * Sends commands and follows them to their outcome. Issuing stores the command, one `pending` result per targeted
 * gate and the operation-log entry in one transaction, then publishes the protocol `command` on each gate's own
 * `cmd` topic. Acks (from any cloud instance: all state is in the database) settle a pending result with one
 * conditional UPDATE each; results still pending `ACK_GRACE_MS` after `expiresAt` become `timeout` (a timer per
 * command plus a periodic sweep, which also covers commands issued before a restart). When the last result of a
 * command has settled, a transaction that finds none pending marks the command complete and logs its outcome, and
 * `waitSettled` answers at once. An ack after the timeout (a gate that got the command just in time but whose ack
 * was slow) replaces `timeout` with what the gate did and is flagged `late`.
 *
 * Why the in-memory pending set: an emergency open for a site brings hundreds of acks within a second, and the
 * cloud takes MQTT messages one at a time, so a count query per ack would set the pace. The set only says when to
 * look; the database decides. Results settled by another instance are dropped from the set when that ack (which
 * every instance receives) finds its row no longer pending, and the sweep completes any command both instances
 * left open.
 *
 * Why per-gate topics and not `site/cmd` with a target: the registry decides which gates a zone has, so every gate
 * the control room is told about gets a message addressed to it, and each gate's persistent session queues it at
 * the broker while it is briefly away. A site command relies on each gate's config naming its zone, and a gate with
 * a stale config would silently skip an emergency open.
 */

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { CommandAck, CommandAction } from '@scenic/protocol';
import type { Logger } from 'pino';
import type { Connection } from '../../db/scoped.js';
import { storableText } from '../../db/storable-text.js';
import { transaction } from '../../db/transaction.js';
import type { MqttBus } from '../../mqtt/bus.js';
import { auditedTransaction, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/record.js';
import { BatchQueue } from '../../platform/batch-queue.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { ALL_SITES } from '../../platform/site-scope.js';
import type { ControlRoomMetrics } from '../metrics/control-room-metrics.js';
import * as repo from './repo.js';
import { type CommandDb, commandTables } from './tables.js';
import { type CommandTargetInput, resolveTarget } from './targets.js';

/** Acks may take this long after `expiresAt` to arrive before a gate counts as timed out. */
export const ACK_GRACE_MS = 2_000;
const SWEEP_INTERVAL_MS = 1_000;
const PUBLISH_WAIT_MS = 2_000;
/** Acks written in one transaction at most. */
const MAX_ACK_BATCH = 500;
/** How far back the sweep looks for commands left open: the longest ttl (600 s) with ample slack. */
const OPEN_LOOKBACK_MS = 3_600_000;
const ISSUED_AT_CACHE = 1_000;

export type AckOutcome = 'applied' | 'late' | 'duplicate' | 'unknown';

export interface IssueCommand {
  readonly action: CommandAction;
  readonly target: CommandTargetInput;
  readonly ttlMs: number;
}

export interface DispatcherDeps {
  readonly db: Connection;
  readonly bus: Pick<MqttBus, 'publish'>;
  /** Live status, to record whether each gate was online when the command went out. */
  readonly status: { get(gateId: string): { online: boolean } | undefined };
  readonly metrics: ControlRoomMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
}

interface ReceivedAck {
  readonly ack: CommandAck;
  readonly receivedAt: number;
}

/** A command issued by this instance and not yet complete. */
interface OpenCommand {
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Gates whose result this instance has not yet seen settle. */
  readonly pending: Set<string>;
}

export class CommandDispatcher extends EventEmitter<{ completed: [string] }> {
  private readonly db: CommandDb;
  private readonly now: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();
  private readonly open = new Map<string, OpenCommand>();
  private readonly issuedAtCache = new Map<string, number>();
  // Acks start their batch at once; a failed batch fails all its acks (each is redelivered by the broker).
  private readonly acks = new BatchQueue<ReceivedAck, AckOutcome>({
    run: (batch) => this.settleAcks(batch),
    maxBatch: MAX_ACK_BATCH,
    start: 'microtask',
    onFailure: 'reject-all',
  });

  constructor(private readonly deps: DispatcherDeps) {
    super();
    this.setMaxListeners(0);
    this.db = commandTables(deps.db);
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
    this.open.set(id, { issuedAt, expiresAt, pending: new Set(gates.map((gate) => gate.gateId)) });
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
            return this.settleUnsent(id, gate.gateId, 'publish_failed');
          }),
      ),
    );
    await Promise.race([publishes, delay(PUBLISH_WAIT_MS)]);
    return id;
  }

  /**
   * Applies a gate's acknowledgement. Acks that arrive while earlier ones are being written are settled together,
   * in one transaction; the promise resolves once this ack's row is stored.
   */
  applyAck(ack: CommandAck, receivedAt: number): Promise<AckOutcome> {
    return this.acks.add({ ack, receivedAt });
  }

  /** Marks overdue pending results as timeout, and completes commands left open with nothing pending. */
  sweep(): Promise<void> {
    this.sweeping = this.sweeping.then(async () => {
      try {
        const now = this.now();
        const overdue = await repo.timeOutOverdue.rows(this.db, { cutoff: now - ACK_GRACE_MS });
        const touched = new Set<string>();
        for (const row of overdue) {
          this.deps.metrics.commandResult('timeout', null);
          this.forget(row.command_id, row.gate_id);
          touched.add(row.command_id);
        }
        for (const commandId of touched) await this.completeIfDone(commandId);
        for (const row of await repo.openWithoutPending.rows(this.db, { since: now - OPEN_LOOKBACK_MS }))
          await this.complete(row.id);
        for (const [commandId, open] of this.open) {
          // Completed elsewhere (another instance's sweep) without this one seeing its last result change.
          if (open.expiresAt + ACK_GRACE_MS + OPEN_LOOKBACK_MS < now) this.open.delete(commandId);
        }
      } catch (error) {
        this.deps.logger.error({ err: error }, 'command timeout sweep failed');
      }
    });
    return this.sweeping;
  }

  /**
   * Resolves once the command is complete (answered at once when this instance records it; completion by another
   * instance is seen by polling), or after `ms`.
   */
  async waitSettled(commandId: string, ms: number): Promise<void> {
    if (ms <= 0) return;
    let finish = () => {};
    const completed = new Promise<void>((resolve) => {
      let checking = false;
      const onCompleted = (id: string) => id === commandId && finish();
      const check = () => {
        if (checking) return;
        checking = true;
        // Complete, not merely nothing pending: the last ack may be stored while its completion is still on the
        // way, and the caller then reads a command that is not marked complete yet.
        repo.findCommand(this.db, commandId, ALL_SITES).then(
          (command) => {
            checking = false;
            if (!command || command.completed_at !== null) finish();
          },
          () => {
            checking = false;
          },
        );
      };
      const poll = setInterval(check, 500);
      const timeout = setTimeout(() => finish(), ms);
      finish = () => {
        clearTimeout(timeout);
        clearInterval(poll);
        this.off('completed', onCompleted);
        resolve();
      };
      // Listening before the first look, so a completion in between is not missed.
      this.on('completed', onCompleted);
      check();
    });
    await completed;
  }

  /** One statement per ack (one transaction for a batch); the rare late, duplicate and unknown acks look further. */
  private async settleAcks(batch: readonly ReceivedAck[]): Promise<AckOutcome[]> {
    const outcomes: (AckOutcome | undefined)[] = [];
    const writes: { index: number; outcome: repo.AckedResult }[] = [];
    for (const [index, { ack, receivedAt }] of batch.entries()) {
      const issuedAt = await this.issuedAtOf(ack.commandId);
      if (issuedAt === undefined) {
        outcomes[index] = 'unknown';
        continue;
      }
      writes.push({
        index,
        outcome: {
          commandId: ack.commandId,
          gateId: ack.gateId,
          result: ack.result,
          // Written by the gate: a NUL in it would fail the batch on PostgreSQL, and the ack be retried for good.
          reason: ack.result === 'ok' ? null : storableText(ack.reason),
          ackedAt: receivedAt,
          gateAt: ack.at,
          latencyMs: Math.max(0, receivedAt - issuedAt),
        },
      });
    }
    let changed: number[];
    if (writes.length === 1) changed = [await repo.settleAcked.changed(this.db, writes[0]!.outcome)];
    else if (writes.length > 1)
      changed = await transaction(this.db, async (trx) => {
        const counts: number[] = [];
        for (const write of writes) counts.push(await repo.settleAcked.changed(trx, write.outcome));
        return counts;
      });
    else changed = [];

    const touched = new Set<string>();
    for (const [i, write] of writes.entries()) {
      const { commandId, gateId, result, latencyMs } = write.outcome;
      if (changed[i]! > 0) {
        outcomes[write.index] = 'applied';
        this.deps.metrics.commandResult(result, latencyMs);
        this.forget(commandId, gateId);
        touched.add(commandId);
        continue;
      }
      const state = await repo.resultState.first(this.db, { commandId, gateId });
      if (!state) {
        outcomes[write.index] = 'unknown';
        continue;
      }
      // Settled elsewhere (another instance, the sweep): this instance's count must not wait for it.
      if (this.forget(commandId, gateId)) touched.add(commandId);
      outcomes[write.index] =
        state.result === 'timeout' && (await this.applyLate(write.outcome)) ? 'late' : 'duplicate';
    }
    for (const commandId of touched) await this.completeIfDone(commandId);
    return batch.map((_, i) => outcomes[i] ?? 'unknown');
  }

  /** An ack after the timeout replaces `timeout` with what the gate did, flagged late and audited. */
  private async applyLate(outcome: repo.AckedResult): Promise<boolean> {
    const changed = await auditedTransaction(this.db, async (trx) => {
      if ((await repo.settleLateAck.changed(trx, outcome)) === 0) return false;
      await recordAudit(
        trx,
        {
          actor: SYSTEM_ACTOR,
          action: 'gate_command.late_ack',
          entity: 'gate_command',
          entityId: outcome.commandId,
          after: { gateId: outcome.gateId, result: outcome.result, reason: outcome.reason },
        },
        outcome.ackedAt,
      );
      return true;
    });
    return changed;
  }

  private async issuedAtOf(commandId: string): Promise<number | undefined> {
    const open = this.open.get(commandId);
    if (open) return open.issuedAt;
    const cached = this.issuedAtCache.get(commandId);
    if (cached !== undefined) return cached;
    const row = await repo.issuedAt.first(this.db, { id: commandId });
    if (!row) return undefined;
    if (this.issuedAtCache.size >= ISSUED_AT_CACHE) this.issuedAtCache.clear();
    this.issuedAtCache.set(commandId, row.issued_at);
    return row.issued_at;
  }

  /** Drops a gate from the command's in-memory pending set; true when that set is now empty or not kept here. */
  private forget(commandId: string, gateId: string): boolean {
    const open = this.open.get(commandId);
    if (!open) return true;
    open.pending.delete(gateId);
    return open.pending.size === 0;
  }

  /**
   * Completes the command when nothing of it is pending. For a command issued here the in-memory set says when
   * that may be so (no query per ack); for others the database does. The completion itself always checks the
   * database.
   */
  private async completeIfDone(commandId: string): Promise<void> {
    const open = this.open.get(commandId);
    if (open ? open.pending.size > 0 : (await repo.pendingCount(this.db, commandId)) > 0) return;
    try {
      await this.complete(commandId);
    } catch (error) {
      // The results are stored; the sweep completes the command on its next round.
      this.deps.logger.error({ err: error, commandId }, 'command completion failed');
    }
  }

  /** Marks the command complete and logs its outcome, if nothing of it is pending and nobody did it yet. */
  private async complete(commandId: string): Promise<void> {
    const at = this.now();
    const outcome = await auditedTransaction(this.db, async (trx) => {
      if ((await repo.pendingCount(trx, commandId)) > 0) return 'pending' as const;
      if (!(await repo.markCompleted(trx, commandId, at))) return 'already' as const;
      const results = await repo.resultsOf(trx, [commandId]);
      const byResult: Record<string, string[]> = {};
      for (const r of results) {
        const gates = byResult[r.result] ?? [];
        gates.push(r.gate_id);
        byResult[r.result] = gates;
      }
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
      return 'completed' as const;
    });
    if (outcome !== 'pending') this.open.delete(commandId);
    if (outcome === 'completed') this.emit('completed', commandId);
  }

  /** Moves one result out of `pending` outside the ack path (a publish that failed). */
  private async settleUnsent(commandId: string, gateId: string, reason: string): Promise<void> {
    const changed = await repo.settleResult(this.db, { commandId, gateId }, 'pending', {
      result: 'error',
      reason,
    });
    if (!changed) return;
    this.deps.metrics.commandResult('error', null);
    this.forget(commandId, gateId);
    await this.completeIfDone(commandId);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
