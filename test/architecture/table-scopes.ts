/**
 * Table ownership as written in the cloud's source (cloud/src/db/scoped.ts): a module's scope is declared with
 * `ownedTables<…>()` in its tables.ts only (db/schema.ts declares app_meta's), and every join across owners is a
 * `readModel<…>()` call site. table-scopes.test.ts holds the list of those call sites, so a new cross-owner statement
 * is added there deliberately.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface SourceFile {
  /** Relative to cloud/src, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

export interface TableScopes {
  /** `path: tables` of each `ownedTables<…>()` call outside a tables.ts or db/schema.ts. */
  readonly strayScopes: string[];
  /** `path: tables` of each `readModel<…>()` call, tables sorted, the list sorted. */
  readonly readModels: string[];
}

/** Where scopes are defined: the functions themselves, not calls. */
const DEFINITIONS = new Set(['db/scoped.ts']);

export function isScopeFile(path: string): boolean {
  return path === 'db/schema.ts' || path === 'tables.ts' || path.endsWith('/tables.ts');
}

/** Production sources only: no tests and no test helpers (testing.ts, testing/…). */
export function isProductionSource(path: string): boolean {
  if (!path.endsWith('.ts') || path.endsWith('.d.ts')) return false;
  if (path.endsWith('.test.ts')) return false;
  const parts = path.split('/');
  return !parts.some((part) => part === 'testing' || part === 'testing.ts');
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
}

function tablesOf(typeArguments: string): string {
  return typeArguments
    .split('|')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .sort()
    .join(' | ');
}

export function scanTableScopes(files: readonly SourceFile[]): TableScopes {
  const strayScopes: string[] = [];
  const readModels: string[] = [];
  for (const file of files) {
    if (!isProductionSource(file.path) || DEFINITIONS.has(file.path)) continue;
    const code = withoutComments(file.text);
    for (const match of code.matchAll(/\bownedTables\s*<([^>]*)>\s*\(/g))
      if (!isScopeFile(file.path)) strayScopes.push(`${file.path}: ${tablesOf(match[1]!)}`);
    for (const match of code.matchAll(/\breadModel\s*<([^>]*)>\s*\(/g))
      readModels.push(`${file.path}: ${tablesOf(match[1]!)}`);
  }
  return { strayScopes: strayScopes.sort(), readModels: readModels.sort() };
}

/** Every .ts file under `root` (cloud/src), paths relative to it. */
export function readSources(root: string): SourceFile[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((path) => path.endsWith('.ts'))
    .map((path) => ({
      path: relative(root, join(root, path)).split(sep).join('/'),
      text: readFileSync(join(root, path), 'utf8'),
    }));
}
