/**
 * The helpers a plug-in author writes with: {@link definePlugin} for the module's default export
 * and {@link defineAgent} for an agent architecture. Both return their argument (typed and
 * checked), so a plug-in is plain data the registry installs.
 */
import { ConfigError } from '../core/errors.js';
import type { AgentEntry } from '../contract/agent.js';
import type { PluginDefinition } from './types.js';

/**
 * Defines a plug-in (the default export of a module loaded with `--plugin`). Names must be new:
 * the registry refuses one already taken by a built-in or another plug-in, naming both.
 *
 * @example
 * export default definePlugin({ name: 'my-agents', agents: { echo: defineAgent({ summary: '…', create: () => new Echo() }) } });
 */
export function definePlugin<P extends PluginDefinition>(plugin: P): P {
  if (plugin === null || typeof plugin !== 'object' || typeof plugin.name !== 'string' || plugin.name.trim() === '') {
    throw new ConfigError('definePlugin: a plug-in needs a non-empty name');
  }
  return plugin;
}

/**
 * Defines an agent architecture: `create(options)` is called once per run (validate
 * `options.settings` there and throw a ConfigError before any episode); the returned agent plays
 * every episode (`run(session)`) and must be safe to run concurrently. `summary` is one line for
 * `taubp run --help`.
 *
 * @example
 * defineAgent({ summary: 'says goodbye', create: () => ({ name: 'bye', run: async (s) => void (await s.say('Bye!')) }) })
 */
export function defineAgent(entry: AgentEntry): AgentEntry {
  if (entry === null || typeof entry !== 'object' || typeof entry.create !== 'function') throw new ConfigError('defineAgent: an agent needs a create(options) function');
  if (typeof entry.summary !== 'string') throw new ConfigError('defineAgent: an agent needs a one-line summary');
  return entry;
}
