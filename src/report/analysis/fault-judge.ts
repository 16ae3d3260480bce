/**
 * Optional LLM pass over the failed episodes (`taubp report --judge-model`): for each episode
 * counted in pass^k that failed, a judge model reads the customer's instruction, the gold actions
 * and required outputs, and the conversation, and says who is responsible: the user simulator
 * (it did something the instruction did not ask for), the agent (a wrong or missing action), or
 * the environment (anything else), as τ-bench's `auto_error_identification.py` does. The prompt
 * is this project's own text. Calls are recorded under the `judge` role; an answer that does
 * not fit the schema is asked again once, then the episode is listed as without a verdict. A call
 * that fails (after the model's own retries) for another reason than a refusal of that request
 * stops the pass: the episodes left are listed as not judged, and the report is still written.
 */
import { stableJson } from '../../core/stable-json.js';
import { join } from 'node:path';
import { z } from 'zod';
import { toJsonValue } from '../../blueprint/audit.js';
import type { Task } from '../../core/task.js';
import { findTaskByRef } from '../../env/tasks/lookup.js';
import { jsonSchemaOf } from '../../env/tool.js';
import { withRole } from '../../models/role.js';
import type { CallRecord, ChatMessage, ChatModel } from '../../models/types.js';
import { episodeKey, type EpisodeRecord } from '../../contract/record.js';
import { EPISODES_FILE, EpisodeStream } from '../../runner/results.js';
import { runCostOf } from '../../runner/run-cost.js';
import { cachedGoldLoader, type FailureAnalysis, type FaultVerdict, type GoldLoader, type RunRef } from './failure-analysis.js';
import { EXCLUDED_CATEGORIES } from './failures.js';

const VerdictSchema = z.strictObject({
  responsible: z.enum(['user', 'agent', 'environment']).describe('who caused the failure'),
  reason: z.string().describe('one or two sentences on the decisive difference from the gold outcome'),
});

const INSTRUCTIONS = `You review a failed customer-service episode from a benchmark of support agents.
A simulated customer followed a written instruction; an agent served them with tools on a database.
You get the instruction, a reference list of the tool calls that reach the expected final state
(an empty list means no change was expected), the facts the agent had to tell the customer (if any),
and the transcript. The episode was graded as a failure.
Decide who is responsible for the failure:
- "user": the simulated customer caused it by asking for or agreeing to something the instruction did not contain, or by leaving before the goal was reached when the agent was on track;
- "agent": the agent made a wrong tool call, used wrong arguments, skipped a needed action, broke the policy, or failed to give required information;
- "environment": neither of them (a tool that misbehaved, an ambiguous or unreachable goal).
Answer with JSON only: {"responsible": "user" | "agent" | "environment", "reason": "<short reason>"}.`;

