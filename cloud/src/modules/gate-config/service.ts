/**
 * Each gate's retained `gate_config` (protocol/README.md §3): its registry entry (zone, direction), its site's time
 * zone and active ticket types' rules (`toTicketTypeRules`), the QR signing public keys, and its own settings. The
 * version grows exactly when the content changes: `sync` builds every config, compares a fingerprint of the content
 * with the stored one and moves the version by one with a conditional update, so with several cloud instances one
 * of them wins each change and publishes it.
 */

import { createHash } from 'node:crypto';
import { type GateConfig, gateConfigSchema, MAX_SIGNING_KEYS } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import * as repo from './repo.js';
import { DEFAULT_GATE_SETTINGS, type GateSettings, settingsOf, type UpdateGateSettings } from './settings.js';
import { type GateConfigDb, gateConfigTables } from './tables.js';

const GATE: Localized = { 'zh-CN': '闸机', en: 'Gate' };

export interface SyncedConfig {
  readonly siteId: string;
  readonly config: GateConfig;
  /** True when this call wrote the version (the caller publishes it). */
  readonly changed: boolean;
}

export class GateConfigService {
  /** The last config built per gate, reused while its content and version stay. */
  private readonly parsed = new Map<
    string,
    { fingerprint: string; version: number; siteId: string; config: GateConfig }
  >();

  /**
   * Per gate, what its fingerprint was computed from last time (its own fields, its settings and its site's shared
   * part by generation): while that stays the same the fingerprint does, and the round costs a string compare
   * instead of serialising and hashing the whole config (the ticket types' rules dominate it) for every gate.
   */
  private readonly inputs = new Map<string, { input: string; fingerprint: string }>();
  /** Per site, the last shared part (rules and keys) as text and a generation that moves when it changes. */
  private readonly shared = new Map<string, { text: string; generation: number }>();

  private readonly db: GateConfigDb;

  constructor(
    db: Connection,
    private readonly types: TicketTypesService,
    private readonly now: () => number = Date.now,
  ) {
    this.db = gateConfigTables(db);
  }

  /** Every active gate's current config (of one site, or all), writing a new version where the content changed. */
  async sync(siteId?: string): Promise<SyncedConfig[]> {
    const gates = await repo.activeGates(this.db, siteId);
    if (gates.length === 0) return [];
    const keys = (await repo.publicKeys(this.db, MAX_SIGNING_KEYS))
      .map((key) => ({ keyId: key.key_id, publicKey: key.public_key }))
      .sort((a, b) => a.keyId - b.keyId);
    const rows = await repo.activeConfigRows(this.db, siteId);
    const rulesBySite = new Map<
      string,
      { rules: Awaited<ReturnType<TicketTypesService['gateRulesForSite']>>; generation: number }
    >();
    const out: SyncedConfig[] = [];
    for (const gate of gates) {
      let site = rulesBySite.get(gate.site_id);
      if (!site) {
        const rules = await this.types.gateRulesForSite(gate.site_id);
        site = { rules, generation: this.sharedGeneration(gate.site_id, rules, keys) };
        rulesBySite.set(gate.site_id, site);
      }
      const row = rows.get(gate.id);
      // Built only when needed: for a new fingerprint, or to parse a new version.
      const contentOf = () => ({
        type: 'gate_config' as const,
        v: 1 as const,
        gateId: gate.id,
        zoneId: gate.zone_id,
        direction: gate.direction,
        timeZone: gate.timezone,
        // Only when set: a site without one keeps the config (and its fingerprint) it had before the field existed.
        ...(gate.auto_checkout_at !== null && { autoCheckoutAt: gate.auto_checkout_at }),
        ...settingsOf(row?.settings_json),
        ticketTypes: site.rules,
        signingKeys: keys,
      });
      const input = JSON.stringify([
        gate.zone_id,
        gate.direction,
        gate.timezone,
        gate.auto_checkout_at,
        gate.site_id,
        row?.settings_json ?? null,
        site.generation,
      ]);
      const known = this.inputs.get(gate.id);
      const fingerprint =
        known?.input === input
          ? known.fingerprint
          : createHash('sha256').update(JSON.stringify(contentOf())).digest('hex');
      this.inputs.set(gate.id, { input, fingerprint });
      const key = { gateId: gate.id, siteId: gate.site_id };
      let version = row?.version ?? 0;
      let changed = false;
      if (row?.fingerprint !== fingerprint) {
        changed = await transaction(this.db, (trx) =>
          repo.bumpVersion(trx, key, version, fingerprint, this.now()),
        );
        if (changed) version += 1;
        else version = (await repo.configRow(this.db, gate.id))?.version ?? version;
      }
      if (version === 0) continue;
      // Parsed through the protocol schema, so a gate is never sent a config its own validation would refuse; the
      // same content and version parse the same, so that is done once per version, not every round.
      let parsed = this.parsed.get(gate.id);
      if (
        parsed?.fingerprint !== fingerprint ||
        parsed.version !== version ||
        parsed.siteId !== gate.site_id
      ) {
        parsed = {
          fingerprint,
          version,
          siteId: gate.site_id,
          config: gateConfigSchema.parse({ ...contentOf(), version }),
        };
        this.parsed.set(gate.id, parsed);
      }
      out.push({ siteId: gate.site_id, config: parsed.config, changed });
    }
    return out;
  }

