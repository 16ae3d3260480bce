/**
 * Loading plug-ins: `--plugin <path or package>` (repeatable) and `"plugins": [...]` in a
 * `--config` file. A path names a `.ts`/`.mts`/`.js`/`.mjs` module or a directory (its package
 * entry or `index.ts`/`index.js`); anything else is a package name, found in `node_modules` from
 * the working directory upwards. TypeScript is loaded through tsx (`tsx/esm/api`, registered once,
 * on the first TypeScript plug-in); plug-ins are ES modules (`"type": "module"` beside a `.ts`
 * file, or `.mts`/`.mjs`). The module's default export is the plug-in.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, HarnessError } from '../core/errors.js';
import { readTextFile } from '../core/utf8.js';
import type { PluginDefinition } from './types.js';

const TS_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];
const ENTRY_FILES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'];

/** True when `spec` is written as a path (relative, absolute, or a file name with a module extension). */
function isPathLike(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(c|m)?(t|j)sx?$/.test(spec) || spec.includes('\\');
}

/** The entry file of a package directory: `exports["."]` (import/default), `main`, or an index file. */
function packageEntry(dir: string, spec: string): string {
  const pkgFile = join(dir, 'package.json');
  if (existsSync(pkgFile)) {
    let pkg: { exports?: unknown; main?: unknown; module?: unknown };
    try {
      pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as typeof pkg;
    } catch (e) {
      throw new ConfigError(`plug-in ${spec}: cannot read ${pkgFile}: ${(e as Error).message}`, { path: pkgFile });
    }
    const target = exportTarget(pkg.exports) ?? (typeof pkg.main === 'string' ? pkg.main : undefined);
    if (target !== undefined) return resolve(dir, target);
  }
  const index = ENTRY_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (index === undefined) throw new ConfigError(`plug-in ${spec}: ${dir} has no package.json entry and no ${ENTRY_FILES.join(' / ')}`, { path: dir });
  return index;
}

/** The file an `exports` field maps `.` to for `import` (or `default`). */
function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  const dot = Object.keys(map).some((k) => k.startsWith('.')) ? map['.'] : map;
  if (typeof dot === 'string') return dot;
  if (dot === null || typeof dot !== 'object') return undefined;
  const conditions = dot as Record<string, unknown>;
  for (const c of ['import', 'node', 'default']) {
    const t = conditions[c];
    const found = typeof t === 'string' ? t : exportTarget(t);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The module file a plug-in spec names, relative to `cwd`.
 * @throws ConfigError naming the spec when there is no such file, directory or package.
 */
export function resolvePluginSpec(spec: string, cwd: string = process.cwd()): string {
  if (spec.trim() === '') throw new ConfigError('--plugin needs a path or a package name', { path: 'plugin' });
  if (isPathLike(spec)) {
    const file = resolve(cwd, spec);
    if (!existsSync(file)) throw new ConfigError(`plug-in ${spec}: no such file or directory (${file})`, { path: file });
    return statSync(file).isDirectory() ? packageEntry(file, spec) : file;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', spec);
    if (existsSync(candidate)) return statSync(candidate).isDirectory() ? packageEntry(candidate, spec) : candidate;
    if (dirname(dir) === dir) break;
  }
  const local = resolve(cwd, spec);
  if (existsSync(local)) return statSync(local).isDirectory() ? packageEntry(local, spec) : local;
  throw new ConfigError(`plug-in ${spec}: not a file and no package of that name in node_modules from ${cwd} upwards (install it, or pass a path such as ./${spec}.ts)`, { path: spec });
}

let tsxRegistered: Promise<void> | undefined;

/** Registers tsx's ESM loader once, so that `import()` of TypeScript files works. */
function registerTsx(): Promise<void> {
  tsxRegistered ??= import('tsx/esm/api').then(({ register }) => void register());
  return tsxRegistered;
}

/**
 * Imports a plug-in module and returns its default export, checked to look like a plug-in.
 * @throws ConfigError naming the file when it cannot be loaded or exports no plug-in.
 */
export async function importPlugin(spec: string, cwd: string = process.cwd()): Promise<{ plugin: PluginDefinition; file: string }> {
  const file = resolvePluginSpec(spec, cwd);
  if (TS_EXTENSIONS.some((e) => file.endsWith(e))) await registerTsx();
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    if (e instanceof HarnessError) throw e;
    const message = (e as Error).message;
    // A .ts file outside an ES-module package is compiled as CommonJS, which cannot load the ESM harness.
    const hint = /require\(\)|ERR_REQUIRE/.test(message) ? ' (write plug-ins as ES modules: "type": "module" in the package.json beside the plug-in, or a .mts / .mjs file)' : '';
    throw new ConfigError(`plug-in ${spec}: loading ${file} failed: ${message}${hint}`, { path: file, cause: e });
  }
  let plugin = mod.default as PluginDefinition | undefined;
  // CommonJS-compiled modules put an ES default export at `module.exports.default`.
  const inner = (plugin as { default?: unknown } | undefined)?.default;
  if (inner !== null && typeof inner === 'object' && typeof (inner as PluginDefinition).name === 'string') plugin = inner as PluginDefinition;
  if (plugin === null || typeof plugin !== 'object' || typeof plugin.name !== 'string') {
    throw new ConfigError(`plug-in ${spec}: ${file} has no default export made with definePlugin({ name, … })`, { path: file });
  }
  return { plugin, file };
}

