/**
 * The harness registry: the one typed {@link Registry} of domains, agents, blueprints, user
 * simulators, model providers and report formats. Built-in entries and plug-ins are installed
 * the same way ({@link HarnessRegistry.install}); a taken name is refused naming both sources.
 *
 * Blueprints are named by their id and several may play one domain: installing blueprint `x`
 * adds the agent `blueprint:x`, and the agent `blueprint` plays the episode's domain's default
 * blueprint. The simulated model's sub-task oracles come with the blueprints
 * ({@link HarnessRegistry.subtaskOracles}).
 */
import { ConfigError } from '../core/errors.js';
import { Registry, type EntrySource } from '../core/registry.js';
import type { Domain } from '../env/domain.js';
import { createBlueprintAgent, engineOptionsFrom } from '../blueprint/agent.js';
import { validateBlueprint } from '../blueprint/validate.js';
import type { AnyBlueprint, Blueprint } from '../blueprint/types.js';
import type { ProviderFactory } from '../models/create-model.js';
import type { SubtaskOracle, SubtaskQuestion } from '../models/sim/sim-model.js';
import type { Agent, AgentEntry, AgentOptions, AgentSession } from '../contract/agent.js';
import type { BlueprintEntry, BlueprintRegistration, DomainRegistration, HarnessKinds, PluginDefinition, ProviderDefinition } from './types.js';

/** Name of the agent that plays each domain's default blueprint. */
export const BLUEPRINT_AGENT = 'blueprint';

/** Prefix of the agent names that play one named blueprint (`blueprint:<id>`). */
export const BLUEPRINT_AGENT_PREFIX = 'blueprint:';

const LABELS = { domains: 'domain', agents: 'agent', blueprints: 'blueprint', users: 'user simulator', providers: 'model provider', reportFormats: 'report format', plugins: 'plug-in' } as const;

/** Options of {@link HarnessRegistry}. */
export interface HarnessRegistryOptions {
  /**
   * Called for each provider installed, to make it available to `createModel` (the default
   * registry passes `registerProvider`). Default: nothing (a registry for tests).
   */
  onProvider?: (name: string, definition: ProviderDefinition) => void;
  /** Provider names that exist outside the registry (createModel's built-ins), refused as plug-in names. */
  reservedProviders?: () => readonly string[];
}

function isBlueprint(x: BlueprintRegistration | AnyBlueprint): x is AnyBlueprint {
  return typeof (x as AnyBlueprint).id === 'string' && Array.isArray((x as AnyBlueprint).nodes);
}

function isDomain(x: DomainRegistration | Domain): x is Domain {
  return typeof (x as Domain).name === 'string' && typeof (x as Domain).loadDb === 'function';
}

/** The typed registry of the harness, with plain name → entry maps for code that takes maps. */
export class HarnessRegistry {
  /** Every entry with its source. */
  readonly entries = new Registry<HarnessKinds>(LABELS);
  /** Domains by name (live). */
  readonly domains: Record<string, Domain> = {};
  /** Agents by name (live; includes `blueprint` and `blueprint:<id>`). */
  readonly agents: Record<string, AgentEntry> = this.entries.view('agents');
  /** User simulators by name (live). */
  readonly users = this.entries.view('users');
  /** Blueprints by id (live). */
  readonly blueprints: Record<string, AnyBlueprint> = {};
  /** Sub-task oracles by blueprint id (live). */
  readonly oracles: Record<string, Readonly<Record<string, SubtaskOracle>>> = {};
  readonly #options: HarnessRegistryOptions;

