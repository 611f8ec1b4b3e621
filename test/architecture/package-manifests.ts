/**
 * `packages-point-one-way`: each workspace's package.json lists only the workspaces it may import (and the test
 * support only as a dev dependency). The import rules see code; this sees what npm links, which is what lets a
 * forbidden import resolve at all and what a reader of package.json takes for the package's dependencies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageManifestOptions {
  /** Workspace folder → the package names of ours its package.json may list. */
  allowed: Record<string, string[]>;
  /** Ours, but listed only under devDependencies. */
  devOnly: string[];
  /** Which package names are ours. */
  ours: RegExp;
}

export interface ManifestViolation {
  /** The workspace's package.json, relative to the root. */
  from: string;
  /** The package listed, with where: `@scenic/simulators (devDependencies)`. */
  to: string;
}

const fields = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

export function checkPackageManifests(root: string, options: PackageManifestOptions): ManifestViolation[] {
  const found: ManifestViolation[] = [];
  for (const [folder, allowed] of Object.entries(options.allowed)) {
    const file = join(root, folder, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<
      Record<string, Record<string, string>>
    >;
    for (const field of fields) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        if (!options.ours.test(name)) continue;
        const wrongKind = field !== 'devDependencies' && options.devOnly.includes(name);
        if (!allowed.includes(name) || wrongKind) {
          found.push({ from: `${folder}/package.json`, to: `${name} (${field})` });
        }
      }
    }
  }
  return found;
}
