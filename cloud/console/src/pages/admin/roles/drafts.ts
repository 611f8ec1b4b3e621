/**
 * The roles matrix's unsaved edits: per role, the permission list as ticked. A draft equal to the saved list is
 * dropped, so "unsaved" means a real difference.
 */
export type Drafts = Readonly<Record<string, readonly string[]>>;

interface RoleLike {
  readonly code: string;
  readonly permissions: readonly string[];
}

function same(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((item) => left.has(item));
}

export function draftChanged(role: RoleLike, draft: readonly string[] | undefined): boolean {
  return draft !== undefined && !same(draft, role.permissions);
}

export function toggled(drafts: Drafts, role: RoleLike, permission: string, on: boolean): Drafts {
  const current = new Set(drafts[role.code] ?? role.permissions);
  if (on) current.add(permission);
  else current.delete(permission);
  const next = [...current].sort();
  const { [role.code]: _old, ...rest } = drafts;
  return same(next, role.permissions) ? rest : { ...rest, [role.code]: next };
}
