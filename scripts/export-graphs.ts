/**
 * `npx tsx scripts/export-graphs.ts [--check] [blueprint…]`: writes the graph of every built-in
 * blueprint (the registry's blueprints from `blueprints/plugin.ts`), or of the named ones, to
 * `blueprints/<id>/graph.mmd` (Mermaid) and `graph.json`, and rewrites `docs/blueprint-graphs.md`.
 * With `--check` it writes nothing and exits 1 when a file is missing or stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toGraphJson, toMermaid, type AnyBlueprint } from '../src/blueprint/index.js';
import { HARNESS } from '../src/cli/registry.js';
import { GRAPH_BLUEPRINTS, GRAPHS_DOC, graphsDocument, ROOT } from './readme-graphs.js';

/** The graph files of a blueprint: path relative to its folder → content. */
export function graphFiles(bp: AnyBlueprint): Record<string, string> {
  return { 'graph.mmd': toMermaid(bp), 'graph.json': `${JSON.stringify(toGraphJson(bp), null, 2)}\n` };
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((a) => !a.startsWith('--'));
let stale = 0;

/** Writes `content` to `file` unless it holds it already; with --check, counts and names the file as stale instead. */
function sync(file: string, content: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === content) return;
  if (check) {
    stale++;
    console.error(`stale: ${file}`);
  } else {
    writeFileSync(file, content);
    console.log(`wrote ${file}`);
  }
}

for (const id of GRAPH_BLUEPRINTS) {
  if (only.length > 0 && !only.includes(id)) continue;
  const bp = HARNESS.blueprints[id];
  if (bp === undefined) throw new Error(`no registered blueprint "${id}"`);
  for (const [name, content] of Object.entries(graphFiles(bp))) sync(join(ROOT, 'blueprints', id, name), content);
}
sync(GRAPHS_DOC, graphsDocument());
if (check && stale > 0) process.exitCode = 1;
