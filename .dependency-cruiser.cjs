/**
 * Import rules for the whole repository, checked by `npm run arch` (part of `npm test`) through
 * test/architecture/check.ts. ARCHITECTURE.md ("Import rules") says why each rule exists.
 *
 * Paths are relative to the repository root. "Test code" is `*.test.ts`, anything under a `bench/` folder,
 * test helpers named `testing.ts` or kept under a `testing/` folder, and the root `test/` folder; everything else is
 * production code.
 *
 * Two rules are not dependency-cruiser rules, but are checked from the same cruise by test/architecture/check.ts;
 * their settings are at the bottom of this file: `no-module-cycle` (an import cycle between cloud modules needs the
 * file graph folded into one node per module, which dependency-cruiser's cycle check, file by file, does not do)
 * and `packages-point-one-way` (the workspaces' package.json files).
 */

/** Test code, by file name (see above). */
const TEST_CODE = '(^|/)(test|bench|testing)/|\\.test\\.ts$|(^|/)testing\\.ts$';
/** Our workspaces; the private test-support workspace @scenic/testkit lives at test/support. */
const WORKSPACE = '(protocol|cloud/console|cloud(?!/console)|gate-agent|simulators|test/support)';
/** The cloud's infrastructure: what every module may use and what must not know any module. */
const INFRASTRUCTURE = '^cloud/src/(db|platform|mqtt)/';
/** Table type files a module owns (`tables.ts`, `*-tables.ts`); db/schema.ts gathers them into `Database`. */
const TABLE_TYPES = '(tables|[^/]+-tables)\\.ts$';
/**
 * A module's repository (`repo.ts`, `*-repo.ts`, a `repo/` folder; `repository` too) or its table types, at any
 * depth inside the module. No nested quantifiers: dependency-cruiser refuses patterns that could backtrack badly.
 */
const REPO_OR_TABLES =
  '^cloud/src/modules/.*/((repo|repository)(\\.ts$|/)|[^/]+-(repo|tables)\\.ts$|tables\\.ts$)';
/**
 * Node built-ins the protocol package may use: it does no I/O (no files, sockets, processes, threads, timers of
 * the OS, environment). Everything else under `node:` is refused.
 */
const PROTOCOL_BUILTINS = ['crypto', 'buffer', 'util', 'string_decoder'];

/** @type {import('dependency-cruiser').IConfiguration} */
const config = {
  forbidden: [
    {
      name: 'no-foreign-repo-or-tables',
      comment:
        "A module reads and writes only its own tables: another module's repository or table types are reached " +
        "through that module's service (or a narrow read interface it exports), never imported.",
      severity: 'error',
      from: { path: '^cloud/src/modules/([^/]+)/', pathNot: TEST_CODE },
      to: {
        path: REPO_OR_TABLES,
        pathNot: '^cloud/src/modules/$1/',
      },
    },
    {
      name: 'infrastructure-not-to-modules',
      comment:
        'db, platform and mqtt are used by modules and must not know them (or the two would form a cycle); ' +
        'services are wired together in the composition root (container.ts, app.ts, main.ts, cli/). ' +
        "Only db/schema.ts may import modules' table types, to build the one Database union.",
      severity: 'error',
      from: { path: INFRASTRUCTURE, pathNot: [TEST_CODE, '^cloud/src/db/schema\\.ts$'] },
      to: { path: '^cloud/src/modules/' },
    },
    {
      name: 'no-schema-beyond-tables',
      comment: "db/schema.ts gathers the modules' table types and nothing else from them.",
      severity: 'error',
      from: { path: '^cloud/src/db/schema\\.ts$' },
      to: { path: '^cloud/src/modules/', pathNot: `^cloud/src/modules/[^/]+/${TABLE_TYPES}` },
    },
    {
      name: 'composition-root-on-top',
      comment:
        'The composition root (container.ts, app.ts, main.ts, cli/) builds modules and infrastructure; ' +
        'they never import it back.',
      severity: 'error',
      from: { path: '^cloud/src/(modules|db|platform|mqtt)/', pathNot: TEST_CODE },
      to: { path: '^cloud/src/((container|app|main)\\.ts$|cli/)' },
    },
    {
      name: 'protocol-imports-nothing-of-ours',
      comment: 'protocol is the shared language of cloud and gates: it imports no other workspace.',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { path: '^(cloud|gate-agent|simulators|test)/' },
    },
    {
      name: 'protocol-does-no-io',
      comment: `protocol does no I/O: of the Node built-ins it may use only ${PROTOCOL_BUILTINS.join(', ')}.`,
      severity: 'error',
      from: { path: '^protocol/', pathNot: TEST_CODE },
      to: {
        dependencyTypes: ['core'],
        pathNot: `^(node:)?(${PROTOCOL_BUILTINS.join('|')})$`,
      },
    },
    {
      name: 'cloud-not-to-gate-agent',
      comment: 'cloud and gate-agent meet over MQTT only (the protocol package), never by import.',
      severity: 'error',
      from: { path: '^cloud/' },
      to: { path: '^gate-agent/' },
    },
    {
      name: 'gate-agent-not-to-cloud',
      comment: 'cloud and gate-agent meet over MQTT only (the protocol package), never by import.',
      severity: 'error',
      from: { path: '^gate-agent/' },
      to: { path: '^cloud/' },
    },
    {
      name: 'gate-agent-not-to-simulators',
      comment:
        'Packages point one way: simulators import the agent, never the reverse (not even in tests): a simulated ' +
        'gate is started from simulators.',
      severity: 'error',
      from: { path: '^gate-agent/' },
      to: { path: '^simulators/' },
    },
    {
      name: 'simulators-not-to-cloud',
      comment:
        'Simulators talk to the cloud over HTTP and MQTT like real gates and clients; a cloud they need is ' +
        "started as a process (@scenic/testkit's cloud launcher), never imported.",
      severity: 'error',
      from: { path: '^simulators/' },
      to: { path: '^cloud/' },
    },
    {
      name: 'console-takes-only-types-from-cloud',
      comment:
        "The web console (cloud/console) reads the API's types from the cloud's schemas and services, type-only: " +
        'nothing of the server (database, argon2, node:) may end up in the browser bundle. It talks to the cloud ' +
        'over HTTP only.',
      severity: 'error',
      from: { path: '^cloud/console/' },
      to: { path: '^cloud/src/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cloud-not-to-console',
      comment: "The cloud serves the console's build output as files; it never imports the console's code.",
      severity: 'error',
      from: { path: '^cloud/src/' },
      to: { path: '^cloud/console/' },
    },
    {
      name: 'production-not-to-test',
      comment:
        'Production code never imports the root test/ folder or @scenic/testkit (test/support); tests and ' +
        'benches do.',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: '^test/' },
    },
    {
      name: 'production-not-to-test-helpers',
      comment:
        'Production code never imports tests, benches or test helpers (testing.ts, testing/): what it needs ' +
        'moves out of the helper.',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE, pathNot: '^test/' },
    },
    {
      name: 'workspace-by-package-name',
      comment:
        "A workspace uses another workspace through its package name and exports (e.g. '@scenic/protocol'), " +
        'never by a relative path into its folder.',
      severity: 'error',
      from: { path: `^${WORKSPACE}/` },
      to: { dependencyTypes: ['local'], path: `^${WORKSPACE}/`, pathNot: '^$1/' },
    },
    {
      name: 'resolvable',
      comment:
        "Every import resolves (a deep import past a package's exports does not); an import the check cannot " +
        'follow would escape every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data|coverage)/' },
    // Type-only imports count: a module that imports another's table types depends on them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
  },
};

