/**
 * Who a command is for: one gate, a zone, a site, or every site. Resolved against the gate registry at the moment
 * of issuing, so an emergency open for a zone reaches every active gate the registry places in that zone — whatever
 * zone an out-of-date gate config may still name.
 */

import { z } from 'zod';
import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import {
  assertSiteInScope,
  assertSiteVisible,
  coversAllSites,
  type SiteScope,
} from '../../platform/site-scope.js';
import { activeGates, gateFacts, siteExists, zoneExists } from '../venues/reads.js';
import { venueIdSchema } from '../venues/schemas.js';
import { RESOURCES } from '../venues/service.js';

export const commandTargetInputSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('gate'), gateId: venueIdSchema }),
    z.strictObject({ kind: z.literal('zone'), siteId: venueIdSchema, zoneId: venueIdSchema }),
    z.strictObject({ kind: z.literal('site'), siteId: venueIdSchema }),
    z.strictObject({ kind: z.literal('all') }),
  ])
  .describe('指令目标：单台闸机、区域、景区或全部景区 / One gate, a zone, a site, or every site');
export type CommandTargetInput = z.output<typeof commandTargetInputSchema>;

export interface TargetGate {
  readonly gateId: string;
  readonly siteId: string;
  readonly zoneId: string;
}

export function describeTarget(target: CommandTargetInput): string {
  switch (target.kind) {
    case 'gate':
      return `gate ${target.gateId}`;
    case 'zone':
      return `zone ${target.siteId}/${target.zoneId}`;
    case 'site':
      return `site ${target.siteId}`;
    case 'all':
      return 'all sites';
  }
}

/**
 * Refuses a target outside the issuer's sites (platform/site-scope.ts): a gate of another site is not found, as it
 * is everywhere else; a zone or site of another one, or every site, is SITE_FORBIDDEN.
 */
export async function assertTargetInScope(
  db: Connection,
  target: CommandTargetInput,
  scope: SiteScope,
): Promise<void> {
  if (coversAllSites(scope)) return;
  switch (target.kind) {
    case 'gate': {
      const gate = await gateFacts(db, target.gateId);
      assertSiteVisible(
        scope,
        gate?.site_id,
        () => new AppError('NOT_FOUND', { resource: RESOURCES.gate, id: target.gateId }),
      );
      return;
    }
    case 'zone':
    case 'site':
      assertSiteInScope(scope, target.siteId);
      return;
    case 'all':
      throw new AppError('SITE_FORBIDDEN');
  }
}

export async function resolveTarget(db: Connection, target: CommandTargetInput): Promise<TargetGate[]> {
  let filter: { gateId?: string; siteId?: string; zoneId?: string } = {};
  switch (target.kind) {
    case 'gate':
      if (!(await gateFacts(db, target.gateId)))
        throw new AppError('NOT_FOUND', { resource: RESOURCES.gate, id: target.gateId });
      filter = { gateId: target.gateId };
      break;
    case 'zone':
      if (!(await zoneExists(db, target.siteId, target.zoneId)))
        throw new AppError('NOT_FOUND', {
          resource: RESOURCES.zone,
          id: `${target.siteId}/${target.zoneId}`,
        });
      filter = { siteId: target.siteId, zoneId: target.zoneId };
      break;
    case 'site':
      if (!(await siteExists(db, target.siteId)))
        throw new AppError('NOT_FOUND', { resource: RESOURCES.site, id: target.siteId });
      filter = { siteId: target.siteId };
      break;
    case 'all':
      break;
  }
  const gates = (await activeGates(db, filter)).map((gate) => ({
    gateId: gate.id,
    siteId: gate.site_id,
    zoneId: gate.zone_id,
  }));
  if (gates.length === 0) throw new AppError('COMMAND_NO_GATES', { target: describeTarget(target) });
  return gates;
}
