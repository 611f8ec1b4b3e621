/**
 * Group-order tests: the app over a container whose services read a clock the test moves (holds lapse, cut-offs
 * pass, visit days end), with the seed roles signed in, the park of tickets/testing.ts, and a small in-memory agency
 * ledger standing in for the agencies module where a test needs one.
 */
import type { App } from '../../app.js';
import { buildApp } from '../../app.js';
import { type Config, loadConfig } from '../../config.js';
import { type Container, createContainer } from '../../container.js';
import type { DatabaseBackend, TestDatabase } from '../../db/testing.js';
import { seedRoles } from '../../platform/auth/roles-seed.js';
import { createRoleOperators, type TestOperator } from '../../platform/auth/testing.js';
import { AppError } from '../../platform/errors.js';
import type { SeedRole } from '../../platform/permissions.js';
import { silentLogger } from '../../testing/app.js';
import type { AgencyAccounts, AgencyPaymentMode, OrderMoney } from '../agencies/contract.js';
import { seedVenue } from '../tickets/testing.js';
import { GroupOrdersService } from './service.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export interface GroupTestEnv {
  readonly app: App;
  readonly container: Container;
  readonly test: TestDatabase;
  readonly config: Config;
  readonly operators: Readonly<Record<SeedRole, TestOperator>>;
  as(role: SeedRole): { authorization: string };
  /** The services' clock (epoch ms); tests move it. */
  clock: number;
  dispose(): Promise<void>;
}

export async function createGroupTestEnv(
  backend: DatabaseBackend,
  env: Readonly<Record<string, string>> = {},
): Promise<GroupTestEnv> {
  const test = await backend.create();
  const config = loadConfig({
    DATABASE_URL: test.url,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    CREDENTIAL_SECRET: 'group-secret-group-secret-group-secret!',
    ...env,
  });
  await seedRoles(test.database.db);
  const operators = await createRoleOperators(test, config);
  await seedVenue(test.database.db);
  const state: GroupTestEnv = {
    test,
    config,
    operators,
    clock: Date.now(),
    as: (role) => ({ authorization: `Bearer ${operators[role].token}` }),
    dispose: async () => {
      await state.app.close();
      await test.dispose();
    },
  } as GroupTestEnv;
  const container = await createContainer({
    config,
    database: test.database,
    logger: silentLogger,
    now: () => state.clock,
  });
  Object.assign(state, { container, app: await buildApp(container, { console: false }) });
  return state;
}

/** A group-orders service over the env's services and clock that uses `agencies` as its agency ledger. */
export function serviceWithAgencies(env: GroupTestEnv, agencies: AgencyAccounts): GroupOrdersService {
  const { services } = env.container;
  return new GroupOrdersService(
    env.test.database.db,
    {
      ...services,
      maxChangeFen: env.config.cash.maxChangeFen,
      policy: env.config.groupOrders,
      agencies,
    },
    () => env.clock,
  );
}

/** The local date `days` after today in Asia/Shanghai (the test park's zone). */
export function shanghaiDate(days: number, from: number = Date.now()): string {
  return new Date(from + 8 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);
}

/** Midnight starting `date` in Asia/Shanghai. */
export function shanghaiMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

/**
 * An agency ledger in memory with the contract's rules (balance, credit limit, window payers refused): enough to
 * check how orders move money. It is not transactional — the real agencies service is, and replaces it.
 */
export class FakeAgencies implements AgencyAccounts {
  readonly entries: (OrderMoney & { kind: string })[] = [];
  readonly agencies = new Map<string, { mode: AgencyPaymentMode; balanceFen: number; prices: number }>();
  readonly operators = new Map<string, string>();

  async orderTerms(_db: unknown, agencyId: string, lines: readonly { typeId: number }[]) {
    const agency = this.agencies.get(agencyId);
    if (!agency)
      throw new AppError('NOT_FOUND', { resource: { 'zh-CN': '旅行社', en: 'Agency' }, id: agencyId });
    return { agencyId, paymentMode: agency.mode, unitPricesFen: lines.map(() => agency.prices) };
  }

  async debit(_db: unknown, money: OrderMoney & { kind: 'order_debit' | 'fee' }) {
    const agency = this.agencies.get(money.agencyId)!;
    if (agency.mode === 'window') throw new Error('AGENCY_PAYS_AT_WINDOW');
    if (agency.mode === 'prepaid' && agency.balanceFen < money.amountFen)
      throw new Error('AGENCY_BALANCE_SHORT');
    agency.balanceFen -= money.amountFen;
    this.entries.push(money);
  }

  async credit(_db: unknown, money: OrderMoney & { kind: 'cancellation_credit' | 'refund_credit' }) {
    this.agencies.get(money.agencyId)!.balanceFen += money.amountFen;
    this.entries.push(money);
  }

  async agencyOfOperator(operatorId: string) {
    return this.operators.get(operatorId) ?? null;
  }
}
