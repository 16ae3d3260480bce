/**
 * Boundaries that hold (in the spirit of zod's no-circular-imports test): every static and
 * dynamic relative import of every non-test source file is checked against the stated
 * dependency direction (docs/engineering.md, "Layout and dependency direction").
 *
 * The rules, for non-test code (a test is a `*.test.ts` file; tests may import anything):
 *
 * 1. **Test helpers stay in tests.** A test helper is any file under `test/` or inside a
 *    `testing/` folder. Only tests and other test helpers import one. Code that scripts and
 *    tests share lives outside `testing/` (in `src/`, or in `scripts/lib/`); `test/shared-data.ts`
 *    is the tests' entry to `scripts/lib/shared-data.ts`.
 * 2. **Plug-in folders → `src/`.** `domains/`, `baselines/`, `blueprints/` and `examples/` import
 *    `src/` and their own folder, nothing else (so blueprints do not import domains, baselines
 *    do not import blueprints…). Inside `domains/` and `blueprints/` each sub-folder is one
 *    domain: `domains/<d>/` imports `domains/<d>/` and `domains/common/` only (the code both
 *    domains share: generator kit, exact floats, generic tools), `domains/common/` imports no
 *    domain, and `blueprints/<d>/` imports `blueprints/<d>/` only. The folder's own top-level
 *    files (`domains/plugin.ts`, `blueprints/plugin.ts`, …) register the sub-folders and may
 *    import any of them. Each `examples/<name>/` is a stand-alone plug-in: itself and `src/`.
 * 3. **`src/` → nothing of theirs** except the one composition root {@link COMPOSITION_ROOT},
 *    which installs the built-in plug-ins (`domains/plugin.ts`, `baselines/plugin.ts`,
 *    `blueprints/plugin.ts`) and may import those files only.
 * 4. **`scripts/` is a leaf:** only tests and other scripts import it.
 * 4b. **Public API only** where the issue asks for code that proves the library API: the
 *    plan-and-execute agent ({@link PUBLIC_API_ONLY}) and `examples/` reach `src/` through the
 *    library entry `src/index.ts` (or the package name `tau-blueprint`) and nothing else.
 * 5. **No cycles between the folders of `src/`** (`src/core`, `src/env`, `src/models`, …;
 *    a folder is the first path segment below `src/`, `src/index.ts` is the library entry and
 *    counts as its own node).
 *
 * Type-only imports count: a type is a dependency too. That is why the agent/session, user and
 * episode-record contract lives in `src/contract/`, not in `src/core/`: it names types of
 * `src/env`, `src/models` and `src/prompts` (tool registry, chat model, prompt pack), which
 * import `src/core`, so in `src/core` it would close a cycle; one layer up it sits below every
 * folder that plays or reads episodes (`users`, `blueprint`, `runner`, `report`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The single file in `src/` allowed to import the built-in plug-ins. */
const COMPOSITION_ROOT = 'src/cli/registry.ts';
/** The files the composition root may import outside `src/`. */
const BUILT_IN_PLUGINS = ['domains/plugin.ts', 'baselines/plugin.ts', 'blueprints/plugin.ts'];
/** Folders whose code may reach `src/` only through the library entry {@link LIBRARY_ENTRY}. */
const PUBLIC_API_ONLY = ['baselines/plan-execute/', 'examples/'];
const LIBRARY_ENTRY = 'src/index.ts';
/** Top-level folders whose code is scanned. */
const SCANNED = ['src', 'domains', 'baselines', 'blueprints', 'examples', 'scripts', 'test'];
/** Plug-in folders (rule 2), and those split into one sub-folder per domain. */
const PLUGIN_FOLDERS = ['domains', 'baselines', 'blueprints', 'examples'];
const PER_DOMAIN_FOLDERS = ['domains', 'blueprints'];

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

/** One relative import of a file, resolved to a repository path (posix separators). */
export interface ImportEdge {
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** Repository path of the target, `.js` read as the `.ts` source. */
  to: string;
}

/** A broken rule: the import that breaks it and why. */
export interface Violation {
  rule: 'test-helper' | 'plugin-direction' | 'src-outward' | 'scripts-leaf' | 'public-api' | 'src-cycle';
  edge: ImportEdge;
  message: string;
}

