/**
 * The composition root: the only module that wires domains, agents, user simulators, blueprints
 * and model providers together. Everything else in `src/` is domain-agnostic.
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
import type { AgentEntry } from '../runner/agent.js';
import { BUILT_IN_USERS, type UserSimulatorEntry } from '../users/index.js';
import { BASELINE_AGENTS } from '../../baselines/index.js';
import { airlineDomain } from '../../domains/airline/index.js';
import { retailDomain } from '../../domains/retail/index.js';
import { registerProvider } from '../models/create-model.js';
import { createSimModel, parseSimSpec, type SubtaskOracle } from '../models/sim/sim-model.js';
import { scriptedUserEntry } from '../users/scripted-user.js';
import { blueprintAgentEntry, type AnyBlueprint } from '../blueprint/index.js';
import { retailBlueprint } from '../../blueprints/retail/index.js';
import { retailOracles } from '../../domains/retail/subtask-oracles.js';
import { airlineBlueprint } from '../../blueprints/airline/index.js';
import { airlineOracles } from '../../domains/airline/subtask-oracles.js';

// ---- Domains -------------------------------------------------------------------------------

/** Every domain by name. */
export const DOMAINS: Readonly<Record<string, Domain>> = { retail: retailDomain, airline: airlineDomain };

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
  const fallbacks = options.builtin === true ? [join(BUILTIN_DOMAINS_DIR, name, 'policy.md')] : [];
  return requirePolicy(name, {
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.policyFile === undefined ? {} : { policyFile: options.policyFile }),
    fallbacks,
  });
}

// ---- Agents and user simulators --------------------------------------------------------------

/**
 * Every agent architecture by name. Register one by adding an {@link AgentEntry}:
 * `AGENTS['my-agent'] = { create: (o) => new MyAgent(o), summary: '…' }` (its `create` validates
 * `o.settings` and throws a ConfigError before any episode).
 */
export const AGENTS: Record<string, AgentEntry> = { ...BASELINE_AGENTS };

/** The Source Code Agent blueprint of each domain (`--agent blueprint` picks the episode's domain's). */
export const BLUEPRINTS: Record<string, AnyBlueprint> = {};
BLUEPRINTS.retail = retailBlueprint;
BLUEPRINTS.airline = airlineBlueprint;
AGENTS.blueprint = blueprintAgentEntry(BLUEPRINTS);

/**
 * Every user simulator by name. Register one by adding a {@link UserSimulatorEntry}:
 * `USERS['my-user'] = { create: (ctx) => new MyUser(ctx), needsModel: true, summary: '…' }`.
 */
export const USERS: Record<string, UserSimulatorEntry> = { ...BUILT_IN_USERS, scripted: scriptedUserEntry };

/** An entry of a name → entry map; an unknown name is a usage error listing the known ones. */
export function lookup<T>(kind: string, map: Readonly<Record<string, T>>, name: string): T {
  const entry = Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined;
  if (entry === undefined) throw new UsageError(`unknown ${kind} "${name}"${didYouMean(name, Object.keys(map))} (known: ${Object.keys(map).sort().join(', ') || 'none'})`);
  return entry;
}

// ---- The simulated model ---------------------------------------------------------------------

/**
 * Blueprint sub-task oracles of the simulated model, per domain: name → oracle. A domain's
 * blueprint registers the answers a perfect model would give (from the task), so that
 * `--model sim` measures the procedure alone (oracle mode).
 */
export const SUBTASK_ORACLES: Record<string, Record<string, SubtaskOracle>> = {};
SUBTASK_ORACLES.retail = retailOracles;
SUBTASK_ORACLES.airline = airlineOracles;

/** One oracle per sub-task name that answers with the oracle of the task's domain. */
function oraclesByTaskDomain(byDomain: Readonly<Record<string, Readonly<Record<string, SubtaskOracle>>>>): Record<string, SubtaskOracle> {
  const names = new Set(Object.values(byDomain).flatMap((m) => Object.keys(m)));
  return Object.fromEntries(
    [...names].map((name): [string, SubtaskOracle] => [name, (q) => byDomain[q.task.domain]?.[name]?.(q) ?? { answer: {} }]),
  );
}

registerProvider('sim', (spec) => createSimModel({ errorRate: parseSimSpec(spec.id) ?? 0, subtasks: oraclesByTaskDomain(SUBTASK_ORACLES) }), { offline: true });