  constructor(options: HarnessRegistryOptions = {}) {
    this.#options = options;
    this.entries.register('agents', BLUEPRINT_AGENT, this.#defaultBlueprintAgent(), 'built-in (src/plugin/registry.ts)');
  }

  /**
   * Installs a plug-in's entries, all or none: every name is checked (against the registry and
   * within the plug-in) before anything is registered. Installing the same plug-in object twice
   * does nothing the second time.
   * @throws ConfigError for a malformed plug-in or a name already taken (naming both sources).
   */
  install(plugin: PluginDefinition, source: EntrySource): void {
    const where = `${source}`;
    if (plugin === null || typeof plugin !== 'object' || typeof plugin.name !== 'string' || plugin.name.trim() === '') {
      throw new ConfigError(`${where}: not a plug-in (its default export must be definePlugin({ name, … }) with a non-empty name)`, { path: source });
    }
    // The same plug-in object again (loaded twice in one process): already installed.
    if (this.entries.find('plugins', plugin.name) === plugin) return;
    const planned: Array<[keyof HarnessKinds & string, string, unknown]> = [['plugins', plugin.name, plugin]];
    for (const [name, agent] of Object.entries(plugin.agents ?? {})) {
      if (typeof agent?.create !== 'function') throw new ConfigError(`${where}: agent "${name}" has no create(options) function (use defineAgent)`, { path: `agents.${name}` });
      planned.push(['agents', name, agent]);
    }
    for (const [name, user] of Object.entries(plugin.users ?? {})) {
      if (typeof user?.create !== 'function') throw new ConfigError(`${where}: user simulator "${name}" has no create(context) function`, { path: `users.${name}` });
      planned.push(['users', name, user]);
    }
    const domains: DomainRegistration[] = (plugin.domains ?? []).map((d) => (isDomain(d) ? { domain: d } : d));
    for (const d of domains) {
      if (d?.domain === undefined || !isDomain(d.domain)) throw new ConfigError(`${where}: a domain entry has no Domain (name, tables, loadDb, registry, loadTasks)`, { path: 'domains' });
      planned.push(['domains', d.domain.name, d]);
    }
    const blueprints = (plugin.blueprints ?? []).map((b): BlueprintEntry => {
      const r: BlueprintRegistration = isBlueprint(b) ? { blueprint: b } : b;
      if (r?.blueprint === undefined || !isBlueprint(r.blueprint)) throw new ConfigError(`${where}: a blueprint entry has no blueprint (use defineBlueprint)`, { path: 'blueprints' });
      const domain = r.domain ?? r.blueprint.domain;
      if (domain === undefined) throw new ConfigError(`${where}: blueprint "${r.blueprint.id}" names no domain (set domain in defineBlueprint or in its registration)`, { path: `blueprints.${r.blueprint.id}` });
      return { ...r, domain };
    });
    for (const b of blueprints) {
      planned.push(['blueprints', b.blueprint.id, b]);
      planned.push(['agents', `${BLUEPRINT_AGENT_PREFIX}${b.blueprint.id}`, undefined]);
    }
    const providers = Object.entries(plugin.providers ?? {}).map(([name, p]): [string, ProviderDefinition] => [name, typeof p === 'function' ? { factory: p as ProviderFactory } : p]);
    for (const [name, p] of providers) {
      if (typeof p?.factory !== 'function') throw new ConfigError(`${where}: provider "${name}" has no factory`, { path: `providers.${name}` });
      const reserved = this.#options.reservedProviders?.() ?? [];
      if (reserved.includes(name) && !this.entries.has('providers', name)) {
        throw new ConfigError(`duplicate model provider "${name}": built into createModel (src/models/create-model.ts) and registered again by ${where}; rename it`, { path: `providers.${name}` });
      }
      planned.push(['providers', name, p]);
    }
    for (const [name, f] of Object.entries(plugin.reportFormats ?? {})) {
      if (typeof f?.render !== 'function') throw new ConfigError(`${where}: report format "${name}" has no render(tables) function`, { path: `reportFormats.${name}` });
      planned.push(['reportFormats', name, f]);
    }
    this.#check(planned, where);
    this.#checkDefaults(blueprints, where);

    // ---- nothing can fail below ----
    this.entries.register('plugins', plugin.name, plugin, where);
    for (const d of domains) {
      this.entries.register('domains', d.domain.name, d, where);
      this.domains[d.domain.name] = d.domain;
    }
    for (const [name, agent] of Object.entries(plugin.agents ?? {})) this.entries.register('agents', name, agent, where);
    for (const [name, user] of Object.entries(plugin.users ?? {})) this.entries.register('users', name, user, where);
    for (const b of blueprints) {
      const isDefault = b.default ?? !this.entries.entries('blueprints').some((e) => e.entry.domain === b.domain);
      const entry: BlueprintEntry = { ...b, default: isDefault };
      this.entries.register('blueprints', b.blueprint.id, entry, where);
      this.entries.register('agents', `${BLUEPRINT_AGENT_PREFIX}${b.blueprint.id}`, this.#namedBlueprintAgent(entry), where);
      this.blueprints[b.blueprint.id] = b.blueprint;
      if (b.oracles !== undefined) this.oracles[b.blueprint.id] = b.oracles;
    }
    for (const [name, p] of providers) {
      this.entries.register('providers', name, p, where);
      this.#options.onProvider?.(name, p);
    }
    for (const [name, f] of Object.entries(plugin.reportFormats ?? {})) this.entries.register('reportFormats', name, f, where);
  }

  /** Refuses names taken in the registry or twice within the plug-in (before registering any). */
  #check(planned: ReadonlyArray<[keyof HarnessKinds & string, string, unknown]>, where: string): void {
    const seen = new Set<string>();
    for (const [kind, name] of planned) {
      const key = `${kind}\u0000${name}`;
      const taken = this.entries.sourceOf(kind, name);
      if (taken !== undefined || seen.has(key)) {
        throw new ConfigError(`duplicate ${LABELS[kind as keyof typeof LABELS]} "${name}": registered by ${taken ?? where} and again by ${where}; rename one of them`, {
          path: `${kind}.${name}`,
          details: { kind, name, first: taken ?? where, second: where },
        });
      }
      seen.add(key);
    }
  }

  /** At most one default blueprint per domain. */
  #checkDefaults(blueprints: readonly BlueprintEntry[], where: string): void {
    for (const b of blueprints) {
      if (b.default !== true) continue;
      const current = this.defaultBlueprint(b.domain) ?? blueprints.find((o) => o !== b && o.domain === b.domain && o.default === true);
      if (current !== undefined) {
        const by = this.entries.sourceOf('blueprints', current.blueprint.id) ?? where;
        throw new ConfigError(
          `blueprint "${b.blueprint.id}" (${where}) and blueprint "${current.blueprint.id}" (${by}) are both the default of domain "${b.domain}"; drop default: true (run it with --agent blueprint:${b.blueprint.id})`,
          { path: `blueprints.${b.blueprint.id}` },
        );
      }
    }
  }

