/**
 * The composition root: the only module in `src/` that wires domains, agents, user simulators,
 * blueprints and model providers together. It installs the built-in plug-ins (`domains/plugin.ts`,
 * `baselines/plugin.ts`, `blueprints/plugin.ts` and the harness's own users and `sim` provider)
 * into the one {@link HarnessRegistry}, where `--plugin` modules are installed too
 * (`src/plugin/load.ts`). Everything else in `src/` is domain-agnostic.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, UsageError } from '../core/errors.js';
import { packagePath } from '../core/package-root.js';
import { didYouMean } from '../core/suggest.js';
import type { Task } from '../core/task.js';
import type { Domain, LoadedData, ToolVariant } from '../env/domain.js';
import { requirePolicy, type Policy } from '../env/policy.js';
import { detectTaskSource, loadTasksFrom, type TaskSource } from '../env/tasks/source.js';
import type { AgentEntry } from '../contract/agent.js';
import type { UserSimulatorEntry } from '../contract/user.js';
import { BUILT_IN_USERS } from '../users/index.js';
import { registerProvider, registeredProviders } from '../models/create-model.js';
import { createSimModel, parseSimSpec, type SubtaskOracle } from '../models/sim/sim-model.js';
import { scriptedUserEntry } from '../users/scripted-user.js';
import type { AnyBlueprint } from '../blueprint/index.js';
import { definePlugin } from '../plugin/define.js';
import { HarnessRegistry } from '../plugin/registry.js';
import type { PluginDefinition } from '../plugin/types.js';
import builtinDomains from '../../domains/plugin.js';
import builtinBaselines from '../../baselines/plugin.js';
import builtinBlueprints from '../../blueprints/plugin.js';

// ---- The registry and the built-in plug-ins ---------------------------------------------------

/**
 * The harness registry: every built-in and plug-in domain, agent, blueprint, user simulator,
 * provider and report format. Plug-in providers become `createModel` providers.
 */
export const HARNESS = new HarnessRegistry({
  onProvider: (name, p) => registerProvider(name, p.factory, { offline: p.offline ?? false }),
  reservedProviders: () => registeredProviders(),
});

/** The harness's own built-ins: the user simulators and the simulated model `sim`. */
const harnessPlugin = definePlugin({
  name: 'harness',
  users: { ...BUILT_IN_USERS, scripted: scriptedUserEntry },
  providers: {
    sim: {
      // Oracles are read when the model is created, so plug-in blueprints' oracles are included.
      factory: (spec) => createSimModel({ errorRate: parseSimSpec(spec.id) ?? 0, subtasks: HARNESS.subtaskOracles() }),
      offline: true,
    },
  },
});

HARNESS.install(harnessPlugin, 'built-in (src/cli/registry.ts)');
HARNESS.install(builtinDomains, 'built-in (domains/plugin.ts)');
HARNESS.install(builtinBaselines, 'built-in (baselines/plugin.ts)');
HARNESS.install(builtinBlueprints, 'built-in (blueprints/plugin.ts)');

/** Plug-ins installed in this process (not the built-ins), in load order; recorded in `run.json`. */
const PLUGINS: Array<{ name: string; source: string }> = [];

/** The plug-ins installed so far (name and where it was loaded from). */
export function loadedPlugins(): ReadonlyArray<{ name: string; source: string }> {
  return PLUGINS;
}

/**
 * Installs a plug-in into the harness registry (`source` names it in errors, e.g.
 * `plug-in ./my-agent.ts`). All or nothing: a taken name is refused before anything registers.
 */
export function installPlugin(plugin: PluginDefinition, source: string): void {
  HARNESS.install(plugin, source);
  // `plug-in "<name>" (<file>)` from the loader: keep the file, what `--plugin` takes again.
  if (!PLUGINS.some((p) => p.name === plugin.name)) PLUGINS.push({ name: plugin.name, source: /\((.*)\)$/.exec(source)?.[1] ?? source });
}

// ---- Domains -------------------------------------------------------------------------------

/** Every domain by name (live: plug-in domains appear once installed). */
export const DOMAINS: Readonly<Record<string, Domain>> = HARNESS.domains;

/** A domain map; the functions below take one so tests can wire in small hand-made domains. */
export type DomainMap = Readonly<Record<string, Domain>>;

/** A domain by name; an unknown name is a usage error listing the known ones. */
export function getDomain(name: string, domains: DomainMap = DOMAINS): Domain {
  const d = Object.prototype.hasOwnProperty.call(domains, name) ? domains[name] : undefined;
  if (d === undefined) throw new UsageError(`unknown domain "${name}"${didYouMean(name, Object.keys(domains))} (known: ${Object.keys(domains).join(', ') || 'none'})`);
  return d;
}

/** True when `dir` itself holds a database of the domain (`db.json` or its table files). */
function holdsDb(domain: Domain, dir: string): boolean {
  return existsSync(join(dir, 'db.json')) || domain.tables.every((t) => existsSync(join(dir, `${t}.json`)));
}

/**
 * The directory holding a domain's database for a `--data` directory in any layout: the directory
 * itself, `<dir>/<domain>`, or a τ-bench checkout's `tau_bench/envs/<domain>/data`. Falls back to
 * `dir` (the domain's loader then says what is missing).
 */
export function resolveDbDir(name: string, dir: string, domains: DomainMap = DOMAINS): string {
  const domain = getDomain(name, domains);
  const candidates = [dir, join(dir, name)];
  try {
    candidates.push(detectTaskSource(dir, name).dataDir);
  } catch {
    // no tasks there: only a database directory
  }
  return candidates.find((c) => holdsDb(domain, c)) ?? dir;
}

