import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import type { Task, TaskFormat } from '../core/task.js';
import { selectTasks } from './run-setup.js';
import { thrownBy } from '../../test/thrown.js';

function task(id: string, index: number, format: TaskFormat): Task {
  return { id, index, format, domain: 'retail', instruction: '', actions: [], outputs: [] };
}

// A τ² test split: ids are strings, sparse, not positions in the split.
const TAU2 = [task('5', 5, 'tau2'), task('9', 9, 'tau2'), task('12', 12, 'tau2'), task('refund_case', 40, 'tau2')];
const V1 = [0, 1, 2, 3, 4].map((i) => task(String(i), i, 'tau-v1'));

function ids(tasks: Task[]): string[] {
  return tasks.map((t) => t.id);
}

const message = (f: () => unknown): string => thrownBy(UsageError, f).message;

describe('selectTasks', () => {
  it('selects everything by default', () => {
    expect(ids(selectTasks(V1, null))).toEqual(['0', '1', '2', '3', '4']);
    expect(ids(selectTasks(TAU2, 'all'))).toHaveLength(4);
  });

  it('takes indices on v1 data, in split order, each once', () => {
    expect(ids(selectTasks(V1, '3,0-1,1'))).toEqual(['0', '1', '3']);
    expect(message(() => selectTasks(V1, '3-7'))).toContain('no task with index 5, 6, 7 in this split (5 tasks, indices 0..4); here --tasks takes task indices');
    expect(message(() => selectTasks(V1, '4-2'))).toContain('(write 2-4)');
  });

  it('takes task ids on τ² data, and numeric ranges of ids', () => {
    expect(ids(selectTasks(TAU2, 'refund_case,9'))).toEqual(['9', 'refund_case']);
    expect(ids(selectTasks(TAU2, '0-10'))).toEqual(['5', '9']);
    const m = message(() => selectTasks(TAU2, '7'));
    expect(m).toContain('no task with id "7" in this split');
    expect(message(() => selectTasks(TAU2, '13-20'))).toContain('no task id in 13-20 in this split');
    expect(m).toContain('on τ² data --tasks takes task ids');
    expect(message(() => selectTasks(TAU2, 'refund'))).toContain('no task with id "refund" in this split (4 tasks; ids 5, 9, 12, refund_case)');
  });
});
