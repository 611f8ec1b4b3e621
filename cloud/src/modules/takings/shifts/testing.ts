/**
 * Shift and settlement tests: the app over a container whose services read a clock the test moves (a shift spans
 * midnight, a day is closed and the next one begins), with the seed roles signed in, the park of
 * tickets/testing.ts, a second window and as many extra cashiers as a test wants. Every sale, refund and supplement
 * goes through the real routes, so the takings journal is written exactly as in production.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { App } from '../../../app.js';
import { buildApp } from '../../../app.js';
import { type Config, loadConfig } from '../../../config.js';
import { type Container, createContainer } from '../../../container.js';
import type { DatabaseBackend, TestDatabase } from '../../../db/testing.js';
import { seedRoles } from '../../../platform/auth/roles-seed.js';
import {
  createRoleOperators,
  insertTestOperator,
  type TestOperator,
} from '../../../platform/auth/testing.js';
import type { SeedRole } from '../../../platform/permissions.js';
import { silentLogger } from '../../../testing/app.js';
import { SYSTEM_CONTEXT, seedVenue, TYPES } from '../../tickets/testing.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Whose request: a seed role's operator, or a token of an extra cashier. */
export type Who = SeedRole | { readonly token: string };

export interface ShiftTestEnv {
  readonly app: App;
  readonly container: Container;
  readonly test: TestDatabase;
  readonly config: Config;
  readonly operators: Readonly<Record<SeedRole, TestOperator>>;
  /** The services' clock (epoch ms); tests move it. */
  clock: number;
  headers(who: Who): { authorization: string };
  call(
    who: Who,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Like `call`, expecting `status`; answers the JSON body. */
  ok<T = Record<string, unknown>>(
    who: Who,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    status?: number,
  ): Promise<T>;
  /** Another active cashier, signed in. */
  addCashier(username: string): Promise<{ id: string; token: string }>;
  /** The clock's date in the park's zone (Asia/Shanghai). */
  today(): string;
  sell(who: Who, options?: SaleOptions): Promise<SaleAnswer>;
  refund(who: Who, saleId: string, ticketIds: number[], windowId?: string): Promise<{ id: string }>;
  dispose(): Promise<void>;
}

export interface SaleOptions {
  readonly windowId?: string;
  readonly quantity?: number;
  readonly typeId?: number;
  readonly payments?: readonly { method: string; amountFen: number }[];
}

export interface SaleAnswer {
  readonly id: string;
  readonly totalFen: number;
  readonly tickets: readonly { ticketId: number }[];
}

let keySeq = 0;
const newKey = () => `shift-${process.pid}-${++keySeq}`;

export async function createShiftTestEnv(
  backend: DatabaseBackend,
  env: Readonly<Record<string, string>> = {},
): Promise<ShiftTestEnv> {
  const test = await backend.create();
  const config = loadConfig({
    DATABASE_URL: test.url,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    CREDENTIAL_SECRET: 'shift-secret-shift-secret-shift-secret!',
    ...env,
  });
  await seedRoles(test.database.db);
  const operators = await createRoleOperators(test, config);
  await seedVenue(test.database.db);
  const state = { test, config, operators, clock: Date.now() } as ShiftTestEnv;
  const container = await createContainer({
    config,
    database: test.database,
    logger: silentLogger,
    now: () => state.clock,
  });
  await container.services.venues.createWindow(
    'park',
    { id: 'W02', name: { zh: '二号窗口', en: 'Window 2' }, active: true },
    SYSTEM_CONTEXT,
  );
  const app = await buildApp(container, { console: false });
  const headers = (who: Who) => ({
    authorization: `Bearer ${typeof who === 'string' ? operators[who].token : who.token}`,
  });
  const call: ShiftTestEnv['call'] = (who, method, url, payload, extra = {}) =>
    app.inject({ method, url, headers: { ...headers(who), ...extra }, ...(payload && { payload }) });
  Object.assign(state, {
    app,
    container,
    headers,
    call,
    ok: async (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, status = 200) => {
      const response = await call(who, method, url, payload);
      expect(response.statusCode, `${method} ${url} → ${response.body}`).toBe(status);
      return response.json();
    },
    addCashier: async (username: string) => {
      const password = `password-${username}`;
      const id = await insertTestOperator(test.database.db, username, 'cashier', { password });
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
      });
      expect(login.statusCode, login.body).toBe(200);
      return { id, token: login.json().token as string };
    },
    today: () => new Date(state.clock + 8 * HOUR_MS).toISOString().slice(0, 10),
    sell: async (who: Who, options: SaleOptions = {}) => {
      const quantity = options.quantity ?? 1;
      const typeId = options.typeId ?? TYPES.adult;
      const response = await call(
        who,
        'POST',
        '/api/v1/sales',
        {
          siteId: 'park',
          windowId: options.windowId ?? 'W01',
          lines: [{ typeId, quantity, visitDate: state.today() }],
          payments: options.payments ?? [{ method: 'cash', amountFen: quantity * 10_000 }],
        },
        { 'idempotency-key': newKey() },
      );
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as SaleAnswer;
    },
    refund: async (who: Who, saleId: string, ticketIds: number[], windowId?: string) => {
      const response = await call(
        who,
        'POST',
        '/api/v1/refunds',
        { saleId, ticketIds, ...(windowId && { windowId }) },
        { 'idempotency-key': newKey() },
      );
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { id: string };
    },
    dispose: async () => {
      await app.close();
      await test.dispose();
    },
  });
  // Refunds and supplements of any size go through without a second operator: the tests are about the money.
  await state.ok('admin', 'PUT', '/api/v1/auth/second-approval', { thresholdFen: 100_000_000 });
  return state;
}

/** Midnight starting `date` in Asia/Shanghai. */
export function shanghaiMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

/** The idempotency key a test's own supplement or sale call needs. */
export function idempotencyKey(): { 'idempotency-key': string } {
  return { 'idempotency-key': newKey() };
}
