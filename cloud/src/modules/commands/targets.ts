/**
 * Who a command is for: one gate, a zone, a site, or every site. Resolved against the gate registry at the moment
 * of issuing, so an emergency open for a zone reaches every active gate the registry places in that zone — whatever
 * zone an out-of-date gate config may still name.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
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

export async function resolveTarget(db: Kysely<Database>, target: CommandTargetInput): Promise<TargetGate[]> {
  let query = db
    .selectFrom('gates')
    .select(['id as gateId', 'site_id as siteId', 'zone_id as zoneId'])
    .where('active', '=', 1);
  switch (target.kind) {
    case 'gate': {
      const exists = await db
        .selectFrom('gates')
        .select('id')
        .where('id', '=', target.gateId)
        .executeTakeFirst();
      if (!exists) throw new AppError('NOT_FOUND', { resource: RESOURCES.gate, id: target.gateId });
      query = query.where('id', '=', target.gateId);
      break;
    }
    case 'zone': {
      const exists = await db
        .selectFrom('zones')
        .select('id')
        .where('site_id', '=', target.siteId)
        .where('id', '=', target.zoneId)
        .executeTakeFirst();
      if (!exists)
        throw new AppError('NOT_FOUND', {
          resource: RESOURCES.zone,
          id: `${target.siteId}/${target.zoneId}`,
        });
      query = query.where('site_id', '=', target.siteId).where('zone_id', '=', target.zoneId);
      break;
    }
    case 'site': {
      const exists = await db
        .selectFrom('sites')
        .select('id')
        .where('id', '=', target.siteId)
        .executeTakeFirst();
      if (!exists) throw new AppError('NOT_FOUND', { resource: RESOURCES.site, id: target.siteId });
      query = query.where('site_id', '=', target.siteId);
      break;
    }
    case 'all':
      break;
  }
  const gates = await query.orderBy('site_id').orderBy('id').execute();
  if (gates.length === 0) throw new AppError('COMMAND_NO_GATES', { target: describeTarget(target) });
  return gates;
}
