/**
 * The API's types for the web console (`@scenic/cloud/api-types`), read from the same zod schemas and services that
 * validate and answer the requests, so the console cannot drift from the API without a compile error. Types only:
 * the console imports nothing of the cloud's code (import rule `console-takes-only-types-from-cloud`).
 */
import type { z } from 'zod';
import type { meSchema } from './platform/auth/schemas.js';

export type { GateStatus } from './modules/gate-status/hub.js';
export type { OccupancyAlert, OccupancyFigure, SiteOccupancy } from './modules/occupancy/service.js';
export type { Permission } from './platform/permissions.js';

export type Me = z.infer<typeof meSchema>;
