/**
 * τ² results JSON (`Results` of τ²'s `src/tau2/data_model/simulation.py`: `{info, tasks,
 * simulations: [SimulationRun]}`) as a published run: each simulation's agent tool calls (all of
 * them: τ² executes every call of a message) and replies become the actions to replay, its
 * messages the trajectory (with per-message usage and cost as LLM calls), its
 * `reward_info.reward` the published reward. Parsed with Python number types kept (so `80` and
 * `80.0` stay apart in the replayed database).
 */
import { DataError } from '../core/errors.js';
import { parsePyJson, pyDumps } from '../core/py/py-json.js';
import { PyFloat } from '../core/py/py-float.js';
import { isPyObject, type PyObject, type PyValue } from '../core/py/py-value.js';
import { RESPOND, type Action } from '../env/environment.js';
import type { GivenTrajectory } from '../env/reward/trajectory-file.js';
import type { CallRecord } from '../models/types.js';
import { modelSpecOf } from './import-taubench.js';
import type { PublishedEpisode, PublishedRun, PublishedRunInfo } from './import-published.js';
import type { TrajectoryEvent } from '../contract/record.js';

function fail(where: string, message: string): never {
  throw new DataError(`${where}: ${message}`, { code: 'data_invalid', path: where });
}

const num = (v: PyValue | undefined): number | undefined => (typeof v === 'number' ? v : v instanceof PyFloat ? v.value : undefined);
const str = (v: PyValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: PyValue | undefined): PyObject => (isPyObject(v) ? v : {});

/**
 * τ² termination reason → this harness's. `user_stop` covers τ²'s three user stop tokens: the last
 * user message tells `###TRANSFER###` (transfer) and `###OUT-OF-SCOPE###` (out_of_scope) apart.
 * Failures other than the user's and the infrastructure's become `agent_error` (τ² scores them 0).
 */
export function terminationOfTau2(reason: string, lastUserText: string): string {
  switch (reason) {
    case 'user_stop':
      if (lastUserText.includes('###TRANSFER###')) return 'transfer';
      if (lastUserText.includes('###OUT-OF-SCOPE###')) return 'out_of_scope';
      return 'user_stop';
    case 'agent_stop':
    case 'max_steps':
    case 'user_error':
    case 'infrastructure_error':
      return reason;
    default:
      return 'agent_error';
  }
}

function callOf(m: PyObject, role: 'agent' | 'user', model: string): CallRecord | undefined {
  const usage = obj(m.usage);
  const cost = num(m.cost);
  if (!isPyObject(m.usage) && cost === undefined) return undefined;
  const input = num(usage.prompt_tokens);
  const output = num(usage.completion_tokens);
  const startedAt = Date.parse(str(m.timestamp) ?? '');
  return {
    role,
    model,
    usage: { ...(input === undefined ? {} : { input }), ...(output === undefined ? {} : { output }) },
    latencyMs: (num(m.generation_time_seconds) ?? 0) * 1000,
    costUsd: cost ?? null,
    retries: 0,
    retryWaitMs: 0,
    cached: false,
    startedAt: Number.isNaN(startedAt) ? 0 : startedAt,
  };
}

