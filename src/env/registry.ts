/** The set of tools a domain offers, in schema order, with lookup by name. */
import type { ToolSpec } from '../models/types.js';
import { toolSpec, type ToolDef } from './tool.js';

/** Tools of one domain variant (e.g. retail v1), in the order the model sees them. */
export class ToolRegistry {
  readonly #tools = new Map<string, ToolDef>();
  #specs: ToolSpec[] | undefined;
  /** Observation for a call to a tool that does not exist (variant-specific wording). */
  readonly unknownTool: ((name: string) => string) | undefined;
  /**
   * Observation for arguments the tool's schema rejects, when the reference has its own wording
   * (τ-bench: Python's TypeError for keywords that do not fit the signature); undefined from it
   * keeps the harness's `Error: invalid arguments for <tool>: ...`.
   */
  readonly argumentError: ((tool: string, keys: readonly string[]) => string | undefined) | undefined;

  /**
   * @param tools the tools, in the order the model sees them
   * @param options.unknownTool observation for an unknown tool name; default (in the
   *   Environment): the v1 text `Unknown action <name>`
   */
  constructor(
    tools: Iterable<ToolDef>,
    options: { unknownTool?: (name: string) => string; argumentError?: (tool: string, keys: readonly string[]) => string | undefined } = {},
  ) {
    this.unknownTool = options.unknownTool;
    this.argumentError = options.argumentError;
    for (const t of tools) {
      if (this.#tools.has(t.name)) throw new Error(`duplicate tool ${t.name}`);
      this.#tools.set(t.name, t);
    }
  }

  get(name: string): ToolDef | undefined {
    return this.#tools.get(name);
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  names(): string[] {
    return [...this.#tools.keys()];
  }

  list(): ToolDef[] {
    return [...this.#tools.values()];
  }

  /** Provider-facing specs (JSON Schema from each tool's zod schema), computed once. */
  specs(): ToolSpec[] {
    this.#specs ??= this.list().map(toolSpec);
    return this.#specs;
  }

  /** A registry with only the named tools (unknown names are ignored). */
  subset(names: Iterable<string>): ToolRegistry {
    const keep = new Set(names);
    return new ToolRegistry(this.list().filter((t) => keep.has(t.name)), this.#options());
  }

  /** The same tools with {@link ToolRegistry.argumentError} set. */
  withArgumentErrors(argumentError: (tool: string, keys: readonly string[]) => string | undefined): ToolRegistry {
    return new ToolRegistry(this.list(), { ...this.#options(), argumentError });
  }

  #options(): { unknownTool?: (name: string) => string; argumentError?: (tool: string, keys: readonly string[]) => string | undefined } {
    return {
      ...(this.unknownTool === undefined ? {} : { unknownTool: this.unknownTool }),
      ...(this.argumentError === undefined ? {} : { argumentError: this.argumentError }),
    };
  }
}
