/**
 * An episode's environment: its own database state, the domain's tools, and the log of every
 * action taken. `step()` never throws for bad input: unknown tools, unparsable or invalid
 * arguments and tool failures all come back as observations, as in the τ-bench reference.
 */
import { z } from 'zod';
import { parsePyJson } from '../core/py/py-json.js';
import { isPyObject, orderedKeys, type PyObject, type PyValue } from '../core/py/py-value.js';
import type { BaseDb, DbState } from './db-state.js';
import type { ToolRegistry } from './registry.js';
import { ToolFailure, describeIssues } from './tool.js';

/** Name of the pseudo-action that is a reply to the user (τ-bench's `respond`). */
export const RESPOND = 'respond';

/** An action in τ-bench's format: a tool name (or `respond`) and keyword arguments. */
export interface Action {
  name: string;
  kwargs: PyObject;
}

/** An action as logged by the environment, with its observation. */
export interface LoggedAction extends Action {
  /** Observation text (for `respond`: the reply content is in kwargs.content, observation empty). */
  observation: string;
  /** True when the observation is an error (`Error: ...` or `Unknown action ...`). */
  error: boolean;
  /** Epoch ms. */
  at: number;
}

/** What one step returns. */
export interface StepResult {
  observation: string;
  /** The tool ends the episode (e.g. v1 `transfer_to_human_agents`). */
  done: boolean;
  error: boolean;
  /** Tool name, or `respond`. */
  source: string;
}

/** Options for {@link Environment}. */
export interface EnvironmentOptions {
  registry: ToolRegistry;
  base: BaseDb;
  /** Observation for an unknown tool. Default: the registry's, else the v1 text `Unknown action <name>`. */
  unknownTool?: (name: string) => string;
  /** Clock for action timestamps. Default `Date.now`. */
  now?: () => number;
}

/** One episode's tools and database. */
export class Environment {
  readonly registry: ToolRegistry;
  readonly db: DbState;
  readonly actions: LoggedAction[] = [];
  readonly #unknown: (name: string) => string;
  readonly #now: () => number;

  constructor(options: EnvironmentOptions) {
    this.registry = options.registry;
    this.db = options.base.fork();
    this.#unknown = options.unknownTool ?? options.registry.unknownTool ?? ((name) => `Unknown action ${name}`);
    this.#now = options.now ?? Date.now;
  }

  /** Runs a tool with already-parsed arguments and logs it. */
  step(action: Action): StepResult {
    if (action.name === RESPOND) {
      const content = action.kwargs.content;
      this.respond(typeof content === 'string' ? content : '');
      return { observation: '', done: false, error: false, source: RESPOND };
    }
    const tool = this.registry.get(action.name);
    let observation: string;
    let error = false;
    let done = false;
    if (tool === undefined) {
      observation = this.#unknown(action.name);
      error = true;
    } else {
      const parsed = tool.schema.safeParse(action.kwargs);
      if (!parsed.success) {
        const reference = this.registry.argumentError?.(tool.name, orderedKeys(action.kwargs));
        observation = reference === undefined ? `Error: invalid arguments for ${tool.name}: ${describeIssues(parsed.error as z.ZodError)}` : `Error: ${reference}`;
        error = true;
      } else {
        try {
          // Pass the original values through: zod would reorder keys of nested objects.
          observation = tool.invoke(this.db, action.kwargs as never);
          error = observation.startsWith('Error: ');
        } catch (e) {
          observation = `Error: ${e instanceof ToolFailure || e instanceof Error ? e.message : String(e)}`;
          error = true;
        }
        done = tool.terminate === true;
      }
    }
    this.actions.push({ name: action.name, kwargs: action.kwargs, observation, error, at: this.#now() });
    return { observation, done, error, source: action.name };
  }

  /**
   * Runs a tool from the model's raw argument text. Text that is not a JSON object gives an
   * `Error: ...` observation naming the problem; nothing throws.
   */
  stepRaw(name: string, rawArguments: string): StepResult {
    let kwargs: PyValue;
    try {
      kwargs = rawArguments.trim() === '' ? {} : parsePyJson(rawArguments, `arguments of ${name}`);
    } catch (e) {
      return this.#logError(name, {}, `Error: arguments of ${name} are not valid JSON: ${(e as Error).message}`);
    }
    if (!isPyObject(kwargs)) {
      return this.#logError(name, {}, `Error: arguments of ${name} must be a JSON object`);
    }
    return this.step({ name, kwargs });
  }

  /** Logs a reply to the user (the `respond` pseudo-action). */
  respond(content: string): void {
    this.actions.push({ name: RESPOND, kwargs: { content }, observation: '', error: false, at: this.#now() });
  }

  /** Contents of every reply to the user, in order. */
  replies(): string[] {
    return this.actions.filter((a) => a.name === RESPOND).map((a) => String(a.kwargs.content ?? ''));
  }

  #logError(name: string, kwargs: PyObject, observation: string): StepResult {
    this.actions.push({ name, kwargs, observation, error: true, at: this.#now() });
    return { observation, done: false, error: true, source: name };
  }
}
