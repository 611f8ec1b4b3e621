/** The architecture check's findings as text a person reads in `npm test`'s output: grouped by rule. */
import type { ArchitectureResult } from './check.js';

export function formatViolations(result: ArchitectureResult): string {
  const { violations, comments } = result;
  if (violations.length === 0) {
    return `architecture: ${result.filesCruised} files, ${result.importsCruised} imports, every import rule kept`;
  }
  const byRule = new Map<string, typeof violations>();
  for (const violation of violations) {
    const list = byRule.get(violation.rule) ?? [];
    byRule.set(violation.rule, list);
    list.push(violation);
  }
  const lines: string[] = [];
  for (const [rule, list] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push('', `✗ ${rule} (${list.length}): ${comments.get(rule) ?? ''}`);
    for (const violation of list) {
      lines.push(`    ${violation.from} → ${violation.to}`);
      if (violation.cycle) {
        const more = violation.moreImports
          ? ` (and ${violation.moreImports} more import${violation.moreImports > 1 ? 's' : ''} between the two)`
          : '';
        lines.push(`        closes ${violation.cycle.map(shortNode).join(' → ')}${more}`);
      }
    }
  }
  lines.push(
    '',
    `architecture: ${violations.length} imports break the rules in .dependency-cruiser.cjs ` +
      `(${byRule.size} rule${byRule.size > 1 ? 's' : ''}; ${result.filesCruised} files cruised)`,
  );
  return lines.join('\n');
}

function shortNode(node: string): string {
  return node.replace(/^cloud\/src\/(modules\/)?/, '');
}