const isTest = (p: string): boolean => /\.test\.[cm]?[jt]sx?$/.test(p);
const isTestHelper = (p: string): boolean => !isTest(p) && (p.startsWith('test/') || p.split('/').slice(0, -1).includes('testing'));

/** Every relative import (static, `export … from`, dynamic `import('…')`) of one source text. */
export function importsOf(path: string, text: string): ImportEdge[] {
  const info = ts.preProcessFile(text, true, true);
  const edges: ImportEdge[] = [];
  for (const im of info.importedFiles) {
    const specifier = im.fileName;
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
    const to = posix.normalize(posix.join(posix.dirname(path), specifier)).replace(/\.([cm]?)js$/, '.$1ts');
    edges.push({ from: path, specifier, to });
  }
  return edges;
}

const top = (p: string): string => p.split('/')[0] ?? '';
/** `domains/retail/x.ts` → `retail`; a top-level file (`domains/plugin.ts`) → undefined. */
const sub = (p: string): string | undefined => {
  const parts = p.split('/');
  return parts.length > 2 ? parts[1] : undefined;
};
/** The src folder node of a path: `src/runner/x.ts` → `runner`, `src/index.ts` → `index.ts`. */
const srcNode = (p: string): string => p.split('/')[1] ?? '';

/** Checks one import edge against rules 1–4. */
function edgeViolation(e: ImportEdge): Violation | undefined {
  const { from, to } = e;
  if (isTestHelper(to) && !isTestHelper(from)) {
    return { rule: 'test-helper', edge: e, message: `${from} (not a test) imports the test helper ${to}` };
  }
  if (isTestHelper(from)) return undefined; // helpers are test code: rules 2–5 are for shipped code
  const ft = top(from);
  const tt = top(to);
  if (tt === 'scripts' && ft !== 'scripts') {
    return { rule: 'scripts-leaf', edge: e, message: `only tests and scripts import scripts/ (${from} → ${to})` };
  }
  if (ft === 'src' && tt !== 'src') {
    if (from === COMPOSITION_ROOT && BUILT_IN_PLUGINS.includes(to)) return undefined;
    return { rule: 'src-outward', edge: e, message: `src/ imports ${to}; only ${COMPOSITION_ROOT} may, and only ${BUILT_IN_PLUGINS.join(', ')}` };
  }
  if (tt === 'src' && to !== LIBRARY_ENTRY && PUBLIC_API_ONLY.some((d) => from.startsWith(d))) {
    return { rule: 'public-api', edge: e, message: `${from} imports ${to}; it may use src/ only through the library entry ${LIBRARY_ENTRY}` };
  }
  if (PLUGIN_FOLDERS.includes(ft)) {
    if (tt !== 'src' && tt !== ft) {
      return { rule: 'plugin-direction', edge: e, message: `${ft}/ may import src/ and ${ft}/ only, not ${to}` };
    }
    if (tt === ft && (PER_DOMAIN_FOLDERS.includes(ft) || ft === 'examples')) {
      const fs = sub(from);
      const tsub = sub(to);
      // A top-level file of the folder (its plugin.ts) registers the sub-folders.
      if (fs !== undefined && fs !== tsub && !(ft === 'domains' && tsub === 'common' && fs !== 'common')) {
        return { rule: 'plugin-direction', edge: e, message: `${from} imports ${to}: ${ft === 'domains' ? 'a domain imports itself and domains/common/ only' : `each ${ft}/<name>/ imports itself only`}` };
      }
      if (fs === undefined && ft === 'examples') {
        return { rule: 'plugin-direction', edge: e, message: `examples/ top-level file imports ${to}` };
      }
    }
  }
  return undefined;
}