  /** The generation of a site's shared part: the same while its rules and keys serialise the same. */
  private sharedGeneration(siteId: string, rules: unknown, keys: unknown): number {
    const text = JSON.stringify([rules, keys]);
    const last = this.shared.get(siteId);
    if (last?.text === text) return last.generation;
    const generation = (last?.generation ?? 0) + 1;
    this.shared.set(siteId, { text, generation });
    return generation;
  }

  /**
   * How often the gate was told to send its heartbeat: the `heartbeatSec` of the last config built for it (the
   * publisher builds every active gate's config each second), the default before one was built. Read from memory,
   * so a stream of status changes can carry it without a query per change.
   */
  heartbeatSecOf(gateId: string): number {
    return this.parsed.get(gateId)?.config.heartbeatSec ?? DEFAULT_GATE_SETTINGS.heartbeatSec;
  }

  /** Configs still retained on the broker for gates removed, deactivated or moved to another site. */
  async retired(): Promise<{ gateId: string; siteId: string; version: number }[]> {
    const rows = await repo.retiredConfigs.rows(this.db, {});
    return rows.map((row) => ({ gateId: row.gate_id, siteId: row.site_id, version: row.version }));
  }

  /** After its retained config was cleared on the broker; false when a new version was written meanwhile. */
  async markCleared(gate: { gateId: string; version: number }): Promise<boolean> {
    this.parsed.delete(gate.gateId);
    this.inputs.delete(gate.gateId);
    return (await repo.markCleared.changed(this.db, { ...gate, now: this.now() })) > 0;
  }

  /** The config a gate runs (or will run once connected). */
  /** A gate of a site out of `scope` is not found. */
  async get(gateId: string, scope: SiteScope = ALL_SITES): Promise<GateConfig> {
    const gate = await repo.findGate(this.db, gateId, scope);
    if (!gate) throw new AppError('NOT_FOUND', { resource: GATE, id: gateId });
    const found = (await this.sync(gate.site_id)).find((entry) => entry.config.gateId === gateId);
    if (!found) throw new AppError('NOT_FOUND', { resource: GATE, id: gateId });
    return found.config;
  }

  async settings(gateId: string, scope: SiteScope = ALL_SITES): Promise<GateSettings> {
    const gate = await repo.findGate(this.db, gateId, scope);
    if (!gate) throw new AppError('NOT_FOUND', { resource: GATE, id: gateId });
    return settingsOf((await repo.configRow(this.db, gateId))?.settings_json);
  }

  /** Changes a gate's own settings (audited); the publisher sends the new config version. */
  updateSettings(gateId: string, patch: UpdateGateSettings, context: ChangeContext): Promise<GateSettings> {
    return auditedTransaction(this.db, async (trx) => {
      const gate = await repo.findGate(trx, gateId, context.sites);
      if (!gate) throw new AppError('NOT_FOUND', { resource: GATE, id: gateId });
      const before = settingsOf((await repo.configRow(trx, gateId))?.settings_json);
      const after: GateSettings = { ...before, ...definedOnly(patch) };
      const now = this.now();
      await repo.saveSettings(trx, { gateId, siteId: gate.site_id }, JSON.stringify(after), now);
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'gate_config.update',
          entity: 'gate',
          entityId: gateId,
          before,
          after,
          ip: context.ip,
        },
        now,
      );
      return after;
    });
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
