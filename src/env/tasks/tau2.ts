/**
 * τ²/τ³ tasks: `tasks.json` (an array of τ² `Task`s) with `split_tasks.json` (`{split: [ids]}`).
 * Scenario, gold actions, initial state and evaluation criteria map onto the internal {@link Task};
 * `instruction` is the scenario rendered exactly as τ²'s `str(user_scenario)` does.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DataError } from '../../core/errors.js';
import { isPyObject, type PyObject, type PyValue } from '../../core/py/py-value.js';
import type { GoldAction, RewardComponent, Task, TaskEvaluation, UserScenario } from '../../core/task.js';
import { readJsonFile, validateValue } from '../data-files.js';

const pyObject = z.custom<PyObject>((v) => isPyObject(v), { message: 'expected an object' });
const optStr = z.string().nullable().optional();

const structuredInstructions = z.object({
  domain: z.string(),
  reason_for_call: z.string(),
  known_info: optStr,
  unknown_info: optStr,
  task_instructions: z.string(),
});

const actionSchema = z.object({
  action_id: z.string(),
  requestor: z.enum(['assistant', 'user']).optional(),
  name: z.string().min(1),
  arguments: pyObject,
  info: optStr,
  compare_args: z.array(z.string()).nullable().optional(),
});

const envCallSchema = z.object({ env_type: z.enum(['assistant', 'user']), func_name: z.string(), arguments: pyObject });

const REWARD_COMPONENTS = ['DB', 'ACTION', 'COMMUNICATE', 'ENV_ASSERTION', 'NL_ASSERTION'] as const;

/** The parts of a τ² task this harness reads (others are kept in `meta`). */
export const tau2TaskSchema = z.object({
  id: z.string(),
  description: z
    .object({ purpose: optStr, relevant_policies: optStr, notes: optStr })
    .nullable()
    .optional(),
  user_scenario: z.object({ persona: optStr, instructions: z.union([z.string(), structuredInstructions]) }),
  initial_state: z
    .object({
      initialization_data: z.unknown().optional(),
      initialization_actions: z.array(envCallSchema).nullable().optional(),
      message_history: z.array(z.unknown()).nullable().optional(),
    })
    .nullable()
    .optional(),
  evaluation_criteria: z
    .object({
      actions: z.array(actionSchema).nullable().optional(),
      env_assertions: z
        .array(envCallSchema.extend({ assert_value: z.boolean().optional(), message: optStr }))
        .nullable()
        .optional(),
      communicate_info: z.array(z.string()).nullable().optional(),
      nl_assertions: z.array(z.string()).nullable().optional(),
      reward_basis: z.array(z.enum(REWARD_COMPONENTS)).optional(),
    })
    .nullable()
    .optional(),
});

type Tau2Raw = z.infer<typeof tau2TaskSchema>;

/** Python `textwrap.indent(text, prefix)`: prefixes every line that is not whitespace-only. */
export function pyIndent(text: string, prefix: string): string {
  return text
    .split(/(?<=\n)/)
    .map((line) => (line.trim() === '' ? line : prefix + line))
    .join('');
}

/** τ²'s `str(user_scenario)`: `Persona:` (if any), then `Instructions:` with tab-indented blocks. */
export function renderScenario(persona: string | null | undefined, instructions: string | UserScenario): string {
  const lines: string[] = [];
  if (persona !== null && persona !== undefined) {
    lines.push('Persona:');
    lines.push(pyIndent(persona, '\t'));
  }
  lines.push('Instructions:');
  lines.push(pyIndent(typeof instructions === 'string' ? instructions : renderInstructions(instructions), '\t'));
  return lines.join('\n');
}

function renderInstructions(s: UserScenario): string {
  const lines = [`Domain: ${s.domain ?? ''}`, `Reason for call:\n${pyIndent(s.reasonForCall, '\t')}`];
  if (s.knownInfo !== null) lines.push(`Known info:\n${pyIndent(s.knownInfo, '\t')}`);
  if (s.unknownInfo !== null) lines.push(`Unknown info:\n${pyIndent(s.unknownInfo, '\t')}`);
  lines.push(`Task instructions:\n${pyIndent(s.taskInstructions ?? '', '\t')}`);
  return lines.join('\n');
}

