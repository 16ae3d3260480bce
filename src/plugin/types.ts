/**
 * What a plug-in may contribute: agents, blueprints (with the simulated model's sub-task
 * oracles), user simulators, domains (with an offline built-in suite), model providers and report
 * formats. Built-in entries use the same shapes (`domains/plugin.ts`, `baselines/plugin.ts`,
 * `blueprints/plugin.ts`, `src/plugin/builtin.ts`).
 */
import type { Task } from '../core/task.js';
import type { Domain, LoadedData } from '../env/domain.js';
import type { AnyBlueprint } from '../blueprint/types.js';
import type { ProviderFactory } from '../models/create-model.js';
import type { SubtaskOracle } from '../models/sim/sim-model.js';
import type { ReportTable } from '../report/table.js';
import type { AgentEntry } from '../contract/agent.js';
import type { UserSimulatorEntry } from '../contract/user.js';

/**
 * A domain's offline built-in suite (`--data builtin` / `builtin:<seed>`): generated database,
 * tasks and the policy text, plus the policy file recorded in the run.
 */
export interface BuiltinSuiteDefinition {
  /** Generates (or returns the memoised) suite; `seed` undefined: the fixed suite. */
  load(options: { seed?: number }): { data: LoadedData; tasks: Task[]; policy: string };
  /** Path of the policy document the suite's policy text comes from. */
  policyFile: string;
}

/** A domain as a plug-in registers it: the {@link Domain} and, optionally, its built-in suite. */
export interface DomainRegistration {
  domain: Domain;
  builtin?: BuiltinSuiteDefinition;
}

/**
 * A blueprint as a plug-in registers it. Its name is the blueprint's `id` (`--agent
 * blueprint:<id>`); its domain is `domain` or the blueprint's own `domain`.
 */
export interface BlueprintRegistration {
  blueprint: AnyBlueprint;
  /** Domain it plays. Default: `blueprint.domain` (one of the two is required). */
  domain?: string;
  /**
   * The domain's default (`--agent blueprint` on that domain). Default: true for the first
   * blueprint registered for a domain, false for later ones; two defaults for a domain are refused.
   */
  default?: boolean;
  /**
   * Oracles of the simulated model (`--model sim`) for this blueprint's sub-tasks, by sub-task
   * name: the answer a perfect model would give, from the task (oracle mode). Sub-tasks without
   * one get `{}` from `sim`.
   */
  oracles?: Readonly<Record<string, SubtaskOracle>>;
  /** One line for `taubp run --help`. Default: the blueprint's description. */
  summary?: string;
}

/** A model provider: the factory behind `<name>:<model>` specs. */
export interface ProviderDefinition {
  factory: ProviderFactory;
  /** Offline providers (local, deterministic) get no limiter, retries or cache. Default false. */
  offline?: boolean;
}

/** A report format for `taubp report --format <name>`. */
export interface ReportFormatDefinition {
  /** File extension of `report.<ext>` with `--out`. Default: the format's name. */
  extension?: string;
  /** Renders the comparison tables as text. */
  render(tables: ReportTable[]): string;
}

/**
 * A plug-in: a module whose default export is `definePlugin({...})`. Agents, user simulators,
 * providers and report formats are named by their keys; domains by `domain.name`; blueprints by
 * `blueprint.id`. Every name must be new: a name taken by a built-in or another plug-in is refused.
 */
export interface PluginDefinition {
  /** The plug-in's name (shown in error messages and `taubp run --help`). */
  name: string;
  /** Agent architectures by name (`--agent <name>`). */
  agents?: Readonly<Record<string, AgentEntry>>;
  /** Blueprints (`--agent blueprint:<id>`; a domain's first is its `--agent blueprint`). */
  blueprints?: ReadonlyArray<BlueprintRegistration | AnyBlueprint>;
  /** User simulators by name (`--user <name>`). */
  users?: Readonly<Record<string, UserSimulatorEntry>>;
  /** Domains (`--domain <name>`). */
  domains?: ReadonlyArray<DomainRegistration | Domain>;
  /** Model providers by name (`--model <name>:<model>`). */
  providers?: Readonly<Record<string, ProviderDefinition | ProviderFactory>>;
  /** Report formats by name (`taubp report --format <name>`). */
  reportFormats?: Readonly<Record<string, ReportFormatDefinition>>;
}

/** A blueprint entry in the registry: its registration with the domain resolved. */
export interface BlueprintEntry extends BlueprintRegistration {
  domain: string;
}

/** The registry's kinds and their entry types. */
export interface HarnessKinds extends Record<string, unknown> {
  domains: DomainRegistration;
  agents: AgentEntry;
  blueprints: BlueprintEntry;
  users: UserSimulatorEntry;
  providers: ProviderDefinition;
  reportFormats: ReportFormatDefinition;
  plugins: PluginDefinition;
}
