/**
 * Building blocks shared by the retail and airline task generators: a draft that collects gold
 * actions while running the write actions on a live environment (so later requests of the same
 * conversation see earlier writes, and a gold write that fails is a generator bug caught at once),
 * the request-outcome record kept in task metadata, and formatting of required outputs.
 */
import { num, type PyNum } from '../../../src/core/py/py-float.js';
import { jcsStringify } from '../../../src/core/py/jcs.js';
import { clonePy, type PyObject } from '../../../src/core/py/py-value.js';
import type { GoldAction, ScriptedFacts, ScriptedRequest, Task, UserScenario } from '../../../src/core/task.js';
import { Rng } from '../../../src/core/rng.js';
import type { BaseDb } from '../../../src/env/db-state.js';
import { Environment } from '../../../src/env/environment.js';
import type { ToolRegistry } from '../../../src/env/registry.js';

/** What the policy oracle decided for one request. */
export type RequestOutcome =
  /** The write(s) were made. */
  | 'performed'
  /** A question was answered (no write). */
  | 'answered'
  /** The policy forbids it: refuse, no write. */
  | 'refused'
  /** Allowed in principle but impossible now (e.g. no wanted variant available): no write. */
  | 'unavailable'
  /** Out of the agent's tools but in scope: transfer to a human agent. */
  | 'transfer';

/** Outcome of one request, kept in `task.meta.outcomes` and in `request.args.expected`. */
export interface OutcomeRecord {
  kind: string;
  outcome: RequestOutcome;
  /** The policy rule behind a refusal / unavailability (e.g. `order_not_pending`). */
  rule?: string;
}

/** Thrown when a gold write fails: the generator produced an action the tools reject. */
export class GoldWriteError extends Error {}

/**
 * A task under construction. Reads are recorded once per distinct call; writes are executed on
 * `env` (and must succeed) before being recorded.
 */
export class TaskDraft {
  readonly actions: GoldAction[] = [];
  readonly outputs: string[] = [];
  readonly requests: ScriptedRequest[] = [];
  readonly outcomes: OutcomeRecord[] = [];
  readonly known: string[] = [];
  readonly unknown: string[] = [];
  readonly reasons: string[] = [];
  readonly instructions: string[] = [];
  readonly facts: Record<string, string | string[]> = {};
  /** Read key → number of writes when it was last recorded. */
  readonly #seen = new Map<string, number>();
  #writes = 0;

  constructor(readonly env: Environment) {}

  /**
   * Records a read-only tool call, running it (it must succeed). A repeated read is recorded again
   * only if a write happened since, as an agent would look again at changed data.
   */
  read(name: string, kwargs: PyObject): string {
    const key = `${name}:${jcsStringify(kwargs)}`;
    const r = this.env.step({ name, kwargs: clonePy(kwargs) });
    if (r.error) throw new GoldWriteError(`gold read ${name} ${jcsStringify(kwargs)} failed: ${r.observation}`);
    if (this.#seen.get(key) !== this.#writes) {
      this.#seen.set(key, this.#writes);
      this.actions.push({ name, kwargs: clonePy(kwargs) });
    }
    return r.observation;
  }

  /** Adds a line of known information unless it is already there. */
  knownOnce(line: string): void {
    if (!this.known.includes(line)) this.known.push(line);
  }

  /** Runs a write on the environment and records it; throws {@link GoldWriteError} on `Error:`. */
  write(name: string, kwargs: PyObject): string {
    const r = this.env.step({ name, kwargs: clonePy(kwargs) });
    if (r.error) throw new GoldWriteError(`gold write ${name} ${jcsStringify(kwargs)} failed: ${r.observation}`);
    this.#writes++;
    this.actions.push({ name, kwargs: clonePy(kwargs) });
    return r.observation;
  }

  /** Records a transfer to a human agent (terminates the episode: must be the last action). */
  transfer(summary: string): void {
    this.actions.push({ name: 'transfer_to_human_agents', kwargs: { summary }, compareArgs: [] });
  }

  /** Adds a fact the customer knows (merged into a list when the key repeats). */
  fact(key: string, value: string): void {
    const old = this.facts[key];
    if (old === undefined) this.facts[key] = value;
    else if (Array.isArray(old)) {
      if (!old.includes(value)) old.push(value);
    } else if (old !== value) this.facts[key] = [old, value];
  }

  /** Adds a request with its outcome (stored in `args.expected` / `args.rule` too). */
  request(kind: string, utterance: string, args: Record<string, unknown>, outcome: RequestOutcome, rule?: string): void {
    const full: Record<string, unknown> = { ...args, expected: outcome };
    if (rule !== undefined) full.rule = rule;
    this.requests.push({ kind, utterance, args: full });
    this.outcomes.push(rule === undefined ? { kind, outcome } : { kind, outcome, rule });
  }

  /** True once a transfer was recorded (nothing may follow it). */
  get transferred(): boolean {
    return this.actions.some((a) => a.name === 'transfer_to_human_agents');
  }
}

/** Everything a finished draft needs to become a {@link Task}. */
export interface TaskMeta {
  id: string;
  index: number;
  domain: string;
  userId: string;
  identity: Record<string, string>;
  persona: string;
  category: string;
  seed: string;
}

