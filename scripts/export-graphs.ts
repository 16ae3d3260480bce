/**
 * `npx tsx scripts/export-graphs.ts [--check] [domain…]`: writes the graph of every registered
 * blueprint (`BLUEPRINTS` in `src/cli/registry.ts`), or of the named domains', to
 * `blueprints/<domain>/graph.mmd` (Mermaid) and `graph.json`. With `--check` it writes nothing
 * and exits 1 when a file is missing or stale. It also rewrites the README's graph section.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toGraphJson, toMermaid, type AnyBlueprint } from '../src/blueprint/index.js';
import { BLUEPRINTS } from '../src/cli/registry.js';
import { README, withGraphSection } from './readme-graphs.js';

/** The graph files of a blueprint: path relative to its folder → content. */
export function graphFiles(bp: AnyBlueprint): Record<string, string> {
  return { 'graph.mmd': toMermaid(bp), 'graph.json': `${JSON.stringify(toGraphJson(bp), null, 2)}\n` };
}

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((a) => !a.startsWith('--'));
let stale = 0;
for (const [domain, bp] of Object.entries(BLUEPRINTS)) {
  if (only.length > 0 && !only.includes(domain)) continue;
  for (const [name, content] of Object.entries(graphFiles(bp))) {
    const file = join(root, 'blueprints', domain, name);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === content) continue;
    if (check) {
      stale++;
      console.error(`stale: ${file}`);
    } else {
      writeFileSync(file, content);
      console.log(`wrote ${file}`);
    }
  }
}
if (!check) {
  const readme = readFileSync(README, 'utf8');
  const updated = withGraphSection(readme);
  if (updated !== readme) {
    writeFileSync(README, updated);
    console.log(`wrote ${README} (graph section)`);
  }
} else if (withGraphSection(readFileSync(README, 'utf8')) !== readFileSync(README, 'utf8')) {
  stale++;
  console.error(`stale: ${README} (graph section)`);
}
if (check && stale > 0) process.exitCode = 1;
