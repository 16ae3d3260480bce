/**
 * The blueprint agent: an {@link Agent} that plays an episode by running a blueprint. It
 * validates the blueprint against the session's registry before its first step, writes the audit
 * log as `session.note('blueprint', event)`, and hands each finished run's log to `onRun`.
 */
import type { Agent, AgentSession } from '../runner/agent.js';
import type { AuditEvent } from './audit.js';
import { runBlueprint, type EngineOptions, type RunEnd } from './engine.js';
import type { Blueprint } from './types.js';

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
