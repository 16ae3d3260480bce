/** Finding the task a stored trajectory names. */
import type { Task } from '../../core/task.js';

/**
 * The task `ref` names: a number is a v1 task index; text is a τ² task id, or else an index
 * written as text. Undefined when no task matches.
 */
export function findTaskByRef(tasks: readonly Task[], ref: number | string): Task | undefined {
  if (typeof ref === 'number') return tasks.find((t) => t.index === ref);
  return tasks.find((t) => t.id === ref) ?? tasks.find((t) => String(t.index) === ref);
}