const USER_ID = /\buser[ _-]?id\b(?:\s+is)?\s*:?\s*[`'"]?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)/i;

/** The user id a scenario text names ("Your user id is emma_kim_9957."), if any. */
export function userIdFromText(text: string): string | undefined {
  return USER_ID.exec(text)?.[1];
}

function goldAction(a: z.infer<typeof actionSchema>, raw: PyObject): GoldAction {
  const out: GoldAction = { name: a.name, kwargs: raw.arguments as PyObject, id: a.action_id };
  if (a.compare_args !== undefined) out.compareArgs = a.compare_args;
  if (a.requestor !== undefined) out.requestor = a.requestor;
  return out;
}

/** Converts one validated τ² task (`raw` keeps the original values with float-ness). */
function convert(t: Tau2Raw, raw: PyObject, index: number, domain: string, split: string): Task {
  const ins = t.user_scenario.instructions;
  const persona = t.user_scenario.persona ?? null;
  let scenario: UserScenario | undefined;
  if (typeof ins !== 'string') {
    scenario = {
      domain: ins.domain,
      persona,
      reasonForCall: ins.reason_for_call,
      knownInfo: ins.known_info ?? null,
      unknownInfo: ins.unknown_info ?? null,
      taskInstructions: ins.task_instructions,
    };
  }
  const instruction = renderScenario(persona, scenario ?? (ins as string));
  const rawEc = raw.evaluation_criteria as PyObject | null | undefined;
  const ec = t.evaluation_criteria;
  const rawActions = (rawEc?.actions ?? []) as PyObject[];
  const actions = (ec?.actions ?? []).map((a, i) => goldAction(a, rawActions[i] as PyObject));
  const task: Task = {
    id: t.id,
    index,
    format: 'tau2',
    domain,
    split,
    instruction,
    actions,
    outputs: [],
  };
  const userId = userIdFromText(typeof ins === 'string' ? ins : [ins.known_info, ins.reason_for_call, ins.task_instructions].join('\n'));
  if (userId !== undefined) task.userId = userId;
  if (scenario !== undefined) task.scenario = scenario;
  if (ec !== null && ec !== undefined) {
    const rawAssertions = (rawEc?.env_assertions ?? []) as PyObject[];
    const evaluation: TaskEvaluation = {
      rewardBasis: (ec.reward_basis ?? ['DB', 'COMMUNICATE']) as RewardComponent[],
      communicateInfo: ec.communicate_info ?? [],
      nlAssertions: ec.nl_assertions ?? [],
      envAssertions: (ec.env_assertions ?? []).map((e, i) => ({
        envType: e.env_type,
        funcName: e.func_name,
        arguments: (rawAssertions[i] as PyObject).arguments as PyObject,
        assertValue: e.assert_value ?? true,
        message: e.message ?? null,
      })),
    };
    if ((ec.actions === null || ec.actions === undefined) && (ec.env_assertions === null || ec.env_assertions === undefined)) evaluation.envCheck = false;
    task.evaluation = evaluation;
  }
  const init = t.initial_state;
  if (init?.initialization_actions) {
    const rawInit = ((raw.initial_state as PyObject).initialization_actions ?? []) as PyObject[];
    task.initialActions = init.initialization_actions.map((a, i) => ({
      name: a.func_name,
      kwargs: (rawInit[i] as PyObject).arguments as PyObject,
      requestor: a.env_type,
    }));
  }
  const meta: Record<string, unknown> = {};
  if (t.description) meta.description = t.description;
  if (init?.initialization_data != null) meta.initializationData = init.initialization_data;
  if (init?.message_history != null && init.message_history.length > 0) meta.messageHistory = init.message_history;
  for (const k of ['issues', 'annotations', 'ticket']) if (raw[k] !== undefined && raw[k] !== null) meta[k] = raw[k];
  if (Object.keys(meta).length > 0) task.meta = meta;
  return task;
}

/** Converts the parsed content of a τ² `tasks.json`; errors name `file` and the JSON path. */
export function tau2TasksFromValue(value: PyValue, file: string, domain: string, split = 'base'): Task[] {
  if (!Array.isArray(value)) throw new DataError(`${file}: $: expected a list of tasks`, { code: 'task_invalid', path: `${file}#$` });
  const seen = new Set<string>();
  return value.map((raw, index) => {
    const t = validateValue(tau2TaskSchema, raw, file, [index]);
    if (seen.has(t.id)) throw new DataError(`${file}: $[${index}].id: duplicate task id "${t.id}"`, { code: 'task_invalid', path: `${file}#$[${index}].id` });
    seen.add(t.id);
    return convert(t, raw as PyObject, index, domain, split);
  });
}

/** Reads `split_tasks.json` (`{split: [task ids]}`) if present. */
export function readTau2Splits(dir: string): Map<string, string[]> | undefined {
  const file = join(dir, 'split_tasks.json');
  if (!existsSync(file)) return undefined;
  const v = validateValue(z.record(z.string(), z.array(z.string())), readJsonFile(file), file);
  return new Map(Object.entries(v));
}

/**
 * Loads the tasks of one split from a τ² domain directory. Without `split_tasks.json` only the
 * `base` split (all tasks) exists. Tasks keep their position in `tasks.json` as `index`, and
 * come in file order.
 */
export function loadTau2Tasks(dir: string, domain: string, split = 'base'): Task[] {
  const file = join(dir, 'tasks.json');
  const all = tau2TasksFromValue(readJsonFile(file), file, domain, split);
  const splits = readTau2Splits(dir);
  if (splits === undefined || !splits.has(split)) {
    if (split === 'base') return all;
    const known = splits === undefined ? ['base'] : [...new Set(['base', ...splits.keys()])];
    throw new DataError(`${dir}: no split "${split}" for τ² ${domain} tasks (available: ${known.join(', ')})`, { code: 'data_not_found', path: join(dir, 'split_tasks.json') });
  }
  const ids = splits.get(split) as string[];
  const byId = new Map(all.map((t) => [t.id, t]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new DataError(`${join(dir, 'split_tasks.json')}: split "${split}" names unknown task ids: ${missing.slice(0, 5).join(', ')}`, {
      code: 'task_invalid',
      path: join(dir, 'split_tasks.json'),
    });
  }
  const wanted = new Set(ids);
  return all.filter((t) => wanted.has(t.id));
}