  /** The blueprint `--agent blueprint` plays on `domain`, if any. */
  defaultBlueprint(domain: string): BlueprintEntry | undefined {
    return this.entries.entries('blueprints').find((e) => e.entry.domain === domain && e.entry.default === true)?.entry;
  }

  /** The domain registration (with its built-in suite, if any), or undefined. */
  domainEntry(name: string): DomainRegistration | undefined {
    return this.entries.find('domains', name);
  }

  /**
   * The simulated model's sub-task oracles: one per sub-task name over every blueprint, each
   * answering with the oracle of the blueprint that asks (`question.blueprint`), else of the task
   * domain's default blueprint, else of any blueprint of the task's domain with that sub-task.
   * Read when a `sim` model is created, so plug-ins installed before then are included.
   */
  subtaskOracles(): Record<string, SubtaskOracle> {
    const entries = this.entries.entries('blueprints').map((e) => e.entry);
    const names = new Set(entries.flatMap((e) => Object.keys(e.oracles ?? {})));
    const pick = (q: SubtaskQuestion): SubtaskOracle | undefined => {
      const own = q.blueprint === undefined ? undefined : this.entries.find('blueprints', q.blueprint);
      if (own !== undefined) return own.oracles?.[q.name];
      const domain = q.task.domain;
      return this.defaultBlueprint(domain)?.oracles?.[q.name] ?? entries.find((e) => e.domain === domain && e.oracles?.[q.name] !== undefined)?.oracles?.[q.name];
    };
    return Object.fromEntries([...names].map((name): [string, SubtaskOracle] => [name, (q) => pick(q)?.(q) ?? { answer: {} }]));
  }

  /** `--agent blueprint`: the episode's domain's default blueprint. */
  #defaultBlueprintAgent(): AgentEntry {
    return {
      summary: 'Source Code Agent: the domain’s default blueprint (blueprint:<id> picks another); the LLM only answers bounded sub-tasks',
      check: ({ domain, registry }) => {
        const entry = this.defaultBlueprint(domain);
        if (entry === undefined) throw this.#noBlueprint(domain);
        validateBlueprint(entry.blueprint, registry);
      },
      create: (options: AgentOptions): Agent => {
        const engine = engineOptionsFrom(options);
        const agents = new Map<string, Agent>();
        return {
          name: BLUEPRINT_AGENT,
          run: (session: AgentSession): Promise<void> => {
            const entry = this.defaultBlueprint(session.domain);
            if (entry === undefined) return Promise.reject(this.#noBlueprint(session.domain));
            let agent = agents.get(entry.blueprint.id);
            if (agent === undefined) {
              agent = createBlueprintAgent(entry.blueprint as Blueprint<unknown>, { ...engine, name: BLUEPRINT_AGENT });
              agents.set(entry.blueprint.id, agent);
            }
            return agent.run(session);
          },
        };
      },
    };
  }

  #noBlueprint(domain: string): ConfigError {
    const known = [...new Set(this.entries.entries('blueprints').map((e) => e.entry.domain))];
    return new ConfigError(`no blueprint for domain "${domain}" (blueprints exist for: ${known.join(', ') || 'none'})`, { path: 'agent' });
  }

  /** `--agent blueprint:<id>`: that blueprint, on its own domain only. */
  #namedBlueprintAgent(entry: BlueprintEntry): AgentEntry {
    const name = `${BLUEPRINT_AGENT_PREFIX}${entry.blueprint.id}`;
    const description = entry.summary ?? entry.blueprint.description ?? `blueprint ${entry.blueprint.id}`;
    return {
      summary: `${description} (${entry.domain})`,
      domains: [entry.domain],
      check: ({ registry }) => validateBlueprint(entry.blueprint, registry),
      create: (options: AgentOptions): Agent => {
        const agent = createBlueprintAgent(entry.blueprint as Blueprint<unknown>, { ...engineOptionsFrom(options), name });
        return {
          name,
          run: (session: AgentSession): Promise<void> =>
            session.domain === entry.domain
              ? agent.run(session)
              : Promise.reject(new ConfigError(`${name} plays domain "${entry.domain}", not "${session.domain}"`)),
        };
      },
    };
  }
}
