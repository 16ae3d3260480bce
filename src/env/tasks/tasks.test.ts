import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, ConfigError } from '../../core/errors.js';
import { PyFloat } from '../../core/py/py-float.js';
import { pyDumps } from '../../core/py/py-json.js';
import { findPolicy, requirePolicy } from '../policy.js';
import { detectTaskSource, listSplits, loadTasks } from './source.js';
import { loadTau2Tasks, renderScenario, userIdFromText } from './tau2.js';
import { loadTaubenchPyTasks, loadV1TasksJson } from './v1.js';

const root = mkdtempSync(join(tmpdir(), 'taubp-tasks-'));

function write(rel: string, text: string): string {
  const file = join(root, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

// A crafted τ-bench style task file (invented people and ids), exercising the Python syntax the
// reference files use: imports, implicit string concatenation, both quote styles, floats, ints.
const PY_TASKS = `from tau_bench.types import Action, Task

TASKS_TEST = [
    Task(
        annotator="0",
        user_id="mira_okafor_1182",
        instruction="You are Mira Okafor, living in 60614. "
        'You want to return the "travel mug" from order #W0000117 '
        "and get the refund on your gift card. You're polite but brief.",
        actions=[
            Action(
                name="find_user_id_by_name_zip",
                kwargs={"first_name": "Mira", "last_name": "Okafor", "zip": "60614"},
            ),
            Action(
                name="return_delivered_order_items",
                kwargs={
                    "order_id": "#W0000117",
                    "item_ids": ["5012894412"],
                    "payment_method_id": "gift_card_4410022",
                },
            ),
        ],
        outputs=[],
    ),
    Task(
        annotator='1',
        user_id='dev_ramos_3350',
        instruction='''You are Dev Ramos. Ask how much you paid in total
for order #W0000229; it should be 1,204.50.''',
        actions=[
            Action(name='get_order_details', kwargs={'order_id': '#W0000229'}),
            Action(
                name="calculate",
                kwargs={"expression": "1000.0 + 204.5"},
            ),
            Action(name="book_reservation", kwargs={"amount": 250.0, "count": 2, "nested": {"9": 1.5, "1": None, "ok": True}}),
        ],
        outputs=["1204.5", "travel mug"],
    ),
    Task(
        annotator="2",
        user_id="lee_hwang_7001",
        instruction="You are Lee Hwang.",
        actions=[],
        outputs=[],
    ),
]
`;

const JSON_TASKS = JSON.stringify(
  [
    {
      user_id: 'mira_okafor_1182',
      instruction:
        'You are Mira Okafor, living in 60614. You want to return the "travel mug" from order #W0000117 and get the refund on your gift card. You\'re polite but brief.',
      actions: [
        { name: 'find_user_id_by_name_zip', kwargs: { first_name: 'Mira', last_name: 'Okafor', zip: '60614' } },
        { name: 'return_delivered_order_items', kwargs: { order_id: '#W0000117', item_ids: ['5012894412'], payment_method_id: 'gift_card_4410022' } },
      ],
      outputs: [],
    },
    {
      user_id: 'dev_ramos_3350',
      instruction: 'You are Dev Ramos. Ask how much you paid in total\nfor order #W0000229; it should be 1,204.50.',
      actions: [
        { name: 'get_order_details', kwargs: { order_id: '#W0000229' } },
        { name: 'calculate', kwargs: { expression: '1000.0 + 204.5' } },
        { name: 'book_reservation', kwargs: { amount: 'FLOAT250', count: 2, nested: 'NESTED' } },
      ],
      outputs: ['1204.5', 'travel mug'],
      annotator: '1',
    },
    { user_id: 'lee_hwang_7001', instruction: 'You are Lee Hwang.', actions: [], outputs: [] },
  ],
  null,
  1,
)
  .replace('"FLOAT250"', '250.0')
  // Written by hand: a JS object literal would move the integer-like keys to the front.
  .replace('"NESTED"', '{"9": 1.5, "1": null, "ok": true}');

describe('v1 task loaders', () => {
  const pyFile = write('checkout/tau_bench/envs/retail/tasks_test.py', PY_TASKS);
  write('checkout/tau_bench/envs/retail/wiki.md', '# Retail agent policy\n');
  const jsonFile = write('v1/retail/tasks_test.json', JSON_TASKS);

  it('loads the JSON layout into tasks', () => {
    const tasks = loadV1TasksJson(jsonFile, 'retail', 'test');
    expect(tasks).toHaveLength(3);
    expect(tasks[1]).toMatchObject({ id: '1', index: 1, format: 'tau-v1', domain: 'retail', split: 'test', userId: 'dev_ramos_3350', outputs: ['1204.5', 'travel mug'] });
    const kwargs = tasks[1]?.actions[2]?.kwargs;
    expect(kwargs?.amount).toBeInstanceOf(PyFloat);
    expect(pyDumps(kwargs ?? null)).toBe('{"amount": 250.0, "count": 2, "nested": {"9": 1.5, "1": null, "ok": true}}');
    expect(tasks[1]).not.toHaveProperty('annotator');
  });

  it('loads a tasks_*.py file into the same tasks as the JSON file', () => {
    const fromPy = loadTaubenchPyTasks(pyFile, 'retail', 'test');
    const fromJson = loadV1TasksJson(jsonFile, 'retail', 'test');
    expect(fromPy).toEqual(fromJson);
    // toEqual does not see float-ness or key order: compare the Python dumps too.
    const dump = (ts: typeof fromPy): string[] => ts.flatMap((t) => t.actions.map((a) => `${a.name} ${pyDumps(a.kwargs)}`));
    expect(dump(fromPy)).toEqual(dump(fromJson));
  });

  it('uses TASKS for files without a split-named list', () => {
    const f = write('airline-py/tasks_test.py', 'from x import Task\nTASKS = [Task(user_id="a_b_1", instruction="i", actions=[], outputs=["4"])]\n');
    expect(loadTaubenchPyTasks(f, 'airline', 'test')[0]?.outputs).toEqual(['4']);
  });

  it('names the file and JSON path of the first problem', () => {
    const bad = write('bad/tasks_test.json', JSON.stringify([{ user_id: 'u', instruction: 'i', actions: [], outputs: [] }, { user_id: 'u', instruction: 'i', actions: [{ name: 'x', kwargs: [] }], outputs: [] }]));
    expect(() => loadV1TasksJson(bad, 'retail', 'test')).toThrow(DataError);
    expect(() => loadV1TasksJson(bad, 'retail', 'test')).toThrow(/bad\/tasks_test\.json: \$\[1\]\.actions\[0\]\.kwargs: expected an object/);
    const notJson = write('bad2/tasks_test.json', '[{"user_id": "u",]');
    expect(() => loadV1TasksJson(notJson, 'retail', 'test')).toThrow(/tasks_test\.json:1:18/);
  });

  it('names the file, line and path of a problem in a .py file', () => {
    const f = write('badpy/tasks_test.py', 'TASKS_TEST = [\n  Task(user_id="u", instruction="i", actions=[], outputs=[]),\n  Task(user_id="u", instruction=3,\n       actions=[], outputs=[]),\n]\n');
    expect(() => loadTaubenchPyTasks(f, 'retail', 'test')).toThrow(/tasks_test\.py:3: TASKS_TEST\[1\]\.instruction: .*expected string/);
    const g = write('badpy2/tasks_test.py', 'TASKS_TEST = [Task(user_id="u", instruction="i", actions=[Other(x=1)], outputs=[])]\n');
    expect(() => loadTaubenchPyTasks(g, 'retail', 'test')).toThrow(/tasks_test\.py:1:59: unsupported call Other/);
  });
});

const TAU2_TASKS = [
  {
    id: 'a1',
    description: { purpose: 'refund check', relevant_policies: null, notes: null },
    user_scenario: {
      persona: 'Calm and precise.\n\nLikes lists.',
      instructions: {
        domain: 'airline',
        reason_for_call: 'You want to cancel reservation ZZ1234.\n\nYou booked it yesterday.',
        known_info: 'You are Ana Lee.\nYour user id is: ana_lee_1001.',
        unknown_info: null,
        task_instructions: 'Insist politely.',
      },
    },
    initial_state: null,
    evaluation_criteria: {
      actions: [
        { action_id: 'a1_0', name: 'cancel_reservation', arguments: { reservation_id: 'ZZ1234', amount: 10.0 }, info: null },
        { action_id: 'a1_1', name: 'transfer_to_human_agents', arguments: { summary: 'x' }, info: null, compare_args: [] },
      ],
      communicate_info: ['refund'],
      nl_assertions: ['Agent cancels.'],
      reward_basis: ['DB', 'COMMUNICATE'],
    },
  },
  {
    id: 'a2',
    user_scenario: { persona: null, instructions: 'You are Bo. Ask about bags.' },
    evaluation_criteria: { actions: null, communicate_info: null, nl_assertions: null },
  },
  { id: 'a3', user_scenario: { instructions: 'Nothing to check.' }, evaluation_criteria: null },
];

describe('τ² task loader', () => {
  const dir = join(root, 'tau2', 'airline');
  write('tau2/airline/tasks.json', JSON.stringify(TAU2_TASKS).replace('"amount":10', '"amount":10.0'));
  write('tau2/airline/split_tasks.json', JSON.stringify({ base: ['a1', 'a2', 'a3'], test: ['a3', 'a1'], train: ['a2'] }));
  write('tau2/airline/policy.md', '# Airline policy (τ²)\n');

  it('maps scenario, gold actions and evaluation criteria', () => {
    const [t1, t2, t3] = loadTau2Tasks(dir, 'airline', 'base');
    expect(t1).toMatchObject({ id: 'a1', index: 0, format: 'tau2', split: 'base', userId: 'ana_lee_1001', outputs: [] });
    expect(t1?.scenario).toEqual({
      domain: 'airline',
      persona: 'Calm and precise.\n\nLikes lists.',
      reasonForCall: 'You want to cancel reservation ZZ1234.\n\nYou booked it yesterday.',
      knownInfo: 'You are Ana Lee.\nYour user id is: ana_lee_1001.',
      unknownInfo: null,
      taskInstructions: 'Insist politely.',
    });
    expect(t1?.instruction).toBe(
      'Persona:\n\tCalm and precise.\n\n\tLikes lists.\nInstructions:\n\tDomain: airline\n\tReason for call:\n\t\tYou want to cancel reservation ZZ1234.\n\n\t\tYou booked it yesterday.\n\tKnown info:\n\t\tYou are Ana Lee.\n\t\tYour user id is: ana_lee_1001.\n\tTask instructions:\n\t\tInsist politely.',
    );
    expect(t1?.actions.map((a) => [a.id, a.name, a.compareArgs])).toEqual([['a1_0', 'cancel_reservation', undefined], ['a1_1', 'transfer_to_human_agents', []]]);
    expect(pyDumps(t1?.actions[0]?.kwargs ?? null)).toBe('{"reservation_id": "ZZ1234", "amount": 10.0}');
    expect(t1?.evaluation).toEqual({ rewardBasis: ['DB', 'COMMUNICATE'], communicateInfo: ['refund'], nlAssertions: ['Agent cancels.'], envAssertions: [] });
    expect(t1?.meta?.description).toMatchObject({ purpose: 'refund check' });
    // Plain-string instructions, default reward basis, no gold actions or assertions.
    expect(t2?.instruction).toBe('Instructions:\n\tYou are Bo. Ask about bags.');
    expect(t2?.userId).toBeUndefined();
    expect(t2?.scenario).toBeUndefined();
    expect(t2?.evaluation).toEqual({ rewardBasis: ['DB', 'COMMUNICATE'], communicateInfo: [], nlAssertions: [], envAssertions: [], envCheck: false });
    expect(t3?.evaluation).toBeUndefined();
  });

  it('selects splits in file order and rejects unknown ones', () => {
    expect(loadTau2Tasks(dir, 'airline', 'test').map((t) => [t.id, t.index, t.split])).toEqual([['a1', 0, 'test'], ['a3', 2, 'test']]);
    expect(() => loadTau2Tasks(dir, 'airline', 'dev')).toThrow(/no split "dev".*base, test, train/);
  });

  it('names the file and JSON path of a malformed task', () => {
    write('tau2bad/tasks.json', JSON.stringify([TAU2_TASKS[0], { id: 'b', user_scenario: { instructions: { domain: 'x' } } }]));
    expect(() => loadTau2Tasks(join(root, 'tau2bad'), 'airline', 'base')).toThrow(/tau2bad\/tasks\.json: \$\[1\]\.user_scenario\.instructions/);
    write('tau2dup/tasks.json', JSON.stringify([TAU2_TASKS[2], TAU2_TASKS[2]]));
    expect(() => loadTau2Tasks(join(root, 'tau2dup'), 'airline', 'base')).toThrow(/duplicate task id "a3"/);
  });

  it('renders like textwrap.indent (blank lines stay unindented)', () => {
    expect(renderScenario(null, 'a\n\n b\n')).toBe('Instructions:\n\ta\n\n\t b\n');
    expect(userIdFromText('I have user id mei_patel_7272 and ordered')).toBe('mei_patel_7272');
    expect(userIdFromText('My email is x@y.com')).toBeUndefined();
  });
});

describe('data source detection and policy', () => {
  it('detects each layout, also one level up', () => {
    expect(detectTaskSource(join(root, 'checkout'), 'retail')).toMatchObject({ kind: 'taubench-py', dir: join(root, 'checkout/tau_bench/envs/retail'), dataDir: join(root, 'checkout/tau_bench/envs/retail/data') });
    expect(detectTaskSource(join(root, 'v1'), 'retail')).toMatchObject({ kind: 'tau-v1', dir: join(root, 'v1/retail') });
    expect(detectTaskSource(join(root, 'tau2'), 'airline')).toMatchObject({ kind: 'tau2', dir: join(root, 'tau2/airline') });
    expect(listSplits(detectTaskSource(join(root, 'tau2'), 'airline'))).toEqual(['base', 'test', 'train']);
    expect(listSplits(detectTaskSource(join(root, 'checkout'), 'retail'))).toEqual(['test']);
    expect(loadTasks('retail', join(root, 'checkout'), 'test')).toHaveLength(3);
    expect(() => loadTasks('retail', join(root, 'checkout'), 'train')).toThrow(/no split "train".*available: test/);
    expect(() => detectTaskSource(join(root, 'tau2'), 'retail')).toThrow(/no retail tasks/);
    expect(() => detectTaskSource(join(root, 'nope'), 'retail')).toThrow(/data directory not found/);
  });

  it('finds wiki.md / policy.md / --policy and errors only when required', () => {
    expect(findPolicy('retail', { dataDir: join(root, 'checkout') })?.text).toBe('# Retail agent policy\n');
    expect(findPolicy('airline', { dataDir: join(root, 'tau2') })?.file).toBe(join(root, 'tau2/airline/policy.md'));
    const own = write('own-policy.md', 'be nice');
    expect(findPolicy('retail', { dataDir: join(root, 'checkout'), policyFile: own })?.text).toBe('be nice');
    expect(findPolicy('retail', { dataDir: join(root, 'v1') })).toBeUndefined();
    expect(findPolicy('retail', { dataDir: join(root, 'v1'), fallbacks: [join(root, 'missing.md'), own] })?.file).toBe(own);
    expect(() => requirePolicy('retail', { dataDir: join(root, 'v1') })).toThrow(ConfigError);
    expect(() => requirePolicy('retail', { dataDir: join(root, 'v1') })).toThrow(/--policy/);
    expect(() => findPolicy('retail', { policyFile: join(root, 'missing.md') })).toThrow(/cannot read policy file/);
  });
});
