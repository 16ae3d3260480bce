import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pyDumps, parsePyJson } from '../../core/py/py-json.js';
import type { PyObject } from '../../core/py/py-value.js';
import { Environment } from '../../env/environment.js';
import { ToolRegistry } from '../../env/registry.js';
import { defineTool, pyNumber, ToolFailure } from '../../env/tool.js';
import { oneTableDomain } from './testing/one-table-domain.js';
import { runVerify } from './verify.js';

// A small hand-made domain wired like retail/airline: v1 table files, tasks_<split>.json.
const tools = [
  defineTool({
    name: 'get_order',
    description: 'read',
    kind: 'read',
    schema: z.strictObject({ order_id: z.string() }),
    invoke: (db, { order_id }) => {
      const o = db.table('orders').get(order_id);
      if (o === undefined) throw new ToolFailure('order not found');
      return pyDumps(o as PyObject);
    },
  }),
  defineTool({
    name: 'set_price',
    description: 'write',
    kind: 'write',
    schema: z.strictObject({ order_id: z.string(), price: pyNumber() }),
    invoke: (db, { order_id, price }) => {
      const o = db.table('orders').mut(order_id);
      if (o === undefined) throw new ToolFailure('order not found');
      o.price = price;
      return 'ok';
    },
  }),
  defineTool({
    name: 'transfer_to_human_agents',
    description: 'bye',
    kind: 'generic',
    terminate: true,
    schema: z.strictObject({ summary: z.string() }),
    invoke: () => 'Transfer successful',
  }),
];
const registry = new ToolRegistry(tools);
const shop = oneTableDomain({ name: 'shop', table: 'orders', row: z.object({ price: pyNumber() }), registry });

const dir = mkdtempSync(join(tmpdir(), 'taubp-verify-'));
mkdirSync(join(dir, 'shop'));
writeFileSync(join(dir, 'shop', 'orders.json'), '{"o1": {"price": 10}, "o2": {"price": 2.5}}');
const TASKS = `[
  {"user_id": "u1", "instruction": "a", "actions": [{"name": "get_order", "kwargs": {"order_id": "o1"}}, {"name": "set_price", "kwargs": {"order_id": "o1", "price": 80.0}}], "outputs": ["80.0"]},
  {"user_id": "u2", "instruction": "b", "actions": [{"name": "get_order", "kwargs": {"order_id": "zz"}}, {"name": "transfer_to_human_agents", "kwargs": {"summary": "s"}}], "outputs": []},
  {"user_id": "u3", "instruction": "c", "actions": [], "outputs": ["1,000"]}
]`;
writeFileSync(join(dir, 'shop', 'tasks_test.json'), TASKS);

async function verify(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runVerify(argv, { domains: { shop }, write: (t) => void (out += t) });
  return { code, out };
}

