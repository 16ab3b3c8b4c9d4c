/**
 * Dependency order of variables. A cycle is a catalogue error, reported with the whole loop
 * (`a → b → c → a`) because the author has to break it somewhere and needs to see where.
 */

export class DependencyCycleError extends Error {
  override readonly name = 'DependencyCycleError';
  constructor(readonly cycle: string[]) {
    super(`variables depend on each other in a cycle: ${cycle.join(' → ')}`);
  }
}

/**
 * Depth-first topological order: every name comes after the names it depends on. Names are
 * visited in the given order so the result is deterministic.
 */
export function topologicalOrder(
  names: readonly string[],
  dependencies: ReadonlyMap<string, readonly string[]>,
): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const path: string[] = [];
  const visit = (name: string): void => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      throw new DependencyCycleError([...path.slice(path.indexOf(name)), name]);
    }
    state.set(name, 'visiting');
    path.push(name);
    for (const dependency of dependencies.get(name) ?? []) visit(dependency);
    path.pop();
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name);
  return order;
}

/** The names reachable from `roots` (roots included), in `order`. */
export function closure(
  roots: Iterable<string>,
  dependencies: ReadonlyMap<string, readonly string[]>,
  order: readonly string[],
): string[] {
  const needed = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (needed.has(name)) continue;
    needed.add(name);
    stack.push(...(dependencies.get(name) ?? []));
  }
  return order.filter((name) => needed.has(name));
}
