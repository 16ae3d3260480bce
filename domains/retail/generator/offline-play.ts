/**
 * Plays a generated task offline, end to end: the simulated model (error probability 0) as the
 * agent, the scripted customer, the domain's tools on a fresh environment, and the v1 reward.
 * Used by the generators' tests to show that every built-in task passes with the offline pair.
 */
import type { PyObject } from '../../../src/core/py/py-value.js';
import type { Task } from '../../../src/core/task.js';
import type { BaseDb } from '../../../src/env/db-state.js';
import { Environment } from '../../../src/env/environment.js';
import type { ToolRegistry } from '../../../src/env/registry.js';
import { scoreV1 } from '../../../src/env/reward/index.js';
import { createSimModel } from '../../../src/models/sim/sim-model.js';
import type { ChatMessage } from '../../../src/models/types.js';
import { ScriptedUser, STOP } from '../../../src/users/scripted-user.js';

/** Plays one task with the simulated agent (error probability 0) and the scripted customer; `maxSteps` agent turns at most (v1: 30). */
export async function playOffline(task: Task, base: BaseDb, registry: ToolRegistry, policy: string, maxSteps = 30): Promise<number | null> {
  const env = new Environment({ registry, base, now: () => 0 });
  const model = createSimModel({ errorRate: 0, isWriteTool: (n) => registry.get(n)?.kind === 'write' });
  const user = new ScriptedUser({
    task,
    actions: () => env.actions.filter((a) => a.name !== 'respond').map((a) => ({ name: a.name, kwargs: a.kwargs, error: a.error })),
    isWrite: (n) => registry.get(n)?.kind === 'write',
    userRecord: env.db.table('users').get(task.userId as string) as PyObject,
  });
  const messages: ChatMessage[] = [{ role: 'user', content: user.start() }];
  let reason = 'max_steps';
  for (let step = 0; step < maxSteps; step++) {
    const res = await model.complete({ system: policy, messages, tools: registry.specs(), trial: 0, privileged: { task } });
    const call = res.toolCalls[0];
    if (call !== undefined) {
      messages.push({ role: 'assistant', content: null, toolCalls: [{ id: call.id, name: call.name, arguments: call.rawArguments }] });
      const r = env.stepRaw(call.name, call.rawArguments);
      messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: r.observation });
      if (r.done) {
        reason = 'transfer';
        break;
      }
      continue;
    }
    const text = res.text ?? '';
    messages.push({ role: 'assistant', content: text });
    env.respond(text);
    const reply = user.reply(text);
    if (reply.includes(STOP)) {
      reason = 'user_stop';
      break;
    }
    messages.push({ role: 'user', content: reply });
  }
  return scoreV1({ task, state: env, termination: { reason } }, { base, registry }).reward;
}