/*
 * Two more rules, checked by test/architecture/check.ts from the same cruise. Their settings are not enumerable:
 * dependency-cruiser refuses a config with keys it does not know.
 */

/** An import cycle between cloud modules (test/architecture/module-cycles.ts). */
Object.defineProperty(config, 'moduleCycles', {
  enumerable: false,
  value: {
    name: 'no-module-cycle',
    comment:
      'Cloud modules do not import each other in a circle (directly or through other cloud files): when two need ' +
      'each other, one receives the other through its context from the composition root.',
    /** The graph: files of the cloud's sources. */
    scope: '^cloud/src/',
    /**
     * Each match is one node: a cloud module, or an area of the infrastructure (cli/ is part of the composition
     * root). Any other file (app.ts, config.ts, modules/index.ts, …) is a node of its own.
     */
    nodes: ['^cloud/src/modules/[^/]+/', '^cloud/src/(db|platform|mqtt|cli)/'],
    /** A cycle is reported when it passes through a module. */
    modules: '^cloud/src/modules/[^/]+$',
    /**
     * Imports left out: test code assembles modules the way the composition root does; db/schema.ts only gathers
     * the modules' table types (no-schema-beyond-tables keeps it so); and an import from the infrastructure into a
     * module is infrastructure-not-to-modules' to report, so a cycle through db, platform or mqtt is broken there
     * and does not bury the cycles between modules. The module contract (modules/module.ts, modules/services.ts)
     * names every service's type for the composition root to fill: a route that receives its services through it
     * does not depend on the other modules' code, so imports out of the contract are not edges either.
     */
    ignoreFrom: [TEST_CODE, INFRASTRUCTURE, '^cloud/src/modules/(module|services)\\.ts$'],
  },
});

/**
 * The workspaces' package.json files point the way the imports do: protocol ← cloud; protocol ← gate-agent ←
 * simulators; @scenic/testkit only as a dev dependency (test/architecture/package-manifests.ts).
 */
Object.defineProperty(config, 'packageManifests', {
  enumerable: false,
  value: {
    name: 'packages-point-one-way',
    comment:
      'A workspace lists (in any kind of dependency) only the workspaces it may import, and @scenic/testkit only ' +
      'as a dev dependency: a dependency the code does not need still ties the packages together.',
    /** Workspace folder → the workspaces its package.json may list. */
    allowed: {
      protocol: [],
      cloud: ['@scenic/protocol', '@scenic/testkit'],
      'cloud/console': ['@scenic/cloud'],
      'gate-agent': ['@scenic/protocol', '@scenic/testkit'],
      simulators: ['@scenic/protocol', '@scenic/gate-agent', '@scenic/testkit'],
      'test/support': ['@scenic/protocol'],
    },
    /** Listed only under devDependencies. */
    devOnly: ['@scenic/testkit'],
    /** Names that are ours: anything else is a registry package and not this rule's business. */
    ours: '^@scenic/',
  },
});

module.exports = config;
