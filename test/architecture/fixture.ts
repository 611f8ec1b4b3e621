/**
 * A tiny repository with this one's layout (workspaces, package names, exports, `.js` imports of `.ts` files) that
 * keeps every import rule, for architecture.test.ts to plant one violation at a time into. Each allowed import
 * here sits close to a forbidden one, so a rule that reaches too far fails the clean run.
 */
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Path (relative to the fixture root) → file content. */
export type Files = Record<string, string>;

export const packageJson = (
  name: string,
  more: { exports?: Record<string, string>; dependencies?: string[]; devDependencies?: string[] } = {},
): string => {
  const versions = (names: string[] = []) =>
    Object.fromEntries(names.map((dependency) => [dependency, '0.1.0']));
  return JSON.stringify({
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    ...(more.exports ? { exports: more.exports } : {}),
    dependencies: versions(more.dependencies),
    devDependencies: versions(more.devDependencies),
  });
};

export const cleanTree: Files = {
  'package.json': JSON.stringify({
    name: 'fixture',
    private: true,
    type: 'module',
    workspaces: ['protocol', 'cloud', 'cloud/console', 'gate-agent', 'simulators', 'test/support'],
  }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true },
    include: ['protocol', 'cloud', 'gate-agent', 'simulators', 'test'],
  }),

  'protocol/package.json': packageJson('@scenic/protocol', { exports: { '.': './src/index.ts' } }),
  'protocol/src/index.ts': "export * from './model.js';\nexport { sign } from './sign.js';\n",
  'protocol/src/model.ts': 'export interface Ticket { id: string }\n',
  // crypto is computation, not I/O
  'protocol/src/sign.ts':
    "import { createHash } from 'node:crypto';\nexport const sign = (s: string) => createHash('sha256').update(s).digest();\n",
  // tests and benches of the protocol may read files and time things
  'protocol/src/model.test.ts':
    "import { readFileSync } from 'node:fs';\nimport type { Ticket } from './model.js';\nexport const t: Ticket = JSON.parse(readFileSync('x', 'utf8'));\n",
  'protocol/bench/sign.bench.ts':
    "import { performance } from 'node:perf_hooks';\nimport { sign } from '../src/sign.js';\nsign(String(performance.now()));\n",

  'cloud/package.json': packageJson('@scenic/cloud', {
    exports: { './api-types': './src/api-types.ts' },
    dependencies: ['@scenic/protocol'],
    devDependencies: ['@scenic/testkit'],
  }),
  'cloud/src/api-types.ts':
    "import type { SalesService } from './modules/sales/service.js';\nexport type Sale = ReturnType<SalesService['sell']>;\n",
  // the console reads the API's types, type-only, through the cloud's package exports
  'cloud/console/package.json': packageJson('@scenic/console', { devDependencies: ['@scenic/cloud'] }),
  'cloud/console/src/main.tsx':
    "import type { Sale } from '@scenic/cloud/api-types';\nimport { show } from './show.js';\nexport const render = (s: Sale) => show(s);\n",
  'cloud/console/src/show.ts': 'export const show = (value: unknown) => String(value);\n',
  'cloud/src/main.ts': "import { buildApp } from './app.js';\nbuildApp();\n",
  'cloud/src/app.ts':
    "import { config } from './config.js';\nimport { buildContainer } from './container.js';\n" +
    "import { publish } from './mqtt/bus.js';\nimport { salesRoutes } from './modules/sales/routes.js';\n" +
    'export const buildApp = () => salesRoutes({ config, publish }, buildContainer().sales);\n',
  // the composition root builds every repository and service
  'cloud/src/container.ts':
    "import { RefundsRepo } from './modules/refunds/repo.js';\nimport { RefundsService } from './modules/refunds/service.js';\n" +
    "import { SalesRepo } from './modules/sales/repo.js';\nimport { SalesService } from './modules/sales/service.js';\n" +
    'export const buildContainer = () => {\n  const sales = new SalesService(new SalesRepo());\n' +
    '  return { sales, refunds: new RefundsService(new RefundsRepo(), sales) };\n};\n' +
    'export type Container = ReturnType<typeof buildContainer>;\n',
  'cloud/src/cli/admin.ts': "import { SalesRepo } from '../modules/sales/repo.js';\nnew SalesRepo();\n",
  'cloud/src/config.ts': 'export const config = { port: 8080 };\n',
  // the one union of every module's table types
  'cloud/src/db/schema.ts':
    "import type { RefundsTables } from '../modules/refunds/tables.js';\nimport type { SalesLedgerTables } from '../modules/sales/ledger-tables.js';\n" +
    "import type { SalesTables } from '../modules/sales/tables.js';\nexport type Database = SalesTables & SalesLedgerTables & RefundsTables;\n",
  'cloud/src/db/database.ts': 'export const open = () => ({});\n',
  'cloud/src/db/testing.ts': "import { open } from './database.js';\nexport const openTestDatabase = open;\n",
  'cloud/src/platform/errors.ts': 'export class AppError extends Error {}\n',
  'cloud/src/mqtt/bus.ts': 'export const publish = (topic: string) => topic;\n',
  // test code may assemble modules the way the composition root does
  'cloud/src/mqtt/runtime.test.ts':
    "import { SalesService } from '../modules/sales/service.js';\nexport { SalesService };\n",
  'cloud/src/modules/module.ts':
    "import type { config } from '../config.js';\nimport type { publish } from '../mqtt/bus.js';\n" +
    'export interface ModuleContext { config: typeof config; publish: typeof publish }\n',

  'cloud/src/modules/sales/tables.ts': 'export interface SalesTables { sales: { id: string } }\n',
  'cloud/src/modules/sales/ledger-tables.ts':
    'export interface SalesLedgerTables { ledger: { id: string } }\n',
  'cloud/src/modules/sales/repo.ts':
    "import type { Database } from '../../db/schema.js';\nimport type { SalesTables } from './tables.js';\n" +
    'export class SalesRepo { rows: SalesTables[] = []; db?: Database }\n',
  'cloud/src/modules/sales/service.ts':
    "import { type Ticket, sign } from '@scenic/protocol';\nimport { config } from '../../config.js';\n" +
    "import { publish } from '../../mqtt/bus.js';\nimport { AppError } from '../../platform/errors.js';\nimport type { SalesRepo } from './repo.js';\n" +
    'export class SalesService {\n  constructor(readonly repo: SalesRepo) {}\n' +
    '  sell(t: Ticket) { if (!config.port) throw new AppError(); publish(t.id); return sign(t.id); }\n}\n',
  'cloud/src/modules/sales/routes.ts':
    "import type { ModuleContext } from '../module.js';\nimport type { SalesService } from './service.js';\n" +
    'export const salesRoutes = (context: ModuleContext, sales: SalesService) => [context.config, sales];\n',
  'cloud/src/modules/sales/testing.ts': "export const aSale = { id: 's1' };\n",
  // a test may seed another module's table through its repository, and use any test support
  'cloud/src/modules/sales/service.test.ts':
    "import { openTestDatabase } from '../../db/testing.js';\nimport { RefundsRepo } from '../refunds/repo.js';\n" +
    "import { aRefund } from '../refunds/testing.js';\nimport { startBroker } from '@scenic/testkit';\n" +
    'export const setup = [openTestDatabase, RefundsRepo, aRefund, startBroker];\n',

  'cloud/src/modules/refunds/tables.ts': 'export interface RefundsTables { refunds: { id: string } }\n',
  'cloud/src/modules/refunds/repo.ts':
    "import type { RefundsTables } from './tables.js';\nexport class RefundsRepo { rows: RefundsTables[] = [] }\n",
  // another module's service is fine (sales does not import refunds)
  'cloud/src/modules/refunds/service.ts':
    "import type { SalesService } from '../sales/service.js';\nimport type { RefundsRepo } from './repo.js';\n" +
    'export class RefundsService {\n  constructor(readonly repo: RefundsRepo, readonly sales: SalesService) {}\n}\n',
  // a test helper may use another module's repository and test helpers
  'cloud/src/modules/refunds/testing.ts':
    "import { SalesRepo } from '../sales/repo.js';\nimport { aSale } from '../sales/testing.js';\n" +
    'export const aRefund = { sale: aSale, repo: new SalesRepo() };\n',
  'cloud/bench/sales.bench.ts':
    "import { startCloud } from '@scenic/testkit';\nimport { SalesRepo } from '../src/modules/sales/repo.js';\nexport default [startCloud, SalesRepo];\n",

  'gate-agent/package.json': packageJson('@scenic/gate-agent', {
    exports: { '.': './src/index.ts' },
    dependencies: ['@scenic/protocol'],
    devDependencies: ['@scenic/testkit'],
  }),
  'gate-agent/src/index.ts': "export { GateCore } from './core/gate-core.js';\n",
  'gate-agent/src/core/gate-core.ts':
    "import type { Ticket } from '@scenic/protocol';\nexport class GateCore { scan(t: Ticket) { return t.id; } }\n",
  'gate-agent/src/link/testing.ts':
    "import { startBroker } from '@scenic/testkit';\nexport const broker = startBroker;\n",
  'gate-agent/src/core/gate-core.test.ts':
    "import { broker } from '../link/testing.js';\nimport { GateCore } from './gate-core.js';\nexport default [broker, GateCore];\n",

  'simulators/package.json': packageJson('@scenic/simulators', {
    exports: { '.': './src/index.ts' },
    dependencies: ['@scenic/gate-agent', '@scenic/protocol'],
    devDependencies: ['@scenic/testkit'],
  }),
  'simulators/src/index.ts':
    "import { GateCore } from '@scenic/gate-agent';\nimport type { Ticket } from '@scenic/protocol';\n" +
    'export const simulate = (t: Ticket) => new GateCore().scan(t);\n',
  // the only way a simulator reaches the cloud: as a process
  'simulators/src/fleet/cloud-launch.ts':
    "import { spawn } from 'node:child_process';\nexport const launch = () => spawn(process.execPath, ['cloud/src/main.ts']);\n",
  'simulators/bench/fleet.bench.ts':
    "import { startCloud } from '@scenic/testkit';\nimport { simulate } from '../src/index.js';\nexport default [startCloud, simulate];\n",

  'test/support/package.json': packageJson('@scenic/testkit', {
    exports: { '.': './index.ts' },
    dependencies: ['@scenic/protocol'],
  }),
  'test/support/index.ts':
    "import type { Ticket } from '@scenic/protocol';\nexport const startBroker = () => 1;\nexport const startCloud = (t?: Ticket) => t;\n",
  // the root test folder holds cross-package tests that may look inside every workspace
  'test/e2e/flow.test.ts':
    "import { startCloud } from '@scenic/testkit';\nimport { buildApp } from '../../cloud/src/app.js';\n" +
    "import { GateCore } from '../../gate-agent/src/core/gate-core.js';\nexport default [startCloud, buildApp, GateCore];\n",
};

const links: Record<string, string> = {
  protocol: 'protocol',
  cloud: 'cloud',
  console: 'cloud/console',
  'gate-agent': 'gate-agent',
  simulators: 'simulators',
  testkit: 'test/support',
};

/** Writes the clean tree with `changes` on top (new files, or replaced ones) into a new temporary folder. */
export function writeFixture(parent: string, changes: Files = {}): string {
  const root = mkdtempSync(join(parent, 'tree-'));
  for (const [path, content] of Object.entries({ ...cleanTree, ...changes })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  // npm's workspace links, as `npm install` makes them
  mkdirSync(join(root, 'node_modules/@scenic'), { recursive: true });
  for (const [name, folder] of Object.entries(links)) {
    symlinkSync(join('../..', folder), join(root, 'node_modules/@scenic', name), 'dir');
  }
  return root;
}

export function makeFixtureParent(): string {
  // the real path: files resolve through symlinks, and must still land inside the fixture (macOS's /tmp is one)
  return realpathSync(mkdtempSync(join(tmpdir(), 'architecture-')));
}
