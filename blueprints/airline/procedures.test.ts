/**
 * Paths the oracle-mode suites rarely take, played through the real runner with a scripted
 * customer whose answers are rewritten: replies that need the yes/no sub-task, a customer who
 * says no, a wrong user id first, and a flight-status question.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltin, type BuiltinSuite } from '../../domains/airline/builtin.js';
import { airlineRegistry } from '../../domains/airline/registry.js';
import type { PyObject } from '../../src/core/py/py-value.js';
import type { Task } from '../../src/core/task.js';
import { scriptedUserEntry } from '../../src/users/scripted-user.js';
import type { UserSimulatorFactory } from '../../src/contract/user.js';
import { runOracle } from '../../scripts/oracle/airline/oracle-run.js';
import { SUBTASKS } from './requests.js';

/** The scripted customer with its replies rewritten. */
function rewriting(rewrite: (reply: string, agentText: string, n: number) => string): UserSimulatorFactory {
  return (ctx) => {
    const inner = scriptedUserEntry.create(ctx);
    let n = 0;
    return {
      start: (task) => inner.start(task),
      reply: async (text) => {
        const r = await inner.reply(text);
        return r.done ? r : { ...r, text: rewrite(r.text, text, n++) };
      },
    };
  };
}

const writeTasks = (suite: BuiltinSuite): Task[] => suite.tasks.filter((t) => ['cancel', 'add_bags', 'change_cabin', 'book_one_way'].includes(String(t.meta?.category))).slice(0, 6);

function llmTasks(log: { events: Array<{ type: string; task?: string }> } | undefined): string[] {
  return (log?.events ?? []).filter((e) => e.type === 'llm_request').map((e) => String(e.task));
}

describe('airline blueprint procedures', () => {
  let suite: BuiltinSuite;
  beforeAll(() => {
    suite = loadBuiltin();
  });
  const run = (tasks: Task[], user: UserSimulatorFactory) => runOracle({ tasks, base: suite.data.base, registry: airlineRegistry('v1'), policy: suite.policy, user });

  it('reads a yes that is not plain through the yes/no sub-task, then writes', async () => {
    const tasks = writeTasks(suite);
    const r = await run(tasks, rewriting((reply) => (reply.startsWith('Yes, please go ahead') ? 'That works for me, go ahead.' : reply)));
    expect(r.records.map((x) => x.reward)).toEqual(tasks.map(() => 1));
    for (const t of tasks) expect(llmTasks(r.logs.get(`${t.id}#0`)), t.id).toContain(SUBTASKS.yesNo);
  });

  it('makes no change when the customer says no', async () => {
    const tasks = writeTasks(suite);
    const r = await run(tasks, rewriting((reply) => (reply.startsWith('Yes, please go ahead') ? 'No, please leave it as it is.' : reply)));
    for (const rec of r.records) {
      const writes = rec.trajectory.filter((e) => e.type === 'tool' && airlineRegistry('v1').get(e.name)?.kind === 'write');
      expect(writes, rec.taskId).toEqual([]);
      expect(r.logs.get(`${rec.taskId}#0`)?.ctx?.outcomes.map((o) => o.result), rec.taskId).toEqual(['declined']);
      expect(llmTasks(r.logs.get(`${rec.taskId}#0`)), rec.taskId).not.toContain(SUBTASKS.yesNo);
    }
  });

  it('asks again when the user id is not found', async () => {
    const task = writeTasks(suite)[0] as Task;
    const r = await run([task], rewriting((reply, _agent, n) => (n === 0 ? reply.replace(/\b[a-z]+_[a-z]+_\d+\b/, 'nobody_here_0000') : reply)));
    const rec = r.records[0];
    expect(rec?.reward).toBe(1);
    const lookups = rec?.trajectory.filter((e) => e.type === 'tool' && e.name === 'get_user_details').map((e) => (e.type === 'tool' ? e.arguments : ''));
    expect(lookups).toEqual(['{"user_id": "nobody_here_0000"}', `{"user_id": "${task.userId ?? ''}"}`]);
    expect(rec?.trajectory.some((e) => e.type === 'message' && e.from === 'agent' && /could not find a profile/.test(e.text))).toBe(true);
  });

  it('answers a flight-status question from the search tools', async () => {
    const reservations = [...(suite.data.base.tables.get('reservations')?.values() ?? [])] as PyObject[];
    const res = reservations.find((r) => r.status !== 'cancelled' && (r.flights as PyObject[]).every((f) => String(f.date) > '2024-05-16')) as PyObject;
    const flight = (res.flights as PyObject[])[0] as PyObject;
    const schedule = suite.data.base.tables.get('flights')?.get(String(flight.flight_number)) as PyObject;
    const departs = String(schedule.scheduled_departure_time_est);
    const task: Task = {
      id: 'status-1',
      index: 0,
      format: 'builtin',
      domain: 'airline',
      userId: String(res.user_id),
      instruction: 'You want to know when your flight leaves.',
      actions: [{ name: 'get_user_details', kwargs: { user_id: String(res.user_id) } }],
      outputs: [departs],
      scripted: {
        identity: { user_id: String(res.user_id) },
        requests: [{ kind: 'ask_info', utterance: `When does flight ${String(flight.flight_number)} leave?`, args: { question: 'flight_status', reservation_id: String(res.reservation_id), flight_number: String(flight.flight_number), date: String(flight.date) } }],
      },
    };
    const r = await run([task], scriptedUserEntry.create);
    expect(r.records[0]?.reward).toBe(1);
    expect(r.logs.get('status-1#0')?.ctx?.outcomes.map((o) => o.result)).toEqual(['answered']);
  });
});