/** Loads a domain's database from a data directory (any layout), for a tool variant if given. */
export function loadDomainData(name: string, dir: string, variant?: ToolVariant, domains: DomainMap = DOMAINS): LoadedData {
  const domain = getDomain(name, domains);
  const dbDir = resolveDbDir(name, dir, domains);
  try {
    return domain.loadDb(dbDir, variant === undefined ? {} : { variant });
  } catch (e) {
    // τ² data may lack a domain's db.json (../shared has no airline one): say what stands in.
    if (e instanceof DataError && e.code === 'data_not_found' && !holdsDb(domain, dbDir) && tau2SourceIn(dir, name)) {
      throw new DataError(`${e.message}. This τ² data has no ${name} db.json: pass --db <dir> with the τ-bench v1 ${name} tables (${domain.tables.map((t) => `${t}.json`).join(', ')}), the closest substitute`, {
        code: 'data_not_found',
        path: dbDir,
        cause: e,
      });
    }
    throw e;
  }
}

function tau2SourceIn(dir: string, name: string): boolean {
  try {
    return detectTaskSource(dir, name).kind === 'tau2';
  } catch {
    return false;
  }
}

/** Detects where a domain's tasks are in a data directory. */
export function domainTaskSource(name: string, dir: string, domains: DomainMap = DOMAINS): TaskSource {
  getDomain(name, domains);
  return detectTaskSource(dir, name);
}

/** Loads one split of a domain's tasks from a data directory (v1 JSON, τ-bench checkout, τ²). */
export function loadDomainTasks(name: string, dir: string, split: string, domains: DomainMap = DOMAINS): Task[] {
  return loadTasksFrom(domainTaskSource(name, dir, domains), split);
}

/** Folder of the built-in domains (`<repo>/domains`). */
export const BUILTIN_DOMAINS_DIR = packagePath('domains');

/**
 * The policy text for a domain: `--policy`, else the data source's (`wiki.md` / `policy.md`),
 * else the built-in suite's `domains/<name>/policy.md`. Throws a ConfigError when there is none.
 * Only agents need it; `verify` never asks.
 */
export function loadDomainPolicy(name: string, options: { dataDir?: string; policyFile?: string; builtin?: boolean } = {}): Policy {
  getDomain(name);
  const fallbacks = options.builtin === true ? [HARNESS.domainEntry(name)?.builtin?.policyFile ?? join(BUILTIN_DOMAINS_DIR, name, 'policy.md')] : [];
  return requirePolicy(name, {
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.policyFile === undefined ? {} : { policyFile: options.policyFile }),
    fallbacks,
  });
}

// ---- Agents and user simulators --------------------------------------------------------------

/**
 * Every agent architecture by name (live), including `blueprint` (each domain's default
 * blueprint) and `blueprint:<id>` per registered blueprint. Add one with a plug-in:
 * `definePlugin({ name, agents: { 'my-agent': defineAgent({ create, summary }) } })`.
 */
export const AGENTS: Readonly<Record<string, AgentEntry>> = HARNESS.agents;

/** Every registered blueprint by id (live). */
export const BLUEPRINTS: Readonly<Record<string, AnyBlueprint>> = HARNESS.blueprints;

/** Every user simulator by name (live). Add one with a plug-in's `users`. */
export const USERS: Readonly<Record<string, UserSimulatorEntry>> = HARNESS.users;

/** An entry of a name → entry map; an unknown name is a usage error listing the known ones. */
export function lookup<T>(kind: string, map: Readonly<Record<string, T>>, name: string): T {
  const entry = Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined;
  if (entry === undefined) throw new UsageError(`unknown ${kind} "${name}"${didYouMean(name, Object.keys(map))} (known: ${Object.keys(map).sort().join(', ') || 'none'})`);
  return entry;
}

// ---- The simulated model ---------------------------------------------------------------------

/**
 * Blueprint sub-task oracles of the simulated model, by blueprint id: name → oracle (live). A
 * blueprint's registration carries the answers a perfect model would give (from the task), so
 * that `--model sim` measures the procedure alone (oracle mode).
 */
export const SUBTASK_ORACLES: Readonly<Record<string, Readonly<Record<string, SubtaskOracle>>>> = HARNESS.oracles;

// ---- Built-in suites ---------------------------------------------------------------------------

/** A built-in suite: generated database, tasks and the project's own policy. */
export interface BuiltinSuite {
  data: LoadedData;
  tasks: Task[];
  policy: Policy;
}

/** True for `--data builtin` and `--data builtin:<seed>`. */
export function isBuiltinData(data: string): boolean {
  return data === 'builtin' || data.startsWith('builtin:');
}

/** Loads the built-in suite a `--data builtin[:<seed>]` value names (the domain registration's `builtin`). */
export function loadBuiltinSuite(domain: string, data: string): BuiltinSuite {
  const entry = HARNESS.domainEntry(domain)?.builtin;
  if (entry === undefined) {
    const withSuite = HARNESS.entries.entries('domains').filter((d) => d.entry.builtin !== undefined).map((d) => d.name);
    throw new UsageError(`no built-in suite for domain "${domain}" (built-in: ${withSuite.join(', ')})`);
  }
  let seed: number | undefined;
  if (data !== 'builtin') {
    const text = data.slice('builtin:'.length);
    if (!/^\d+$/.test(text)) throw new UsageError(`--data ${data}: the seed must be a non-negative integer (e.g. builtin:7)`);
    seed = Number(text);
  }
  const suite = entry.load(seed === undefined ? {} : { seed });
  return { data: suite.data, tasks: suite.tasks, policy: { text: suite.policy, file: entry.policyFile } };
}
