/**
 * The architecture check fails on each kind of import the rules forbid: every case plants one kind into a clean
 * copy of a tiny repository with this one's layout (fixture.ts) and expects exactly the rules named to fire, on
 * exactly those imports. The clean tree itself passes.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArchitecture } from './check.js';
import { cleanTree, type Files, makeFixtureParent, packageJson, writeFixture } from './fixture.js';
import { formatViolations } from './report.js';

type Expected = [rule: string, from: string, to: string][];

const parent = makeFixtureParent();
afterAll(() => rmSync(parent, { recursive: true, force: true }));

async function violationsOf(changes: Files): Promise<Expected> {
  const result = await checkArchitecture(writeFixture(parent, changes));
  return result.violations
    .map((violation): Expected[number] => [violation.rule, violation.from, violation.to])
    .sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}

const sorted = (expected: Expected): Expected =>
  [...expected].sort((a, b) => a.join(' ').localeCompare(b.join(' ')));

describe('architecture check', () => {
  it('passes the clean tree, having cruised every file in it', async () => {
    const result = await checkArchitecture(writeFixture(parent));
    expect(result.violations).toEqual([]);
    const sources = Object.keys(cleanTree).filter((path) => path.endsWith('.ts'));
    expect(result.filesCruised).toBeGreaterThanOrEqual(sources.length);
    expect(formatViolations(result)).toMatch(/every import rule kept/);
  });

  const cases: { kind: string; plant: Files; expected: Expected }[] = [
    {
      kind: 'an import cycle between two cloud modules (type-only imports count)',
      plant: {
        'cloud/src/modules/sales/refund-link.ts':
          "import type { RefundsService } from '../refunds/service.js';\nexport type Link = RefundsService;\n",
      },
      expected: [
        ['no-module-cycle', 'cloud/src/modules/refunds/service.ts', 'cloud/src/modules/sales/service.ts'],
        ['no-module-cycle', 'cloud/src/modules/sales/refund-link.ts', 'cloud/src/modules/refunds/service.ts'],
      ],
    },
    {
      kind: 'an import cycle between cloud modules through a file outside the modules',
      plant: {
        'cloud/src/modules/sales/price.ts': "export { refundable } from '../../pricing.js';\n",
        'cloud/src/pricing.ts':
          "import type { RefundsService } from './modules/refunds/service.js';\nexport const refundable = (r?: RefundsService) => !r;\n",
      },
      expected: [
        ['no-module-cycle', 'cloud/src/modules/refunds/service.ts', 'cloud/src/modules/sales/service.ts'],
        ['no-module-cycle', 'cloud/src/modules/sales/price.ts', 'cloud/src/pricing.ts'],
        ['no-module-cycle', 'cloud/src/pricing.ts', 'cloud/src/modules/refunds/service.ts'],
      ],
    },
    {
      kind: 'mqtt importing a module that uses mqtt (infrastructure points at modules)',
      plant: {
        'cloud/src/mqtt/runtime.ts':
          "import { SalesService } from '../modules/sales/service.js';\nexport const services = [SalesService];\n",
      },
      expected: [
        ['infrastructure-not-to-modules', 'cloud/src/mqtt/runtime.ts', 'cloud/src/modules/sales/service.ts'],
      ],
    },
    {
      kind: "a module importing another module's repository",
      plant: {
        'cloud/src/modules/refunds/sale-lookup.ts':
          "import { SalesRepo } from '../sales/repo.js';\nexport const lookup = new SalesRepo();\n",
      },
      expected: [
        [
          'no-foreign-repo-or-tables',
          'cloud/src/modules/refunds/sale-lookup.ts',
          'cloud/src/modules/sales/repo.ts',
        ],
      ],
    },
    {
      kind: "a module importing another module's table types (tables.ts and *-tables.ts)",
      plant: {
        'cloud/src/modules/refunds/report.ts':
          "import type { SalesLedgerTables } from '../sales/ledger-tables.js';\n" +
          "import type { SalesTables } from '../sales/tables.js';\nexport type Report = SalesTables & SalesLedgerTables;\n",
      },
      expected: [
        [
          'no-foreign-repo-or-tables',
          'cloud/src/modules/refunds/report.ts',
          'cloud/src/modules/sales/ledger-tables.ts',
        ],
        [
          'no-foreign-repo-or-tables',
          'cloud/src/modules/refunds/report.ts',
          'cloud/src/modules/sales/tables.ts',
        ],
      ],
    },
    {
      kind: 'db/schema.ts importing more of a module than its table types',
      plant: {
        'cloud/src/db/schema.ts': `${cleanTree['cloud/src/db/schema.ts']}export type { SalesService } from '../modules/sales/service.js';\n`,
      },
      expected: [['no-schema-beyond-tables', 'cloud/src/db/schema.ts', 'cloud/src/modules/sales/service.ts']],
    },
    {
      kind: 'a module or the infrastructure importing the composition root',
      plant: {
        'cloud/src/modules/sales/boot.ts': "import '../../cli/admin.js';\n",
        'cloud/src/platform/boot.ts': "export { buildApp } from '../app.js';\n",
      },
      expected: [
        ['composition-root-on-top', 'cloud/src/modules/sales/boot.ts', 'cloud/src/cli/admin.ts'],
        ['composition-root-on-top', 'cloud/src/platform/boot.ts', 'cloud/src/app.ts'],
        ['no-module-cycle', 'cloud/src/cli/admin.ts', 'cloud/src/modules/sales/repo.ts'],
        ['no-module-cycle', 'cloud/src/modules/sales/boot.ts', 'cloud/src/cli/admin.ts'],
      ],
    },
    {
      kind: 'protocol importing another workspace, in production code or in a test',
      plant: {
        'protocol/src/gate.ts':
          "import type { GateCore } from '@scenic/gate-agent';\nexport type Gate = GateCore;\n",
        'protocol/src/gate.test.ts':
          "import { startBroker } from '@scenic/testkit';\nexport default startBroker;\n",
      },
      expected: [
        ['protocol-imports-nothing-of-ours', 'protocol/src/gate.test.ts', 'test/support/index.ts'],
        ['protocol-imports-nothing-of-ours', 'protocol/src/gate.ts', 'gate-agent/src/index.ts'],
      ],
    },
    {
      kind: 'protocol doing I/O through Node built-ins',
      plant: {
        'protocol/src/keys-file.ts':
          "import { readFile } from 'node:fs/promises';\nimport { hostname } from 'node:os';\n" +
          'export const load = () => readFile(hostname());\n',
      },
      expected: [
        ['protocol-does-no-io', 'protocol/src/keys-file.ts', 'fs/promises'],
        ['protocol-does-no-io', 'protocol/src/keys-file.ts', 'os'],
      ],
    },
    {
      kind: 'cloud importing gate-agent',
      plant: {
        'cloud/src/modules/sales/gate.ts':
          "import type { GateCore } from '@scenic/gate-agent';\nexport type Gate = GateCore;\n",
      },
      expected: [['cloud-not-to-gate-agent', 'cloud/src/modules/sales/gate.ts', 'gate-agent/src/index.ts']],
    },
    {
      kind: 'gate-agent importing cloud',
      plant: {
        'gate-agent/src/cloud-link.ts':
          "import type { config } from '../../cloud/src/config.js';\nexport type CloudConfig = typeof config;\n",
      },
      expected: [
        ['gate-agent-not-to-cloud', 'gate-agent/src/cloud-link.ts', 'cloud/src/config.ts'],
        ['workspace-by-package-name', 'gate-agent/src/cloud-link.ts', 'cloud/src/config.ts'],
      ],
    },
    {
      kind: 'gate-agent importing simulators (a dynamic import, and in a test)',
      plant: {
        'gate-agent/src/main.ts': "export const simulated = () => import('@scenic/simulators');\n",
        'gate-agent/src/core/virtual.test.ts': "export { simulate } from '@scenic/simulators';\n",
      },
      expected: [
        ['gate-agent-not-to-simulators', 'gate-agent/src/core/virtual.test.ts', 'simulators/src/index.ts'],
        ['gate-agent-not-to-simulators', 'gate-agent/src/main.ts', 'simulators/src/index.ts'],
      ],
    },
    {
      kind: "simulators importing the cloud's code (in production code or in a bench)",
      plant: {
        'simulators/src/fleet/database.ts': "export { open } from '../../../cloud/src/db/database.js';\n",
        'simulators/bench/cloud.bench.ts':
          "export { openTestDatabase } from '../../cloud/src/db/testing.js';\n",
      },
      expected: [
        ['simulators-not-to-cloud', 'simulators/bench/cloud.bench.ts', 'cloud/src/db/testing.ts'],
        ['simulators-not-to-cloud', 'simulators/src/fleet/database.ts', 'cloud/src/db/database.ts'],
        ['workspace-by-package-name', 'simulators/bench/cloud.bench.ts', 'cloud/src/db/testing.ts'],
        ['workspace-by-package-name', 'simulators/src/fleet/database.ts', 'cloud/src/db/database.ts'],
      ],
    },
    {
      kind: 'production code importing @scenic/testkit or the root test/ folder',
      plant: {
        'gate-agent/src/link/broker.ts': "export { startBroker } from '@scenic/testkit';\n",
        'simulators/src/fleet/flow.ts': "export { default } from '../../../test/e2e/flow.test.js';\n",
      },
      expected: [
        ['production-not-to-test', 'gate-agent/src/link/broker.ts', 'test/support/index.ts'],
        ['production-not-to-test', 'simulators/src/fleet/flow.ts', 'test/e2e/flow.test.ts'],
      ],
    },
    {
      kind: 'production code importing a test helper',
      plant: {
        'cloud/src/modules/refunds/seed.ts': "export { aRefund } from './testing.js';\n",
      },
      expected: [
        [
          'production-not-to-test-helpers',
          'cloud/src/modules/refunds/seed.ts',
          'cloud/src/modules/refunds/testing.ts',
        ],
      ],
    },
    {
      kind: "a workspace importing another workspace's src/ by relative path",
      plant: {
        'simulators/src/codec.ts': "export type { Ticket } from '../../protocol/src/model.js';\n",
        'test/support/database.ts': "export { open } from '../../cloud/src/db/database.js';\n",
      },
      expected: [
        ['workspace-by-package-name', 'simulators/src/codec.ts', 'protocol/src/model.ts'],
        ['workspace-by-package-name', 'test/support/database.ts', 'cloud/src/db/database.ts'],
      ],
    },
    {
      kind: 'the console importing cloud code at run time, or by a relative path; the cloud importing the console',
      plant: {
        'cloud/console/src/sell.ts':
          "import { SalesService } from '@scenic/cloud/api-types';\nimport type { SalesRepo } from '../../src/modules/sales/repo.js';\n" +
          'export const sell = (repo: SalesRepo) => new SalesService(repo);\n',
        'cloud/src/api-types.ts': "export { SalesService } from './modules/sales/service.js';\n",
        'cloud/src/modules/sales/view.ts': "export { show } from '../../../console/src/show.js';\n",
      },
      expected: [
        ['console-takes-only-types-from-cloud', 'cloud/console/src/sell.ts', 'cloud/src/api-types.ts'],
        ['workspace-by-package-name', 'cloud/console/src/sell.ts', 'cloud/src/modules/sales/repo.ts'],
        ['cloud-not-to-console', 'cloud/src/modules/sales/view.ts', 'cloud/console/src/show.ts'],
      ],
    },
    {
      kind: "an import past a package's exports, which the check could not follow",
      plant: {
        'simulators/src/deep.ts': "export { GateCore } from '@scenic/gate-agent/src/core/gate-core.js';\n",
      },
      expected: [['resolvable', 'simulators/src/deep.ts', '@scenic/gate-agent/src/core/gate-core.js']],
    },
    {
      kind: 'a package.json listing a workspace against the direction, or the testkit outside devDependencies',
      plant: {
        'gate-agent/package.json': packageJson('@scenic/gate-agent', {
          exports: { '.': './src/index.ts' },
          dependencies: ['@scenic/protocol'],
          devDependencies: ['@scenic/simulators', '@scenic/testkit'],
        }),
        'cloud/package.json': packageJson('@scenic/cloud', {
          exports: { './api-types': './src/api-types.ts' },
          dependencies: ['@scenic/protocol', '@scenic/testkit'],
        }),
      },
      expected: [
        ['packages-point-one-way', 'cloud/package.json', '@scenic/testkit (dependencies)'],
        ['packages-point-one-way', 'gate-agent/package.json', '@scenic/simulators (devDependencies)'],
      ],
    },
  ];

  for (const { kind, plant, expected } of cases) {
    it(`fails on ${kind}`, async () => {
      expect(await violationsOf(plant)).toEqual(sorted(expected));
    });
  }

  it('prints the broken rules with why they exist', async () => {
    const result = await checkArchitecture(
      writeFixture(parent, {
        'cloud/src/modules/sales/refund-link.ts':
          "export type { RefundsService } from '../refunds/service.js';\n",
      }),
    );
    expect(formatViolations(result).split('\n')).toEqual([
      '',
      expect.stringMatching(/^✗ no-module-cycle \(2\): Cloud modules do not import each other in a circle/),
      '    cloud/src/modules/refunds/service.ts → cloud/src/modules/sales/service.ts',
      '        closes refunds → sales → refunds',
      '    cloud/src/modules/sales/refund-link.ts → cloud/src/modules/refunds/service.ts',
      '        closes sales → refunds → sales',
      '',
      expect.stringMatching(
        /^architecture: 2 imports break the rules in \.dependency-cruiser\.cjs \(1 rule;/,
      ),
    ]);
  });
});