function simulation(sim: PyObject, where: string, agentModel: string, userModel: string): PublishedEpisode {
  const taskId = sim.task_id;
  if (typeof taskId !== 'string' && typeof taskId !== 'number') fail(`${where}.task_id`, 'expected a task id');
  const messages = Array.isArray(sim.messages) ? sim.messages : fail(`${where}.messages`, 'expected a list of messages');
  const actions: Action[] = [];
  const trajectory: TrajectoryEvent[] = [];
  const calls: CallRecord[] = [];
  const pending = new Map<string, Extract<TrajectoryEvent, { type: 'tool' }>>();
  const queue: Array<Extract<TrajectoryEvent, { type: 'tool' }>> = [];
  let turns = 0;
  let toolCalls = 0;
  let lastUserText = '';
  messages.forEach((raw, i) => {
    const m = obj(raw);
    const role = str(m.role);
    if (role === 'tool') {
      const id = str(m.id) ?? '';
      const ev = pending.get(id) ?? queue[0];
      if (ev === undefined) return;
      pending.delete(id);
      queue.splice(queue.indexOf(ev), 1);
      ev.observation = str(m.content) ?? '';
      ev.error = m.error === true;
      return;
    }
    if (role === 'user') {
      lastUserText = str(m.content) ?? '';
      trajectory.push({ type: 'message', from: 'user', text: lastUserText, at: 0 });
      const call = callOf(m, 'user', userModel);
      if (call !== undefined) calls.push(call);
      return;
    }
    if (role !== 'assistant') return;
    const call = callOf(m, 'agent', agentModel);
    if (call !== undefined) calls.push(call);
    const toolList = Array.isArray(m.tool_calls) ? m.tool_calls : [];
    if (toolList.length > 0) {
      toolList.forEach((tc, j) => {
        const c = obj(tc);
        const name = str(c.name) ?? fail(`${where}.messages[${i}].tool_calls[${j}].name`, 'expected a tool name');
        if (c.requestor === 'user') return;
        const kwargs = isPyObject(c.arguments) ? c.arguments : {};
        actions.push({ name, kwargs });
        const ev: Extract<TrajectoryEvent, { type: 'tool' }> = { type: 'tool', name, arguments: pyDumps(kwargs), observation: '', error: false, at: 0 };
        const id = str(c.id);
        if (id !== undefined && id !== '') {
          ev.id = id;
          pending.set(id, ev);
        }
        queue.push(ev);
        trajectory.push(ev);
        toolCalls++;
      });
      return;
    }
    const content = str(m.content) ?? '';
    actions.push({ name: RESPOND, kwargs: { content } });
    trajectory.push({ type: 'message', from: 'agent', text: content, at: 0 });
    turns++;
  });
  const reason = str(sim.termination_reason) ?? fail(`${where}.termination_reason`, 'expected a termination reason');
  const rewardInfo = sim.reward_info;
  const given: GivenTrajectory = {
    task: String(taskId),
    actions,
    termination: terminationOfTau2(reason, lastUserText),
    referenceReward: isPyObject(rewardInfo) ? (num(rewardInfo.reward) ?? null) : null,
    origin: where,
  };
  const trial = num(sim.trial);
  if (trial !== undefined) given.trial = trial;
  const start = Date.parse(str(sim.start_time) ?? '');
  const out: PublishedEpisode = {
    given,
    trajectory,
    turns,
    toolCalls,
    calls,
    startedAt: Number.isNaN(start) ? 0 : start,
    durationMs: Math.round((num(sim.duration) ?? 0) * 1000),
  };
  if (given.termination !== reason) out.terminationMessage = `τ² termination: ${reason}`;
  return out;
}

/**
 * Parses a τ² results JSON. Simulations without a trial number are numbered by occurrence per task.
 * @throws DataError naming the place when the file is not τ² results.
 */
export function parseTau2Results(content: string, file: string): PublishedRun {
  const root = parsePyJson(content, file);
  if (!isPyObject(root) || !Array.isArray(root.simulations)) fail(file, 'expected τ² results: an object with "info" and "simulations"');
  const info = obj(root.info);
  const agentInfo = obj(info.agent_info);
  const userInfo = obj(info.user_info);
  const agentModel = str(agentInfo.llm);
  const userModel = str(userInfo.llm);
  const seen = new Map<string, number>();
  const episodes = root.simulations.map((s, i) => {
    const e = simulation(obj(s), `${file}#simulations[${i}]`, agentModel === undefined ? 'unknown' : modelSpecOf(agentModel), userModel === undefined ? 'unknown' : modelSpecOf(userModel));
    const key = String(e.given.task);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    if (e.given.trial === undefined) e.given.trial = occurrence;
    return e;
  });
  const meta: PublishedRunInfo = { format: 'tau2' };
  const implementation = str(agentInfo.implementation);
  if (implementation !== undefined) meta.agent = implementation === 'llm_agent' ? 'tool-calling' : implementation;
  if (agentModel !== undefined) meta.model = modelSpecOf(agentModel);
  if (userModel !== undefined) meta.userModel = modelSpecOf(userModel);
  const temperature = num(obj(agentInfo.llm_args).temperature);
  if (temperature !== undefined) meta.temperature = temperature;
  // τ²'s max_steps counts every hop (agent and user messages, tool results); this harness's cap counts agent steps.
  const maxSteps = num(info.max_steps);
  if (maxSteps !== undefined) meta.maxSteps = Math.floor(maxSteps / 2);
  const seed = num(info.seed);
  if (seed !== undefined) meta.seed = seed;
  const domain = str(obj(info.environment_info).domain_name);
  if (domain !== undefined) meta.domain = domain;
  return { info: meta, episodes };
}