/** The transcript of an episode as the judge reads it. */
export function judgeTranscript(record: Pick<EpisodeRecord, 'trajectory'>, maxChars = 60_000): string {
  const lines: string[] = [];
  for (const e of record.trajectory) {
    if (e.type === 'message') lines.push(`${e.from === 'agent' ? 'Agent' : 'Customer'}: ${e.text}`);
    else if (e.type === 'tool') lines.push(`Agent calls ${e.name} ${e.arguments}\nTool result${e.error ? ' (error)' : ''}: ${e.observation}`);
  }
  const text = lines.join('\n');
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}\n[… ${text.length - maxChars} more characters not shown]`;
}

/** The question put to the judge for one episode. */
export function judgeQuestion(task: Pick<Task, 'instruction' | 'actions' | 'outputs'> & { evaluation?: { communicateInfo?: string[] } | undefined }, record: Pick<EpisodeRecord, 'trajectory'>): string {
  const gold = task.actions.filter((a) => a.requestor !== 'user').map((a) => ({ name: a.name, arguments: toJsonValue(a.kwargs) }));
  const outputs = [...task.outputs, ...(task.evaluation?.communicateInfo ?? [])];
  return [
    `Customer instruction:\n${task.instruction}`,
    `Reference tool calls:\n${stableJson(gold)}`,
    ...(outputs.length === 0 ? [] : [`Facts the agent had to tell the customer:\n${outputs.map((o) => `- ${o}`).join('\n')}`]),
    `Transcript:\n${judgeTranscript(record)}`,
  ].join('\n\n');
}

/** Options of {@link assignFaults}. */
export interface FaultJudgeOptions {
  /** Sampling temperature. Default 0. */
  temperature?: number;
  /** Attempts per episode before giving up. Default 2. */
  maxAttempts?: number;
  /** Progress notes. Default none. */
  note?: (text: string) => void;
}

/** One verdict, or why there is none. */
export async function judgeEpisode(model: ChatModel, task: Task, record: EpisodeRecord, options: FaultJudgeOptions = {}): Promise<FaultVerdict | { error: string }> {
  const schema = jsonSchemaOf(VerdictSchema);
  const messages: ChatMessage[] = [{ role: 'user', content: judgeQuestion(task, record) }];
  const attempts = options.maxAttempts ?? 2;
  let problem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const res = await model.complete({
      system: INSTRUCTIONS,
      messages,
      responseFormat: { name: 'fault', schema },
      temperature: options.temperature ?? 0,
      trial: record.trial,
      privileged: { subtask: { name: 'assign_fault', input: { taskId: record.taskId, trial: record.trial } } },
    });
    const text = res.text ?? '';
    try {
      const parsed = VerdictSchema.safeParse(JSON.parse(text));
      if (parsed.success) return { taskId: record.taskId, trial: record.trial, author: parsed.data.responsible, reason: parsed.data.reason };
      problem = z.prettifyError(parsed.error);
    } catch (e) {
      problem = `not valid JSON: ${(e as Error).message}`;
    }
    messages.push({ role: 'assistant', content: text }, { role: 'user', content: `That answer was not usable (${problem}). Reply with the JSON object only.` });
  }
  return { error: `no usable verdict after ${attempts} attempt(s): ${problem}` };
}

/**
 * Runs the judge over every run's failed episodes counted in pass^k (excluded categories and
 * runs without gold data are skipped), adding `faults` and `faultErrors` to each run of
 * `analysis` and `judge` (model, calls, spend) to it. Returns the judge's call records.
 */
export async function assignFaults(analysis: FailureAnalysis, runs: readonly RunRef[], model: ChatModel, load: GoldLoader, options: FaultJudgeOptions = {}): Promise<CallRecord[]> {
  const calls: CallRecord[] = [];
  const judge = withRole(model, 'judge', calls);
  const gold = cachedGoldLoader(load);
  let stopped: string | undefined;
  for (const r of analysis.runs) {
    const ref = runs.find((x) => x.dir === r.dir);
    const data = ref === undefined ? 'run not given' : gold(ref.config);
    r.faults = [];
    r.faultErrors = [];
    if (typeof data === 'string') continue;
    const wanted = new Set(r.failures.filter((f) => !EXCLUDED_CATEGORIES.includes(f.category)).map((f) => episodeKey(f)));
    const done = new Set<string>();
    // The last record of each wanted (task, trial) is the one classified (the deduplication keeps a result over an infrastructure error).
    const last = new Map<string, number>();
    for (const { record, line } of new EpisodeStream(join(r.dir, EPISODES_FILE))) if (wanted.has(episodeKey(record)) && record.termination.reason !== 'infrastructure_error') last.set(episodeKey(record), line);
    for (const { record, line } of new EpisodeStream(join(r.dir, EPISODES_FILE))) {
      const key = episodeKey(record);
      if (last.get(key) !== line || done.has(key)) continue;
      done.add(key);
      const task = data.tasks.find((t) => t.id === record.taskId) ?? findTaskByRef(data.tasks, record.taskId);
      if (task === undefined) {
        r.faultErrors.push({ taskId: record.taskId, trial: record.trial, error: 'task not in the gold data' });
        continue;
      }
      if (stopped !== undefined) {
        r.faultErrors.push({ taskId: record.taskId, trial: record.trial, error: `not judged: the judge stopped after an error (${stopped})` });
        continue;
      }
      options.note?.(`judging ${r.run} task ${record.taskId} trial ${record.trial}\n`);
      try {
        const v = await judgeEpisode(judge, task, record, options);
        if ('error' in v) r.faultErrors.push({ taskId: record.taskId, trial: record.trial, error: v.error });
        else r.faults.push(v);
      } catch (e) {
        r.faultErrors.push({ taskId: record.taskId, trial: record.trial, error: (e as Error).message });
        // A refused request concerns this episode; any other failure (a bad key, a model that
        // does not exist, an endpoint down after retries) would fail every call alike: stop.
        if ((e as { code?: unknown }).code !== 'provider_rejected') stopped = (e as Error).message;
      }
    }
  }
  const cost = runCostOf([{ calls }], {});
  analysis.judge = { model: model.id, calls: cost.calls, cachedCalls: cost.cachedCalls, spendUsd: cost.spendUsd };
  return calls;
}
