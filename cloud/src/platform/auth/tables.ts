/**
 * Table types for operators, roles, sessions and the sites an operator is limited to (migrations 20261125_1800xx,
 * 20261127_100000, 20261208_100000, 20261209_100100);
 * part of db/schema.ts's Database.
 */

import { ownedTables } from '../../db/scoped.js';
export interface AuthTables {
  operators: OperatorsTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  operator_roles: OperatorRolesTable;
  sessions: SessionsTable;
  operator_sites: OperatorSitesTable;
  login_address_attempts: LoginAddressAttemptsTable;
}

/**
 * Sign-in attempts per client address in its current one-minute window (migration 20261213_130000), shared by every
 * cloud instance on the database (attempt-limits.ts).
 */
export interface LoginAddressAttemptsTable {
  /** The normalised address (an IPv6 address per /64). */
  address: string;
  /** Epoch ms the window started. */
  window_started_at: number;
  attempts: number;
}

/** The only way to query these tables (db/scoped.ts). */
export const authTables = ownedTables<keyof AuthTables>();
export type AuthDb = ReturnType<typeof authTables>;

/** A person who signs in to the console or the API (售票员, 检票员, 财务, …). */
export interface OperatorsTable {
  id: string;
  /** Lower case; unique. */
  username: string;
  display_name: string;
  /** argon2id, PHC string format. Never leaves the auth layer. */
  password_hash: string;
  /** 0 or 1; an inactive operator cannot sign in and their sessions are revoked. */
  active: number;
  /** Wrong passwords since the last success or lock. */
  failed_logins: number;
  /** Epoch ms; sign-in refused until then. */
  locked_until: number | null;
  last_login_at: number | null;
  password_changed_at: number;
  /**
   * 0 or 1 (migration 20261127_100000); 1 while the password is one an administrator chose, until the operator
   * changes it: their sessions then reach only the sign-in routes (enforce.ts).
   */
  must_change_password: number;
  /**
   * Wrong second-approval credentials this operator typed in for someone else, in a row (migration 20261208_100000):
   * they count against the one who asks, never against the approver named.
   */
  failed_approvals: number;
  /** Epoch ms; this operator's second-approval attempts are refused (RATE_LIMITED) until then. */
  approvals_locked_until: number | null;
  created_at: number;
  updated_at: number;
}

/** A named set of permissions; the seed roles (platform/permissions.ts) are created at start-up and editable. */
export interface RolesTable {
  code: string;
  name_zh: string;
  name_en: string;
  created_at: number;
  updated_at: number;
}

export interface RolePermissionsTable {
  role_code: string;
  /** A key of PERMISSIONS. */
  permission: string;
}

export interface OperatorRolesTable {
  operator_id: string;
  role_code: string;
}

export interface SessionsTable {
  /** Hex SHA-256 of the opaque bearer / cookie token. */
  token_hash: string;
  operator_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  ip: string | null;
  user_agent: string | null;
  revoked_at: number | null;
}

/**
 * The sites an operator may see and change (per-site access, platform/site-scope.ts); an operator without rows
 * here works on every site. Owned here rather than by the operators module because every request's principal
 * carries it: the session is read by this layer, which knows no module.
 */
export interface OperatorSitesTable {
  operator_id: string;
  site_id: string;
}
