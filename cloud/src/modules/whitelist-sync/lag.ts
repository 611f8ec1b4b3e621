/**
 * Whitelist lag per gate: the site's feed head against the version each gate last reported (state on connect and
 * after changes, heartbeat every `heartbeatSec`), so the figure is as fresh as the last heartbeat.
 */
import { z } from 'zod';
import type { Connection } from '../../db/scoped.js';
import * as repo from './repo.js';

export const whitelistLagSchema = z
  .object({
    siteId: z.string(),
    head: z.number().int().describe('景区白名单最新版本 / The site’s latest whitelist version'),
    gates: z.array(
      z.object({
        gateId: z.string(),
        online: z.boolean(),
        reportedVersion: z
          .number()
          .int()
          .nullable()
          .describe('闸机上报的版本 / Version the gate last reported'),
        behind: z
          .number()
          .int()
          .nullable()
          .describe('落后的版本数，未上报为 null / Versions behind the head; null when never reported'),
      }),
    ),
  })
  .meta({ id: 'WhitelistLag' });
export type WhitelistLag = z.infer<typeof whitelistLagSchema>;

export async function whitelistLag(db: Connection, siteId: string): Promise<WhitelistLag> {
  const head = await repo.headOf(db, siteId);
  const rows = await repo.reportedVersions(db, siteId);
  return {
    siteId,
    head,
    gates: rows.map((row) => {
      const reported = row.version === null ? null : Number(row.version);
      return {
        gateId: row.gateId,
        online: row.online === 1,
        reportedVersion: reported,
        behind: reported === null ? null : Math.max(0, head - reported),
      };
    }),
  };
}
