/**
 * The blueprint agent: an {@link Agent} that plays an episode by running a blueprint. It
 * validates the blueprint against the session's registry before its first step, writes the audit
 * log as `session.note('blueprint', event)`, and hands each finished run's log to `onRun`.
 */
import { ConfigError } from '../core/errors.js';
import type { Agent, AgentEntry, AgentOptions, AgentSession } from '../contract/agent.js';
import type { AuditEvent } from './audit.js';
import { runBlueprint, type EngineOptions, type RunEnd } from './engine.js';
import type { AnyBlueprint, Blueprint } from './types.js';

/** What `onRun` receives after each episode. */
export interface BlueprintRunRecord<Ctx> {
  session: AgentSession;
  events: AuditEvent[];
  /** Set when the run finished normally. */
  end?: RunEnd;
  ctx?: Ctx;
  /** Set when the run failed (the error is rethrown to the runner as well). */
  error?: unknown;
}

/** Options of {@link createBlueprintAgent}. */
export interface BlueprintAgentOptions<Ctx> extends Omit<EngineOptions, 'onEvent'> {
  /** Agent name in run metadata. Default `blueprint`. */
  name?: string;
  /** Receives every run's log (successful or not), e.g. to keep it for replay. */
  onRun?: (record: BlueprintRunRecord<Ctx>) => void;
}

/** An agent running one blueprint; `blueprint` is exposed for graph exports and replay. */
export interface BlueprintAgent<Ctx> extends Agent {
  readonly blueprint: Blueprint<Ctx>;
}

/**
 * Creates the agent. The instance is stateless between episodes and safe to run concurrently.
 *
 * @example
 * const agent = createBlueprintAgent(retailBlueprint, { replies: 'template', onRun: (r) => logs.push(r.events) });
 */
export function createBlueprintAgent<Ctx>(bp: Blueprint<Ctx>, options: BlueprintAgentOptions<Ctx> = {}): BlueprintAgent<Ctx> {
  const { name = 'blueprint', onRun, ...engine } = options;
  return {
    name,
    blueprint: bp,
    async run(session: AgentSession): Promise<void> {
      const events: AuditEvent[] = [];
      try {
        const result = await runBlueprint(bp, session, { ...engine, onEvent: (e) => events.push(e) });
        onRun?.({ session, events, end: result.end, ctx: result.ctx });
      } catch (error) {
        onRun?.({ session, events, error });
        throw error;
      }
    },
  };
}

/** Settings `--agent blueprint` accepts (`AgentOptions.settings`). */
const SETTINGS = ['replies', 'subtaskTemperature', 'subtaskMaxTokens', 'replyMaxTokens', 'maxNodeVisits'] as const;

function positiveInt(settings: Record<string, unknown>, key: string): number | undefined {
  const v = settings[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new ConfigError(`blueprint setting "${key}" must be a positive integer (got ${JSON.stringify(v)})`, { path: `settings.${key}` });
  return v;
}

/**
 * Engine options from an agent's run options. `temperature` applies to reply wording; sub-tasks
 * use `subtaskTemperature` (default 0). Unknown or malformed settings are a {@link ConfigError}.
 */
export function engineOptionsFrom(options: AgentOptions): EngineOptions {
  const settings = options.settings;
  const unknown = Object.keys(settings).filter((k) => !(SETTINGS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new ConfigError(`unknown blueprint setting(s) ${unknown.join(', ')} (known: ${SETTINGS.join(', ')})`, { path: 'settings' });
  const replies = settings.replies ?? 'template';
  if (replies !== 'template' && replies !== 'llm') throw new ConfigError(`blueprint setting "replies" must be "template" or "llm" (got ${JSON.stringify(replies)})`, { path: 'settings.replies' });
  const subtaskTemperature = settings.subtaskTemperature ?? 0;
  if (typeof subtaskTemperature !== 'number' || !(subtaskTemperature >= 0 && subtaskTemperature <= 2)) {
    throw new ConfigError(`blueprint setting "subtaskTemperature" must be a number from 0 to 2 (got ${JSON.stringify(subtaskTemperature)})`, { path: 'settings.subtaskTemperature' });
  }
  const subtaskMaxTokens = positiveInt(settings, 'subtaskMaxTokens');
  const replyMaxTokens = positiveInt(settings, 'replyMaxTokens');
  const maxNodeVisits = positiveInt(settings, 'maxNodeVisits');
  return {
    replies,
    subtask: { temperature: subtaskTemperature, ...(subtaskMaxTokens === undefined ? {} : { maxTokens: subtaskMaxTokens }) },
    reply: { ...(options.temperature === undefined ? {} : { temperature: options.temperature }), ...(replyMaxTokens === undefined ? {} : { maxTokens: replyMaxTokens }) },
    ...(maxNodeVisits === undefined ? {} : { maxNodeVisits }),
  };
}

/**
 * The registry entry of `--agent blueprint`: one blueprint per domain, chosen by
 * `session.domain` when an episode starts. Settings are checked when the agent is created.
 *
 * @example
 * // a small harness of one's own (the CLI uses the registry's `blueprint` and `blueprint:<id>` agents)
 * const agents = { desk: blueprintAgentEntry({ retail: retailBlueprint }) };
 */
export function blueprintAgentEntry(
  blueprints: Readonly<Record<string, AnyBlueprint>>,
  summary = 'Source Code Agent: a deterministic blueprint per domain; the LLM only answers bounded sub-tasks',
  onRun?: (record: BlueprintRunRecord<unknown>) => void,
): AgentEntry {
  return {
    summary,
    create(options: AgentOptions): Agent {
      const engine = engineOptionsFrom(options);
      const agents = new Map<string, Agent>();
      for (const [domain, bp] of Object.entries(blueprints)) {
        agents.set(domain, createBlueprintAgent(bp as Blueprint<unknown>, { ...engine, ...(onRun === undefined ? {} : { onRun }) }));
      }
      return {
        name: 'blueprint',
        run(session: AgentSession): Promise<void> {
          const agent = agents.get(session.domain);
          if (agent === undefined) {
            return Promise.reject(new ConfigError(`no blueprint for domain "${session.domain}" (blueprints exist for: ${[...agents.keys()].join(', ') || 'none'})`));
          }
          return agent.run(session);
        },
      };
    },
  };
}
