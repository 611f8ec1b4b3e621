/**
 * The API's types for the web console (`@scenic/cloud/api-types`), read from the same zod schemas and services that
 * validate and answer the requests, so the console cannot drift from the API without a compile error. Types only:
 * the console imports nothing of the cloud's code (import rule `console-takes-only-types-from-cloud`).
 */
import type { z } from 'zod';
import type { query as auditQuery, entrySchema, verificationSchema } from './modules/audit/schemas.js';
import type {
  createBody as createOperatorBody,
  operatorSchema,
  permissionListSchema,
  roleSchema,
} from './modules/operators/schemas.js';
import type { createTicketTypeSchema } from './modules/ticket-types/schemas.js';
import type { meSchema } from './platform/auth/schemas.js';

export type { GateBroker } from './modules/gate-access/broker-info.js';
export type { CredentialInfo as GateCredential, IssuedCredential } from './modules/gate-access/service.js';
export type { GateStatus } from './modules/gate-status/hub.js';
export type { OccupancyAlert, OccupancyFigure, SiteOccupancy } from './modules/occupancy/service.js';
export type { SigningKey } from './modules/signing-keys/schemas.js';
export type { TicketType } from './modules/ticket-types/schemas.js';
export type {
  CreateGate,
  CreateSite,
  CreateWindow,
  CreateZone,
  Gate,
  Site,
  TicketWindow,
  UpdateGate,
  UpdateSite,
  UpdateWindow,
  UpdateZone,
  Zone,
} from './modules/venues/schemas.js';
export type { Permission } from './platform/permissions.js';

export type Me = z.infer<typeof meSchema>;
export type Operator = z.infer<typeof operatorSchema>;
export type CreateOperator = z.input<typeof createOperatorBody>;
export type Role = z.infer<typeof roleSchema>;
export type PermissionInfo = z.infer<typeof permissionListSchema>[number];
export type AuditEntry = z.infer<typeof entrySchema>;
export type AuditQuery = z.input<typeof auditQuery>;
export type AuditVerification = z.infer<typeof verificationSchema>;
/** The body of POST /api/v1/ticket-types (omitted definition fields take the kind's defaults). */
export type CreateTicketType = z.input<typeof createTicketTypeSchema>;
