/**
 * The plan-and-execute agent (`--agent plan-execute`): between the ReAct baselines (the model
 * decides every step) and the blueprints (code decides every step). Per customer message the
 * model drafts ONE plan (`plan.ts`); the plan is validated before anything runs (`validate.ts`);
 * a rejected plan may be redrafted once with the problems listed; then the plan is executed as
 * written (`execute.ts`). A failed step ends the plan with a reply; a declined confirmation ends
 * it too (the customer's answer starts the next turn). Plans, validations, steps and outcomes are
 * recorded as `plan-execute` notes in the episode's trajectory, and every model call goes through
 * the session, so `taubp replay` reproduces an episode from its recorded responses.
 *
 * Written against the package's public API only (`src/index.ts`).
 */
import { z } from 'zod';
import { AGENT_GREETING, ConfigError, type Agent, type AgentOptions, type AgentSession, type ChatMessage, type ChatRequest, type ChatResponse, type PyValue, type UserReply } from '../../src/index.js';
import { executePlan, NOTE_KIND, type ExecutedStep, type Execution } from './execute.js';
import { PLAN_JSON_SCHEMA, PLAN_SUBTASK, REPLY_SUBTASK } from './plan.js';
import { DRAFTS, PLAN_INSTRUCTIONS, REPLY_INSTRUCTIONS, replanMessage } from './prompts.js';
import { validatePlan, type PlanIssue } from './validate.js';

/** Agent name in run records. */
export const PLAN_EXECUTE_AGENT = 'plan-execute';

/** Default most steps of one plan. */
export const DEFAULT_MAX_PLAN_STEPS = 20;

/** Drafts per customer turn: the plan and at most one new plan after a rejection. */
export const MAX_DRAFTS_PER_TURN = 2;

const SettingsSchema = z.strictObject({
  approvedTools: z
    .union([z.array(z.string().min(1)), z.string().min(1)])
    .optional()
    .describe('tools plans may call (a list or a comma-separated string); default every tool of the domain'),
  maxPlanSteps: z.number().int().min(1).max(200).optional().describe(`most steps in one plan (default ${DEFAULT_MAX_PLAN_STEPS})`),
});

/** Settings of the agent (`--agent-setting k=v`). */
export interface PlanExecuteSettings {
  /** Tools a plan may call. Default: every tool of the episode's domain. */
  approvedTools?: readonly string[];
  /** Most steps in one plan. Default {@link DEFAULT_MAX_PLAN_STEPS}. */
  maxPlanSteps: number;
}

/**
 * Reads the agent's settings; an unknown or malformed one is a ConfigError naming it.
 * @throws ConfigError
 */
export function planExecuteSettings(settings: Record<string, unknown>): PlanExecuteSettings {
  const r = SettingsSchema.safeParse(settings);
  if (!r.success) {
    const issue = r.error.issues[0];
    const known = Object.keys(SettingsSchema.shape);
    if (issue?.code === 'unrecognized_keys') {
      throw new ConfigError(`agent "${PLAN_EXECUTE_AGENT}": unknown setting ${issue.keys.map((k) => `"${k}"`).join(', ')}; ${PLAN_EXECUTE_AGENT} settings: ${known.join(', ')}`, { path: `settings.${issue.keys[0] ?? ''}` });
    }
    const where = issue === undefined ? '' : issue.path.map(String).join('.');
    throw new ConfigError(`agent "${PLAN_EXECUTE_AGENT}": bad setting "${where}": ${issue?.message ?? 'invalid'}`, { path: `settings.${where}` });
  }
  const { approvedTools, maxPlanSteps } = r.data;
  const approved = typeof approvedTools === 'string' ? approvedTools.split(',').map((s) => s.trim()).filter((s) => s !== '') : approvedTools;
  return { ...(approved === undefined ? {} : { approvedTools: approved }), maxPlanSteps: maxPlanSteps ?? DEFAULT_MAX_PLAN_STEPS };
}

