/**
 * The commands API's rules: issuing needs the MQTT side (503 otherwise) and may wait, bounded by the command's own
 * expiry plus the ack grace, for the gates' acks or timeouts; reading works from the database alone.
 */

import type { Connection } from '../../db/scoped.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import { ACK_GRACE_MS, type CommandDispatcher, type IssueCommand } from './dispatcher.js';
import * as repo from './repo.js';
import type { CommandView } from './schemas.js';
import { assertTargetInScope } from './targets.js';

const SWEEP_SLACK_MS = 2_000;
const RESOURCE = { 'zh-CN': '闸机指令', en: 'Gate command' } as const;

export class CommandsService {
  constructor(
    private readonly db: Connection,
    /** The dispatcher runs on the MQTT side, which starts after the services (and not at all in route tests). */
    private readonly dispatcher: () => CommandDispatcher | undefined,
  ) {}

  async issue(input: IssueCommand, waitMs: number, context: ChangeContext): Promise<CommandView> {
    const scope = context.sites ?? ALL_SITES;
    await assertTargetInScope(this.db, input.target, scope);
    const dispatcher = this.dispatcher();
    if (!dispatcher) throw new AppError('MQTT_UNAVAILABLE');
    const id = await dispatcher.issue(input, context);
    // Up to the moment the last gate counts as timed out, plus slack for the sweep that records it.
    await dispatcher.waitSettled(id, Math.min(waitMs, input.ttlMs + ACK_GRACE_MS + SWEEP_SLACK_MS));
    return this.get(id, scope);
  }

  /** A command out of `scope` (repo.findCommand) is not found. */
  async get(id: string, scope: SiteScope = ALL_SITES): Promise<CommandView> {
    const command = await repo.findCommand(this.db, id, scope);
    if (!command) throw new AppError('NOT_FOUND', { resource: RESOURCE, id });
    return viewOf(command, await repo.resultsOf(this.db, [id]));
  }

  async list(
    filter: { siteId?: string; from?: number; to?: number },
    page: { limit: number; offset: number },
    scope: SiteScope = ALL_SITES,
  ): Promise<{ items: CommandView[]; total: number }> {
    const { rows, total } = await repo.listCommands(this.db, filter, page, scope);
    const results = await repo.resultsOf(
      this.db,
      rows.map((r) => r.id),
    );
    return {
      items: rows.map((row) =>
        viewOf(
          row,
          results.filter((r) => r.command_id === row.id),
        ),
      ),
      total,
    };
  }
}

function viewOf(row: repo.CommandRow, results: repo.ResultRow[]): CommandView {
  const summary = { gates: results.length, pending: 0, ok: 0, rejected: 0, error: 0, timeout: 0 };
  for (const r of results) summary[r.result]++;
  return {
    id: row.id,
    action: JSON.parse(row.action_json),
    target: targetOf(row),
    issuedBy: { id: row.issued_by_id, username: row.issued_by_username },
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    completedAt: row.completed_at,
    status: row.completed_at === null ? 'pending' : 'completed',
    summary,
    results: results.map((r) => ({
      gateId: r.gate_id,
      siteId: r.site_id,
      zoneId: r.zone_id,
      result: r.result,
      reason: r.reason,
      wasOnline: r.was_online === null ? null : r.was_online === 1,
      ackedAt: r.acked_at,
      gateAt: r.gate_at,
      latencyMs: r.latency_ms,
      late: r.late === 1,
    })),
  };
}

function targetOf(row: repo.CommandRow): CommandView['target'] {
  switch (row.target_kind) {
    case 'gate':
      return { kind: 'gate', gateId: row.target_gate_id ?? '' };
    case 'zone':
      return { kind: 'zone', siteId: row.target_site_id ?? '', zoneId: row.target_zone_id ?? '' };
    case 'site':
      return { kind: 'site', siteId: row.target_site_id ?? '' };
    case 'all':
      return { kind: 'all' };
  }
}
