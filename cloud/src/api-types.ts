/**
 * The API's types for the web console (`@scenic/cloud/api-types`), read from the same zod schemas and services that
 * validate and answer the requests, so the console cannot drift from the API without a compile error. Types only:
 * the console imports nothing of the cloud's code (import rule `console-takes-only-types-from-cloud`).
 */
import type { z } from 'zod';
import type { meSchema } from './platform/auth/schemas.js';

export type { CommandAction, DecisionReason, GateMode, MessageType } from '@scenic/protocol';
export type { CommLogRow as CommLogEntry } from './modules/comm-log/repo.js';
export type { DailyGateSummary as CommLogDay } from './modules/comm-log/service.js';
export type { CommandView } from './modules/commands/schemas.js';
export type { CommandTargetInput as CommandTarget } from './modules/commands/targets.js';
export type { GateStatusView as GateStatus } from './modules/gate-status/routes.js';
export type { OccupancyAlert, OccupancyFigure, SiteOccupancy } from './modules/occupancy/service.js';
export type { PassageItem, PassageSummary } from './modules/passages/schemas.js';
export type { Gate, Site, Zone } from './modules/venues/schemas.js';
export type { WhitelistLag } from './modules/whitelist-sync/lag.js';
export type { Permission } from './platform/permissions.js';

export type Me = z.infer<typeof meSchema>;
