/**
 * The one registry of named entries (domains, agents, blueprints, user simulators, providers,
 * report formats…), generic over its kinds and domain-agnostic: it knows names, entries and where
 * each entry came from, nothing about what an entry is. Built-in and plug-in entries go through
 * the same {@link Registry.register}; a second entry under a taken name is refused with an error
 * naming both sources. The typed instance of the harness is `src/plugin/registry.ts`.
 */
import { ConfigError, UsageError } from './errors.js';
import { didYouMean } from './suggest.js';

/** Where an entry came from: `built-in (domains/plugin.ts)`, `plug-in "my-agents" (./my-agents.ts)`… */
export type EntrySource = string;

/** One registered entry with its name and source. */
export interface RegisteredEntry<T> {
  name: string;
  entry: T;
  source: EntrySource;
}

/** Words for the kinds in messages (`"blueprint"`, `"user simulator"`); default: the kind's key. */
export type KindLabels<Kinds> = Partial<Record<keyof Kinds & string, string>>;

/**
 * Named entries of several kinds; `Kinds` maps each kind to its entry type, e.g.
 * `Registry<{ agents: AgentEntry; domains: Domain }>`.
 *
 * Each kind also has a live name → entry object ({@link Registry.view}) that gains every later
 * registration, for code that takes plain maps.
 */
export class Registry<Kinds extends Record<string, unknown>> {
  readonly #entries = new Map<keyof Kinds, Map<string, RegisteredEntry<unknown>>>();
  readonly #views = new Map<keyof Kinds, Record<string, unknown>>();
  readonly #labels: KindLabels<Kinds>;

  /** `labels`: how each kind is named in messages (default: the kind's key). */
  constructor(labels: KindLabels<Kinds> = {}) {
    this.#labels = labels;
  }

  #label(kind: keyof Kinds & string): string {
    return this.#labels[kind] ?? kind;
  }

  #map(kind: keyof Kinds): Map<string, RegisteredEntry<unknown>> {
    let m = this.#entries.get(kind);
    if (m === undefined) {
      m = new Map();
      this.#entries.set(kind, m);
    }
    return m;
  }

  /**
   * Adds an entry. Names are non-empty and unique per kind.
   * @throws ConfigError (`path`: the name) when the name is taken: the message names both sources.
   */
  register<K extends keyof Kinds & string>(kind: K, name: string, entry: Kinds[K], source: EntrySource): void {
    if (typeof name !== 'string' || name.trim() === '') throw new ConfigError(`${source}: a ${this.#label(kind)} needs a non-empty name`, { path: kind });
    const m = this.#map(kind);
    const taken = m.get(name);
    if (taken !== undefined) {
      throw new ConfigError(`duplicate ${this.#label(kind)} "${name}": registered by ${taken.source} and again by ${source}; rename one of them`, {
        path: `${kind}.${name}`,
        details: { kind, name, first: taken.source, second: source },
      });
    }
    m.set(name, { name, entry, source });
    this.view(kind)[name] = entry;
  }

  /** True when `name` is registered under `kind`. */
  has(kind: keyof Kinds & string, name: string): boolean {
    return this.#map(kind).has(name);
  }

  /** The entry, or undefined. */
  find<K extends keyof Kinds & string>(kind: K, name: string): Kinds[K] | undefined {
    return this.#map(kind).get(name)?.entry as Kinds[K] | undefined;
  }

  /** The entry; an unknown name is a usage error with a did-you-mean and the known names. */
  get<K extends keyof Kinds & string>(kind: K, name: string): Kinds[K] {
    const found = this.#map(kind).get(name);
    if (found !== undefined) return found.entry as Kinds[K];
    const known = this.names(kind);
    throw new UsageError(`unknown ${this.#label(kind)} "${name}"${didYouMean(name, known)} (known: ${known.join(', ') || 'none'})`);
  }

  /** Where the entry came from, or undefined when it is not registered. */
  sourceOf(kind: keyof Kinds & string, name: string): EntrySource | undefined {
    return this.#map(kind).get(name)?.source;
  }

  /** Registered names of a kind, sorted. */
  names(kind: keyof Kinds & string): string[] {
    return [...this.#map(kind).keys()].sort();
  }

  /** Every entry of a kind with its name and source, in registration order. */
  entries<K extends keyof Kinds & string>(kind: K): RegisteredEntry<Kinds[K]>[] {
    return [...this.#map(kind).values()] as RegisteredEntry<Kinds[K]>[];
  }

  /**
   * The live name → entry object of a kind: the same object on every call, gaining each later
   * registration. Write through {@link register} only (the object is not frozen so that code
   * holding it sees new entries).
   */
  view<K extends keyof Kinds & string>(kind: K): Record<string, Kinds[K]> {
    let v = this.#views.get(kind);
    if (v === undefined) {
      v = {};
      this.#views.set(kind, v);
    }
    return v as Record<string, Kinds[K]>;
  }
}