/**
 * Loads plug-ins in order and installs each with `install(plugin, source)` (source:
 * `plug-in "<name>" (<file>)`). A plug-in given twice (same file) is loaded once.
 */
export async function loadPlugins(specs: readonly string[], install: (plugin: PluginDefinition, source: string) => void, cwd: string = process.cwd()): Promise<PluginDefinition[]> {
  const loaded: PluginDefinition[] = [];
  const files = new Set<string>();
  for (const spec of specs) {
    const { plugin, file } = await importPlugin(spec, cwd);
    if (files.has(file)) continue;
    files.add(file);
    install(plugin, `plug-in "${plugin.name}" (${file})`);
    loaded.push(plugin);
  }
  return loaded;
}

/**
 * The plug-ins a command line names: every `--plugin <x>` / `--plugin=<x>`, then the `plugins`
 * (or `plugin`) list of a `--config <file.json>` (paths there are relative to the config file).
 * Returns them with the remaining arguments (the `--plugin` flags removed).
 * @throws ConfigError for `--plugin` without a value or a config whose `plugins` is not a list of strings.
 */
export function pluginArgs(argv: readonly string[]): { specs: string[]; rest: string[] } {
  const specs: string[] = [];
  const rest: string[] = [];
  let config: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--plugin') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new ConfigError('--plugin needs a path or a package name', { path: 'plugin' });
      specs.push(v);
      i++;
      continue;
    }
    if (a.startsWith('--plugin=')) {
      specs.push(a.slice('--plugin='.length));
      continue;
    }
    if (a === '--config') config = argv[i + 1];
    else if (a.startsWith('--config=')) config = a.slice('--config='.length);
    rest.push(a);
  }
  if (config !== undefined && existsSync(config)) {
    let cfg: unknown;
    try {
      cfg = JSON.parse(readTextFile(config));
    } catch {
      cfg = undefined; // the command's own parsing reports an unreadable config
    }
    if (cfg !== null && typeof cfg === 'object' && !Array.isArray(cfg)) {
      const record = cfg as Record<string, unknown>;
      const value = record.plugins ?? record.plugin;
      if (value !== undefined && value !== null) {
        const list = Array.isArray(value) ? value : [value];
        if (!list.every((x): x is string => typeof x === 'string' && x.trim() !== '')) {
          throw new ConfigError(`config ${config}: "plugins" must be a list of paths or package names, got ${JSON.stringify(value)}`, { path: `${config}#plugins` });
        }
        specs.push(...list.map((s) => (isPathLike(s) && !isAbsolute(s) ? resolve(dirname(config as string), s) : s)));
      }
    }
  }
  return { specs, rest };
}
