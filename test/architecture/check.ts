/**
 * The architecture check: the import rules of .dependency-cruiser.cjs plus `no-module-cycle` (module-cycles.ts),
 * over one tree. `npm run arch` runs it on the repository (cli.ts); architecture.test.ts on small planted trees.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { findModuleCycles } from './module-cycles.js';
import { checkPackageManifests } from './package-manifests.js';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
export const configFile = join(repositoryRoot, '.dependency-cruiser.cjs');
/** The folders cruised, where they exist. */
const scanned = ['protocol', 'cloud', 'gate-agent', 'simulators', 'test'];

/** The two rules dependency-cruiser does not check: hidden keys of the config (see its bottom). */
interface ExtraRules {
  moduleCycles: {
    name: string;
    comment: string;
    scope: string;
    nodes: string[];
    modules: string;
    ignoreFrom: string[];
  };
  packageManifests: {
    name: string;
    comment: string;
    allowed: Record<string, string[]>;
    devOnly: string[];
    ours: string;
  };
}

export interface Violation {
  rule: string;
  from: string;
  to: string;
  /** no-module-cycle: the cycle this import is part of, node by node (modules and infrastructure areas). */
  cycle?: string[];
  /** no-module-cycle: how many other imports make the same module-to-module edge. */
  moreImports?: number;
}

export interface ArchitectureResult {
  violations: Violation[];
  /** Rule name → why the rule exists (from the config). */
  comments: Map<string, string>;
  filesCruised: number;
  importsCruised: number;
}

/** Runs every rule over the tree at `root` (a checkout, or a planted fixture with the same layout). */
export async function checkArchitecture(root: string = repositoryRoot): Promise<ArchitectureResult> {
  const options = await extractDepcruiseOptions(configFile);
  const tsConfigFile = join(root, options.tsConfig?.fileName ?? 'tsconfig.json');
  const output = await cruise(
    scanned.filter((folder) => existsSync(join(root, folder))),
    { ...options, tsConfig: { fileName: tsConfigFile }, baseDir: root, validate: true, outputType: 'json' },
    undefined,
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  const result: ICruiseResult =
    typeof output.output === 'string' ? JSON.parse(output.output) : (output.output as ICruiseResult);

  const violations: Violation[] = result.summary.violations.map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.to,
  }));
  const { moduleCycles: cycles, packageManifests: manifests } = createRequire(import.meta.url)(
    configFile,
  ) as ExtraRules;
  for (const edge of findModuleCycles(result.modules, {
    scope: new RegExp(cycles.scope),
    nodes: cycles.nodes.map((pattern) => new RegExp(pattern)),
    modules: new RegExp(cycles.modules),
    ignoreFrom: cycles.ignoreFrom.map((pattern) => new RegExp(pattern)),
  })) {
    violations.push({ rule: cycles.name, ...edge });
  }
  for (const listed of checkPackageManifests(root, { ...manifests, ours: new RegExp(manifests.ours) })) {
    violations.push({ rule: manifests.name, ...listed });
  }

  const comments = new Map<string, string>([
    [cycles.name, cycles.comment],
    [manifests.name, manifests.comment],
  ]);
  for (const rule of options.ruleSet?.forbidden ?? []) {
    if (rule.name) comments.set(rule.name, rule.comment ?? '');
  }
  return {
    violations,
    comments,
    filesCruised: result.summary.totalCruised,
    importsCruised: result.summary.totalDependenciesCruised ?? 0,
  };
}
