/**
 * `no-module-cycle`: an import cycle between cloud modules, or between a module and the cloud's infrastructure.
 *
 * dependency-cruiser finds cycles file by file, but modules form a cycle as soon as sales imports anything of
 * refunds and refunds anything of sales, through whichever files. So the file graph is folded: every file of a
 * module (`cloud/src/modules/<name>/…`) becomes one node, every file of an infrastructure area (`db/`, `mqtt/`,
 * …) one node, any other file (app.ts, config.ts, modules/index.ts, …) stays a node of its own. Every node-level
 * edge inside a strongly connected component lies on a cycle; each such edge that touches a module is reported
 * with one import that makes it and the shortest way back.
 */
import type { IModule } from 'dependency-cruiser';

export interface ModuleCycleOptions {
  /** Where the graph lives (matched against the file path relative to the root). */
  scope: RegExp;
  /** Each pattern's match (from the start of the path) is one node: a module or an infrastructure area. */
  nodes: RegExp[];
  /** Which nodes are modules: a cycle is reported when it passes through one. */
  modules: RegExp;
  /** Files whose imports are left out: test code, and db/schema.ts (the union of all modules' table types). */
  ignoreFrom: RegExp[];
}

export interface CycleEdge {
  /** One import that makes this edge (file → file). */
  from: string;
  to: string;
  /** Other imports that make the same node-level edge. */
  moreImports: number;
  /** The cycle, node by node, starting and ending at the node of `from`. */
  cycle: string[];
}

export function findModuleCycles(modules: IModule[], options: ModuleCycleOptions): CycleEdge[] {
  const nodeOf = (file: string): string => {
    for (const pattern of options.nodes) {
      const match = pattern.exec(file);
      if (match?.index === 0) return match[0].replace(/\/$/, '');
    }
    return file;
  };
  // node → node → the imports (file pairs) that make that edge, in the order dependency-cruiser lists them
  const edges = new Map<string, Map<string, [string, string][]>>();
  for (const module of modules) {
    if (!options.scope.test(module.source) || options.ignoreFrom.some((re) => re.test(module.source)))
      continue;
    const from = nodeOf(module.source);
    for (const dependency of module.dependencies) {
      if (dependency.couldNotResolve || !options.scope.test(dependency.resolved)) continue;
      const to = nodeOf(dependency.resolved);
      if (to === from) continue;
      const targets = edges.get(from) ?? new Map<string, [string, string][]>();
      edges.set(from, targets);
      const imports = targets.get(to) ?? [];
      targets.set(to, imports);
      imports.push([module.source, dependency.resolved]);
    }
  }

  const found: CycleEdge[] = [];
  for (const component of stronglyConnected(edges)) {
    if (component.size < 2) continue;
    for (const from of [...component].sort()) {
      for (const [to, imports] of [...(edges.get(from) ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
        if (!component.has(to) || !(options.modules.test(from) || options.modules.test(to))) continue;
        const [first] = imports;
        if (!first) continue;
        found.push({
          from: first[0],
          to: first[1],
          moreImports: imports.length - 1,
          cycle: [from, ...shortestPath(edges, component, to, from)],
        });
      }
    }
  }
  return found;
}

/** Tarjan's algorithm, iterative (the graph is small, but recursion depth should not depend on it). */
function stronglyConnected(edges: Map<string, Map<string, unknown>>): Set<string>[] {
  const nodes = new Set<string>();
  for (const [from, targets] of edges) {
    nodes.add(from);
    for (const to of targets.keys()) nodes.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: Set<string>[] = [];
  let counter = 0;

  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; targets: Iterator<string> }[] = [];
    const visit = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, targets: (edges.get(node) ?? new Map()).keys() });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const next = frame.targets.next();
      if (!next.done) {
        const to = next.value;
        if (!index.has(to)) visit(to);
        else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = new Set<string>();
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.add(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** Breadth-first, inside one component: the nodes from `start` to `goal`, both included. */
function shortestPath(
  edges: Map<string, Map<string, unknown>>,
  component: Set<string>,
  start: string,
  goal: string,
): string[] {
  const previous = new Map<string, string>([[start, start]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === goal) break;
    for (const to of [...(edges.get(node)?.keys() ?? [])].sort()) {
      if (!component.has(to) || previous.has(to)) continue;
      previous.set(to, node);
      queue.push(to);
    }
  }
  const path = [goal];
  while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
  return path;
}
