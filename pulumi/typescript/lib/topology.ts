/**
 * topology.ts — dependency order of service tiers.
 *
 * planWaves() groups tiers into waves: a tier's wave comes after the waves of everything it
 * depends on, and tiers of one wave are independent (the orchestrator migrates them in parallel).
 * A circular dependency is found before any resource is created and the error names the cycle.
 */
export interface Node {
  name: string;
  dependsOn: string[];
}

export class CircularDependencyError extends Error {
  constructor(readonly cycle: string[]) {
    super(`circular dependency between services: ${cycle.join(" -> ")}`);
  }
}

/** The first cycle found (as a closed path a -> b -> a), or undefined. Deterministic: names sorted. */
export function findCycle(nodes: Node[]): string[] | undefined {
  const deps = new Map(nodes.map((n) => [n.name, [...n.dependsOn].sort()]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "visiting");
    stack.push(name);
    for (const d of deps.get(name)!) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const n of [...deps.keys()].sort()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

/** Waves of tier names in dependency order; throws on unknown dependencies and cycles. */
export function planWaves(nodes: Node[]): string[][] {
  const names = new Set(nodes.map((n) => n.name));
  for (const n of nodes) {
    for (const d of n.dependsOn) {
      if (!names.has(d)) throw new Error(`service ${n.name} depends on unknown service ${d}`);
    }
  }
  const cycle = findCycle(nodes);
  if (cycle) throw new CircularDependencyError(cycle);
  const waves: string[][] = [];
  const placed = new Set<string>();
  while (placed.size < nodes.length) {
    const wave = nodes.filter((n) => !placed.has(n.name) && n.dependsOn.every((d) => placed.has(d))).map((n) => n.name).sort();
    wave.forEach((w) => placed.add(w));
    waves.push(wave);
  }
  return waves;
}

/** The wave (1-based) of every tier. */
export function waveOf(waves: string[][]): Record<string, number> {
  const out: Record<string, number> = {};
  waves.forEach((w, i) => w.forEach((n) => (out[n] = i + 1)));
  return out;
}