/** Cycles between `src/` folders (rule 5): one violation per strongly connected component. */
function srcCycles(edges: readonly ImportEdge[]): Violation[] {
  const graph = new Map<string, Map<string, ImportEdge>>();
  for (const e of edges) {
    if (top(e.from) !== 'src' || top(e.to) !== 'src' || isTestHelper(e.from) || isTestHelper(e.to)) continue;
    const a = srcNode(e.from);
    const b = srcNode(e.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Map());
    if (!graph.has(b)) graph.set(b, new Map());
    const out = graph.get(a)!;
    if (!out.has(b)) out.set(b, e);
  }
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!.keys()) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) components.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return components.map((comp) => {
    const inComp = new Set(comp);
    const edgesIn = comp.flatMap((a) => [...graph.get(a)!].filter(([b]) => inComp.has(b)).map(([, e]) => e));
    const listed = edgesIn.map((e) => `${e.from} → ${e.to}`).join('; ');
    return { rule: 'src-cycle' as const, edge: edgesIn[0]!, message: `src/ folders ${comp.join(', ')} import each other: ${listed}` };
  });
}

/** Checks a file set (repository path → source text): every violation of rules 1–5. */
export function checkBoundaries(files: ReadonlyMap<string, string>): Violation[] {
  const edges: ImportEdge[] = [];
  for (const [path, text] of files) if (!isTest(path)) edges.push(...importsOf(path, text));
  const out: Violation[] = [];
  for (const e of edges) {
    const v = edgeViolation(e);
    if (v !== undefined) out.push(v);
  }
  return [...out, ...srcCycles(edges)];
}

/** The repository's source files (TypeScript and JavaScript modules) under {@link SCANNED}. */
function repoFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a scanned folder that does not exist (yet)
    }
    for (const d of entries) {
      const p = join(dir, d.name);
      if (d.isDirectory()) {
        if (d.name !== 'node_modules') walk(p);
      } else if (/\.[cm]?[jt]s$/.test(d.name) && !d.name.endsWith('.d.ts')) {
        files.set(relative(REPO, p).split(sep).join('/'), readFileSync(p, 'utf8'));
      }
    }
  };
  for (const d of SCANNED) walk(join(REPO, d));
  return files;
}

const show = (vs: readonly Violation[]): string[] => vs.map((v) => `[${v.rule}] ${v.message}`);