/** An explicit yes: an affirmative first word and no hedge or negation anywhere. */
export function isExplicitYes(text: string): boolean {
  return /^\s*(yes|yeah|yep|yup|sure|ok|okay|confirmed|i confirm|correct|go ahead|please go ahead|please proceed|proceed)\b/i.test(text) && !/\b(no|not|do not|wait|but|cancel|stop)\b|n't\b/i.test(text);
}

/** One message of the conversation as the planner sees it. */
interface Line {
  from: 'customer' | 'agent';
  text: string;
}

/** What the agent knows within an episode. */
interface EpisodeState {
  conversation: Line[];
  /** Every tool call of the episode, as `t<turn>.<step>`. */
  executed: ExecutedStep[];
  turn: number;
}

/** Options of {@link createPlanExecuteAgent}. */
export interface PlanExecuteAgentOptions {
  /** Temperature of the planning and wording calls. Default: the provider's. */
  temperature?: number;
  settings?: PlanExecuteSettings;
}

/** Creates the agent (stateless between episodes; safe to run concurrently). */
export function createPlanExecuteAgent(options: PlanExecuteAgentOptions = {}): Agent {
  const settings = options.settings ?? { maxPlanSteps: DEFAULT_MAX_PLAN_STEPS };
  const temperature = options.temperature;
  return {
    name: PLAN_EXECUTE_AGENT,
    async run(session: AgentSession): Promise<void> {
      const registry = session.registry;
      const unknown = (settings.approvedTools ?? []).filter((t) => !registry.has(t));
      if (unknown.length > 0) throw new ConfigError(`agent "${PLAN_EXECUTE_AGENT}": approved tool(s) ${unknown.join(', ')} not in domain "${session.domain}" (tools: ${registry.names().join(', ')})`, { path: 'settings.approvedTools' });
      const approved = new Set(settings.approvedTools ?? registry.names());
      const rules = { registry, approved, maxSteps: settings.maxPlanSteps };
      const toolSpecs = session.tools.filter((t) => approved.has(t.name));
      const writeTools = registry.names().filter((n) => approved.has(n) && registry.get(n)?.kind === 'write');
      const system = `${PLAN_INSTRUCTIONS}\n\n# Policy\n${session.policy}\n\n# Tools\n${JSON.stringify(toolSpecs)}`;
      const state: EpisodeState = { conversation: [], executed: [], turn: 0 };
      const note = (data: Record<string, unknown>): void => session.note(NOTE_KIND, { turn: state.turn, ...data });

      // The planner sees every message: the session's say is tracked.
      const say = async (text: string): Promise<UserReply> => {
        state.conversation.push({ from: 'agent', text });
        const reply = await session.say(text);
        if (!reply.done) state.conversation.push({ from: 'customer', text: reply.text });
        return reply;
      };
      const tracked = new Proxy(session, {
        get: (target, prop) => {
          if (prop === 'say') return say;
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const call = (request: ChatRequest): Promise<ChatResponse> => session.model('agent').complete(request, { signal: session.signal });

      /** A reply worded by the model from a draft and facts (the draft when the answer is empty). */
      const worded = async (outcome: string, draft: string, facts: unknown): Promise<string> => {
        const input = { outcome, facts, draft };
        const res = await call({
          system: REPLY_INSTRUCTIONS,
          messages: [{ role: 'user', content: JSON.stringify(input, null, 2) }],
          trial: session.trial,
          ...(temperature === undefined ? {} : { temperature }),
          privileged: { subtask: { name: REPLY_SUBTASK, input } },
        });
        const text = res.text?.trim() ?? '';
        note({ event: 'reply', outcome, worded: text !== '' });
        return text === '' ? draft : text;
      };

      /** One customer turn: draft (and maybe redraft), validate, execute, reply. Resolves to the customer's next message, or undefined when the episode is over. */
      const turn = async (): Promise<string | undefined> => {
        state.turn++;
        const input: Record<string, unknown> = {
          conversation: state.conversation.map((l) => ({ ...l })),
          executed: state.executed.map((e) => ({ ...e })),
          writeTools,
          maxSteps: settings.maxPlanSteps,
        };
        const messages: ChatMessage[] = [{ role: 'user', content: JSON.stringify(input, null, 2) }];
        let validation: ReturnType<typeof validatePlan> | undefined;
        for (let attempt = 1; attempt <= MAX_DRAFTS_PER_TURN; attempt++) {
          const res = await call({
            system,
            messages: [...messages],
            responseFormat: { name: 'plan', schema: PLAN_JSON_SCHEMA },
            trial: session.trial,
            ...(temperature === undefined ? {} : { temperature }),
            privileged: { subtask: { name: PLAN_SUBTASK, input: attempt === 1 ? input : { ...input, attempt, rejected: issuesOf(validation) } } },
          });
          validation = validatePlan(res.text, rules);
          note({ event: 'plan', attempt, text: res.text });
          note({ event: 'validation', attempt, ok: validation.ok, ...(validation.ok ? { steps: validation.plan.steps.length } : { issues: validation.issues }) });
          if (validation.ok) break;
          messages.push({ role: 'assistant', content: res.text ?? '' }, { role: 'user', content: replanMessage(validation.issues.map(issueLine)) });
        }
        if (validation === undefined || !validation.ok) {
          note({ event: 'plan_end', outcome: 'rejected' });
          const reply = await say(await worded('rejected', DRAFTS.rejected, { issues: issuesOf(validation) }));
          return reply.done ? undefined : reply.text;
        }
        const exec: Execution = await executePlan(tracked, validation.plan, { callIdPrefix: `t${state.turn}-`, note, isYes: isExplicitYes });
        state.executed.push(...exec.results.map((r) => ({ ...r, step: `t${state.turn}.${r.step}` })));
        note({ event: 'plan_end', outcome: exec.outcome.kind, ...(exec.outcome.kind === 'failed' ? { step: exec.outcome.step, error: exec.outcome.error } : {}) });
        const o = exec.outcome;
        if (o.kind === 'ended' || session.ended) return undefined;
        if (o.kind === 'declined') return o.reply;
        if (o.kind === 'done' && o.replied) return exec.reply;
        const text =
          o.kind === 'failed'
            ? await worded('failed', DRAFTS.failed(o.tool, o.error), { failedStep: o.step, error: o.error, results: factsOf(exec.results) })
            : await worded('done', DRAFTS.done(exec.results.map((r) => r.tool)), { results: factsOf(exec.results) });
        const reply = await say(text);
        return reply.done ? undefined : reply.text;
      };

      if (session.firstUserMessage === null) {
        if ((await say(AGENT_GREETING)).done) return;
      } else state.conversation.push({ from: 'customer', text: session.firstUserMessage });
      // Each turn ends with a message to the customer, whose answer (in the conversation) is the next turn.
      while (!session.ended) if ((await turn()) === undefined) return;
    },
  };
}

function issueLine(i: PlanIssue): string {
  return `${i.step === undefined ? '' : `step ${i.step}: `}${i.message}`;
}

function issuesOf(v: ReturnType<typeof validatePlan> | undefined): string[] {
  return v === undefined || v.ok ? [] : v.issues.map(issueLine);
}

function factsOf(results: readonly ExecutedStep[]): Array<{ tool: string; args: PyValue; output: string; error: boolean }> {
  return results.map((r) => ({ tool: r.tool, args: r.args, output: r.output, error: r.error }));
}

/** Builds the agent from run options (validates settings first, before any episode). */
export function planExecuteAgentFromOptions(options: AgentOptions): Agent {
  const settings = planExecuteSettings(options.settings);
  return createPlanExecuteAgent({ settings, ...(options.temperature === undefined ? {} : { temperature: options.temperature }) });
}