/** Converts a draft into the internal task model (`format: 'builtin'`). */
export function finishTask(d: TaskDraft, m: TaskMeta): Task {
  const scenario: UserScenario = {
    domain: m.domain,
    persona: m.persona,
    reasonForCall: d.reasons.join(' '),
    knownInfo: d.known.join(' ') || null,
    unknownInfo: d.unknown.join(' ') || null,
    taskInstructions: d.instructions.join(' ') || null,
  };
  const scripted: ScriptedFacts = { identity: m.identity, facts: d.facts, requests: d.requests };
  const instruction = [
    `You are a customer contacting ${m.domain === 'retail' ? 'an online shop' : 'an airline'}. ${m.persona}`,
    scenario.reasonForCall,
    scenario.knownInfo === null ? '' : `What you know: ${scenario.knownInfo}`,
    scenario.unknownInfo === null ? '' : `What you do not know: ${scenario.unknownInfo}`,
    scenario.taskInstructions ?? '',
  ]
    .filter((s) => s !== '')
    .join('\n');
  return {
    id: m.id,
    index: m.index,
    format: 'builtin',
    domain: m.domain,
    split: 'builtin',
    userId: m.userId,
    instruction,
    scenario,
    actions: d.actions,
    outputs: d.outputs,
    scripted,
    meta: { category: m.category, outcomes: d.outcomes, seed: m.seed, generator: 'tau-blueprint' },
  };
}

/**
 * A money amount as a required output: two decimals without trailing zeros (`120`, `120.5`,
 * `1093.34`), which occurs in any reply that writes the amount with or without cents.
 */
export function moneyOutput(x: PyNum): string {
  return String(Number(num(x).toFixed(2)));
}

/** `$1,234.50` for text shown to people. */
export function money(x: PyNum): string {
  return `$${num(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Joins words as English: `a`, `a and b`, `a, b and c`. */
export function andList(xs: readonly string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** Personas (behaviour lines) for instructions. */
export const PERSONAS = [
  'You are polite and patient, and you answer exactly what you are asked.',
  'You are in a hurry and keep your messages short.',
  'You are friendly and a little chatty, but you stay on topic.',
  'You are careful: you want to hear the details before you agree to anything.',
  'You are slightly annoyed about the situation but remain civil.',
  'You are not good with numbers and let the agent do the arithmetic.',
] as const;

/** What one attempt to build a task for a customer returns when the category fits them. */
export interface TaskAttempt {
  identity: Record<string, string>;
  persona: string;
}

/** Options of {@link scheduleTasks}. */
export interface ScheduleOptions {
  domain: string;
  /** Seed text; `defaultSeed` gives ids `<domain>-NNN`, other seeds `<domain>-<seed>-NNN`. */
  seed: string;
  defaultSeed: string;
  count: number;
  /** Category weights of the suite. */
  categories: ReadonlyArray<readonly [string, number]>;
  /** Categories tried, in order, when no customer fits the scheduled one. */
  fallbacks: readonly string[];
  base: BaseDb;
  registry: ToolRegistry;
  /** What the domain calls a customer in errors (`customer`, `member`). */
  who: string;
  /**
   * Tries to build a task of `category` for `userId` into `draft` (on its fresh environment);
   * undefined when the category does not fit this customer.
   */
  attempt(a: { rng: Rng; draft: TaskDraft; env: Environment; userId: string; category: string; variant: number }): TaskAttempt | undefined;
}

/**
 * The generation loop both domains share: schedule categories by weight, then for each task try
 * the customers in a seeded order (and the fallback categories) until one fits.
 */
export function scheduleTasks(o: ScheduleOptions): Task[] {
  const root = new Rng(`${o.domain}-tasks:${o.seed}`);
  const schedule = apportion(root.fork('schedule'), o.categories, o.count);
  const userIds = [...(o.base.tables.get('users')?.keys() ?? [])];
  const prefix = o.seed === o.defaultSeed ? o.domain : `${o.domain}-${o.seed}`;
  const tasks: Task[] = [];
  const perCategory = new Map<string, number>();
  schedule.forEach((scheduled, index) => {
    const rng = root.fork(`task-${index}`);
    const candidates = rng.shuffle(userIds);
    for (const category of [scheduled, ...o.fallbacks]) {
      const variant = perCategory.get(category) ?? 0;
      for (const userId of candidates) {
        const env = new Environment({ registry: o.registry, base: o.base, now: () => 0 });
        const draft = new TaskDraft(env);
        const made = o.attempt({ rng, draft, env, userId, category, variant });
        if (made === undefined) continue;
        perCategory.set(category, variant + 1);
        tasks.push(
          finishTask(draft, {
            id: `${prefix}-${String(index).padStart(3, '0')}`,
            index,
            domain: o.domain,
            userId,
            identity: made.identity,
            persona: made.persona,
            category,
            seed: o.seed,
          }),
        );
        return;
      }
    }
    throw new Error(`${o.domain} task ${index}: no ${o.who} fits category ${scheduled} or a fallback`);
  });
  return tasks;
}

/** Splits `count` over weighted categories (largest remainder), shuffled by `rng`. */
export function apportion(rng: Rng, categories: ReadonlyArray<readonly [string, number]>, count: number): string[] {
  const total = categories.reduce((s, [, w]) => s + w, 0);
  const exact = categories.map(([c, w]) => [c, (w * count) / total] as const);
  const out: string[] = [];
  const rem: Array<[string, number]> = [];
  for (const [c, x] of exact) {
    for (let i = 0; i < Math.floor(x); i++) out.push(c);
    rem.push([c, x - Math.floor(x)]);
  }
  rem.sort((a, b) => b[1] - a[1]);
  for (let i = 0; out.length < count; i++) out.push((rem[i % rem.length] as [string, number])[0]);
  return rng.shuffle(out);
}