describe('taubp verify', () => {
  it('scores gold trajectories and fails on a task that cannot pass', async () => {
    const ok = await verify('--domain', 'shop', '--data', dir, '--tasks', '0-1');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/2\/2 score 1, 0 unexpected failures/);
    expect(ok.out).toMatch(/\n1 +1 +DB=1 +1 \(0 write\)/);
    // An output containing a comma can never be found (commas are removed from replies).
    const bad = await verify('--domain', 'shop', '--data', join(dir, 'shop'));
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/2\/3 score 1, 1 unexpected failure/);
    expect(bad.out).toMatch(/required output not in any reply: "1,000"/);
  });

  it('prints one Python-style JSON line per task', async () => {
    const { code, out } = await verify('--domain', 'shop', '--data', dir, '--tasks', '0,1', '--jsonl');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\{"task": 0, "reward": 1, "db_jcs_sha256": "[0-9a-f]{64}", "actions": \[\{"name": "get_order", "kwargs": \{"order_id": "o1"\}, "output": "\{\\"price\\": 10\}"\}, \{"name": "set_price", "kwargs": \{"order_id": "o1", "price": 80.0\}, "output": "ok"\}, \{"name": "respond"/);
    const first = parsePyJson(lines[0] as string) as PyObject;
    // The hash is the database after the trajectory.
    const env = new Environment({ registry, base: shop.loadDb(join(dir, 'shop')).base });
    env.step({ name: 'set_price', kwargs: { order_id: 'o1', price: parsePyJson('80.0') } });
    expect(first.db_jcs_sha256).toBe(env.db.jcsSha256());
    const second = parsePyJson(lines[1] as string) as PyObject;
    // The reply comes before the transfer that ends the episode.
    expect((second.actions as PyObject[]).map((a) => a.name)).toEqual(['get_order', 'respond', 'transfer_to_human_agents']);
    expect((second.actions as PyObject[])[0]?.output).toBe('Error: order not found');
    expect(second.reward_info).toMatchObject({ reward: 1, termination: { reason: 'transfer' }, db: { goldErrors: [{ index: 0, name: 'get_order', write: false }] } });
  });

  it('re-grades its own JSONL output and stored τ-bench results without a model', async () => {
    const gold = await verify('--domain', 'shop', '--data', dir, '--jsonl');
    const file = join(dir, 'gold.jsonl');
    writeFileSync(file, gold.out);
    const again = await verify('--domain', 'shop', '--data', dir, '--actions', file);
    // Recorded rewards (1, 1, 0) agree with the re-computed ones.
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/2\/3 score 1, 1 score below 1/);

    const edited = join(dir, 'edited.jsonl');
    writeFileSync(
      edited,
      [
        '{"task": 0, "actions": [{"name": "set_price", "kwargs": {"order_id": "o1", "price": 80}}, {"name": "respond", "kwargs": {"content": "now 80.0"}}]}',
        '{"task": 0, "actions": [{"name": "set_price", "kwargs": {"order_id": "o1", "price": 80.0}}, {"name": "respond", "kwargs": {"content": "now 80.0"}}], "reward": 0}',
        '{"task": 0, "actions": [{"name": "set_price", "kwargs": {"order_id": "o1", "price": 80.0}}], "termination": "max_steps"}',
      ].join('\n'),
    );
    const r = await verify('--domain', 'shop', '--data', dir, '--actions', edited, '--jsonl');
    const rewards = r.out.trim().split('\n').map((l) => (parsePyJson(l) as PyObject).reward);
    // 80 (int) ≠ 80.0 under v1; a proper 80.0 passes (the recorded 0 disagrees → exit 1); the step cap scores 0.
    expect(rewards).toEqual([0, 1, 0]);
    expect(r.code).toBe(1);

    // Its own output re-grades the same, termination included (read back from reward_info).
    const regraded = join(dir, 'regraded.jsonl');
    writeFileSync(regraded, r.out);
    const twice = await verify('--domain', 'shop', '--data', dir, '--actions', regraded, '--jsonl');
    expect(twice.out.trim().split('\n').map((l) => (parsePyJson(l) as PyObject).reward)).toEqual([0, 1, 0]);

    // Under v1 the transfer ends the episode: later actions never happened.
    const afterTransfer = join(dir, 'after-transfer.jsonl');
    writeFileSync(
      afterTransfer,
      '{"task": 1, "actions": [{"name": "transfer_to_human_agents", "kwargs": {"summary": "s"}}, {"name": "set_price", "kwargs": {"order_id": "o1", "price": 1}}]}\n',
    );
    const t = await verify('--domain', 'shop', '--data', dir, '--actions', afterTransfer, '--jsonl');
    const line = parsePyJson(t.out.trim()) as PyObject;
    expect(line.reward).toBe(1);
    expect((line.actions as PyObject[]).map((a) => a.name)).toEqual(['transfer_to_human_agents']);
    expect(line.reward_info).toMatchObject({ termination: { reason: 'transfer' } });

    const results = join(dir, 'results.json');
    writeFileSync(
      results,
      JSON.stringify([
        {
          task_id: 0,
          reward: 1.0,
          trial: 0,
          info: { reward_info: { reward: 1.0 } },
          traj: [
            { role: 'system', content: 'policy' },
            { role: 'user', content: 'hi' },
            { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'set_price', arguments: '{"order_id": "o1", "price": 80.0}' } }, { id: 'c2', type: 'function', function: { name: 'set_price', arguments: '{"order_id": "o1", "price": 1}' } }] },
            { role: 'tool', tool_call_id: 'c1', name: 'set_price', content: 'ok' },
            { role: 'assistant', content: 'The price is 80.0 now.' },
          ],
        },
        { task_id: 1, reward: 0.0, trial: 0, info: { error: 'boom' }, traj: [] },
      ]).replace('"price\\": 80}', '"price\\": 80.0}'),
    );
    const tb = await verify('--domain', 'shop', '--data', dir, '--actions', results);
    expect(tb.out).toMatch(/1\/2 score 1/);
    expect(tb.out).toMatch(/agent_error/);
    expect(tb.code).toBe(0);
  });

  it('rejects bad selections and unknown domains', async () => {
    await expect(verify('--domain', 'shop', '--data', dir, '--tasks', '5')).rejects.toThrow(/no task with index 5/);
    await expect(verify('--domain', 'nope', '--data', dir)).rejects.toThrow(/unknown domain "nope" \(known: shop\)/);
    await expect(verify('--domain', 'shop', '--data', dir, '--split', 'train')).rejects.toThrow(/no split "train"/);
    await expect(verify('--domain', 'shop')).rejects.toThrow(/--data is required/);
    const empty = mkdtempSync(join(tmpdir(), 'taubp-nodb-'));
    writeFileSync(join(empty, 'tasks_test.json'), '[]');
    await expect(verify('--domain', 'shop', '--data', empty)).rejects.toThrow(/pass --db <dir>/);
  });
});