describe('import boundaries', () => {
  const files = repoFiles();

  it('scans the tree: relative static, re-export and dynamic imports are found', () => {
    expect(files.size).toBeGreaterThan(300);
    expect(files.has(COMPOSITION_ROOT)).toBe(true);
    const root = importsOf(COMPOSITION_ROOT, files.get(COMPOSITION_ROOT)!).map((e) => e.to);
    for (const p of BUILT_IN_PLUGINS) expect(root).toContain(p);
    const edges = importsOf(
      'src/a/x.ts',
      "import type { T } from '../core/t.js';\nexport { y } from './y.js';\nconst m = await import('../../domains/d/z.js');\nimport 'node:fs';\nimport ts from 'typescript';",
    );
    expect(edges.map((e) => e.to)).toEqual(['src/core/t.ts', 'src/a/y.ts', 'domains/d/z.ts']);
  });

  it('the repository has no import against the stated direction and no cycle between src/ folders', () => {
    expect(show(checkBoundaries(files))).toEqual([]);
  });

  it('fails when a wrong-way import is added (checked on an in-memory copy of the tree)', () => {
    const withImport = (path: string, line: string): Map<string, string> => {
      const copy = new Map(files);
      copy.set(path, `${line}\n${copy.get(path) ?? ''}`);
      return copy;
    };
    const cases: Array<[string, string, Violation['rule'], string]> = [
      ['domains/retail/index.ts', "import { retailBlueprint } from '../../blueprints/retail/index.js';", 'plugin-direction', 'blueprints/retail/index.ts'],
      ['domains/airline/index.ts', "import type { X } from '../retail/schema.js';", 'plugin-direction', 'domains/retail/schema.ts'],
      ['blueprints/retail/index.ts', "import { retailDomain } from '../../domains/retail/index.js';", 'plugin-direction', 'domains/retail/index.ts'],
      ['baselines/tool-calling.ts', "const b = await import('../blueprints/plugin.js');", 'plugin-direction', 'blueprints/plugin.ts'],
      ['src/runner/run.ts', "import builtin from '../../domains/plugin.js';", 'src-outward', 'domains/plugin.ts'],
      ['src/cli/registry.ts', "import { retailDomain } from '../../domains/retail/index.js';", 'src-outward', 'domains/retail/index.ts'],
      ['scripts/bench-env.ts', "import { sharedDir } from '../test/shared-data.js';", 'test-helper', 'test/shared-data.ts'],
      ['src/runner/run.ts', "import { x } from './testing/fixtures.js';", 'test-helper', 'src/runner/testing/fixtures.ts'],
      ['blueprints/plugin.ts', "import { m } from '../scripts/bench.js';", 'scripts-leaf', 'scripts/bench.ts'],
      ['baselines/plan-execute/plan.ts', "import type { Agent } from '../../src/contract/agent.js';", 'public-api', 'src/contract/agent.ts'],
      ['src/core/errors.ts', "import type { RunConfig } from '../runner/config.js';", 'src-cycle', ''],
    ];
    for (const [path, line, rule, target] of cases) {
      const found = checkBoundaries(withImport(path, line)).filter((v) => v.rule === rule);
      expect(found, `${path}: ${line}`).not.toEqual([]);
      if (rule === 'src-cycle') expect(found.some((v) => v.message.includes('core') && v.message.includes('runner'))).toBe(true);
      else expect(found.map((v) => [v.edge.from, v.edge.to])).toContainEqual([path, target]);
    }
  });

  it('rules on small hand-made file sets: allowed imports pass, each wrong one is named', () => {
    const set = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));
    const ok = set({
      'src/core/a.ts': "export const a = 1;",
      'src/env/b.ts': "import { a } from '../core/a.js';",
      'src/cli/registry.ts': "import d from '../../domains/plugin.js';\nimport b from '../../blueprints/plugin.js';",
      'domains/plugin.ts': "import { r } from './retail/index.js';",
      'domains/retail/index.ts': "import { k } from '../common/kit.js';\nimport { b } from '../../src/env/b.js';",
      'domains/common/kit.ts': "import { a } from '../../src/core/a.js';",
      'blueprints/plugin.ts': "import { o } from './retail/subtask-oracles.js';",
      'blueprints/retail/subtask-oracles.ts': "import { a } from '../../src/core/a.js';",
      'scripts/x.ts': "import { r } from '../domains/retail/index.js';\nimport { s } from './y.js';",
      'src/runner/testing/h.ts': "import { s } from '../../../test/shared-data.js';\nimport d from '../../../domains/plugin.js';",
      'test/shared-data.ts': '',
      'domains/retail/x.test.ts': "import { s } from '../../test/shared-data.js';\nimport { m } from '../../scripts/x.js';\nimport { b } from '../../blueprints/plugin.js';",
    });
    expect(show(checkBoundaries(ok))).toEqual([]);

    const bad = set({
      'src/core/a.ts': "import type { R } from '../runner/r.js';",
      'src/runner/r.ts': "import { a } from '../core/a.js';\nimport { s } from '../../test/shared-data.js';",
      'domains/common/kit.ts': "import { p } from '../retail/people.js';",
      'domains/retail/people.ts': '',
      'blueprints/airline/x.ts': "import { y } from '../retail/y.js';",
      'blueprints/retail/y.ts': '',
      'examples/agent/index.ts': "import { z } from '../blueprint/z.js';\nimport { d } from '../../src/index.js';",
      'examples/blueprint/y.ts': "import { a } from '../../src/core/a.js';",
      'examples/blueprint/z.ts': '',
      'test/shared-data.ts': '',
    });
    const found = checkBoundaries(bad);
    expect(found.map((v) => [v.rule, v.edge.from, v.edge.to]).sort()).toEqual(
      [
        ['plugin-direction', 'blueprints/airline/x.ts', 'blueprints/retail/y.ts'],
        ['plugin-direction', 'domains/common/kit.ts', 'domains/retail/people.ts'],
        ['plugin-direction', 'examples/agent/index.ts', 'examples/blueprint/z.ts'],
        ['public-api', 'examples/blueprint/y.ts', 'src/core/a.ts'],
        ['src-cycle', 'src/core/a.ts', 'src/runner/r.ts'],
        ['test-helper', 'src/runner/r.ts', 'test/shared-data.ts'],
      ].sort(),
    );
  });
});
