/**
 * `npm run --silent profile:summary -- FILE.cpuprofile [PATTERN]`: where a CPU profile (as `BENCH_PROFILE`
 * writes it) spends its time. Prints the functions by self time, then by inclusive time (a function counted
 * once per sample however often it recurs), each as a share of the profile, native frames named with their caller; PATTERN (a regular expression over
 * `name file:line`) filters the inclusive list. The README's shares of server time come from this.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function main(): void {
  const [file, pattern] = process.argv.slice(2);
  if (!file) throw new Error('Usage: npm run --silent profile:summary -- FILE.cpuprofile [PATTERN]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const place = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-3).join('/')}:${node.callFrame.lineNumber}`;
  // Native frames (better-sqlite3's `run`, `get`…) are named with their caller: `run` under the commit is the
  // COMMIT, under a projection an insert.
  const label = (node: ProfileNode): string => {
    const parent = parents.get(node.id);
    return node.callFrame.url === '' && parent !== undefined ? `${node.callFrame.functionName} < ${place(nodes.get(parent)!)}` : place(node);
  };

  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + profile.timeDeltas[index]));
  const total = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const node = nodes.get(id)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + time);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const name = label(nodes.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + time);
    }
  }
  const share = (time: number) => `${((100 * time) / total).toFixed(1).padStart(5)} %`;
  const filter = pattern ? new RegExp(pattern) : /dist\//;
  console.log(`${(total / 1000).toFixed(0)} ms profiled`);
  console.log('by self time:');
  for (const [name, time] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${share(time)}  ${name}`);
  console.log(`by inclusive time${pattern ? ` (matching ${pattern})` : ' (the project\'s own code)'}:`);
  for (const [name, time] of [...inclusive].filter(([name]) => filter.test(name)).sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${share(time)}  ${name}`);
}

main();
