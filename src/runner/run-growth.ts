/**
 * Growing and joining runs. A run can grow: `--resume` with more trials or a task selection that
 * includes the run's tasks extends it when nothing else changed (never fewer trials or tasks). Runs
 * of the same data and configuration over different task selections can be merged; the merged run
 * remembers each part's selection and task hash (`metadata.taskParts`), which a later `--resume`
 * checks part by part against the data.
 */
import type { Task } from '../core/task.js';
import { tasksSha256 } from './metadata.js';
import type { RunManifest } from './results.js';

/** One task selection of a run and the hash of the tasks it selected. */
export interface TaskPart {
  /** `--tasks` of that selection; null: every task of the split. */
  tasks: string | null;
  tasksSha256: string;
  taskCount: number;
  /** Ids of the tasks selected, when recorded. */
  taskIds?: string[];
}

/** A growth of a run recorded in `metadata.extended`. */
export interface RunExtension {
  /** When (ISO 8601). */
  at: string;
  trials: { from: number; to: number };
  tasks: { from: string | null; to: string | null };
  taskCount: { from: number; to: number };
}

/** The task selections a run was made of: its merged parts, or its own selection. */
export function taskPartsOf(m: RunManifest): TaskPart[] {
  return (
    m.metadata.taskParts ?? [
      { tasks: m.config.tasks, tasksSha256: m.metadata.tasksSha256, taskCount: m.metadata.taskCount, ...(m.metadata.taskIds === undefined ? {} : { taskIds: m.metadata.taskIds }) },
    ]
  );
}

/**
 * Checks a stored run's task selections against the data now: each part's selection must give
 * the same tasks (sha256). Returns the problems and the stored tasks (every part's, once, in the
 * split's order of first appearance).
 */
export function checkStoredTasks(m: RunManifest, select: (spec: string | null) => readonly Task[]): { problems: string[]; tasks: Task[] } {
  const problems: string[] = [];
  const byId = new Map<string, Task>();
  for (const part of taskPartsOf(m)) {
    let selected: readonly Task[];
    try {
      selected = select(part.tasks);
    } catch (e) {
      problems.push(`the run's task selection ${part.tasks ?? 'all'} no longer selects (${(e as Error).message})`);
      continue;
    }
    if (tasksSha256(selected) !== part.tasksSha256) problems.push(`the tasks of selection ${part.tasks ?? 'all'} changed (tasksSha256)`);
    for (const t of selected) if (!byId.has(t.id)) byId.set(t.id, t);
  }
  return { problems, tasks: [...byId.values()] };
}

const NUMERIC = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/;

function formatRanges(values: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j++;
    out.push(i === j ? String(values[i]) : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/**
 * The union of task selections as one `--tasks` value: null (every task) when any is null; merged
 * ranges when every part is a number or range (`0-4` + `5-9,12` → `0-9,12`); else the parts once
 * each, comma-joined.
 */
export function unionTaskSpec(specs: ReadonlyArray<string | null>): string | null {
  if (specs.some((s) => s === null || s.trim() === '' || s.trim() === 'all')) return null;
  const parts = specs.flatMap((s) => (s as string).split(',').map((p) => p.trim()).filter((p) => p !== ''));
  if (parts.every((p) => NUMERIC.test(p))) {
    const values = new Set<number>();
    for (const p of parts) {
      const m = NUMERIC.exec(p) as RegExpExecArray;
      const a = Number(m[1]);
      const b = m[2] === undefined ? a : Number(m[2]);
      for (let i = a; i <= b; i++) values.add(i);
    }
    return formatRanges([...values].sort((x, y) => x - y));
  }
  return [...new Set(parts)].join(',');
}

/**
 * The number of tasks in the union of task parts: exact when the parts record their task ids or
 * any part is every task; else the size of the union of their numeric selections (the sum when
 * they are not numeric).
 */
export function unionTaskCount(parts: readonly TaskPart[]): number {
  const all = parts.find((p) => p.tasks === null);
  if (all !== undefined) return Math.max(...parts.filter((p) => p.tasks === null).map((p) => p.taskCount));
  if (parts.every((p) => p.taskIds !== undefined)) return new Set(parts.flatMap((p) => p.taskIds as string[])).size;
  const spec = unionTaskSpec(parts.map((p) => p.tasks));
  if (spec !== null && spec.split(',').every((p) => NUMERIC.test(p))) {
    return spec.split(',').reduce((n, p) => {
      const m = NUMERIC.exec(p) as RegExpExecArray;
      return n + (m[2] === undefined ? 1 : Number(m[2]) - Number(m[1]) + 1);
    }, 0);
  }
  return parts.reduce((n, p) => n + p.taskCount, 0);
}

/** What {@link checkResume} found. */
export interface ResumeCheck {
  problems: string[];
  /** The run grows (more trials or tasks): recorded in `metadata.extended`. */
  extension?: RunExtension;
}

/**
 * Checks that a resumed run's new selection and trials keep the stored run: the stored tasks must
 * still be the same (per selection) and all be selected again, and trials must not decrease; a
 * sharded run cannot grow in tasks (its pairs would move between shards).
 */
export function checkResume(
  stored: RunManifest,
  next: { tasks: readonly Task[]; trials: number; selection: string | null },
  select: (spec: string | null) => readonly Task[],
  at: string,
): ResumeCheck {
  const { problems, tasks: before } = checkStoredTasks(stored, select);
  const was = stored.config;
  const ids = new Set(next.tasks.map((t) => t.id));
  const left = before.filter((t) => !ids.has(t.id)).map((t) => t.id);
  if (left.length > 0) {
    problems.push(
      `--tasks ${next.selection ?? 'all'} leaves out task(s) ${left.slice(0, 8).join(', ')}${left.length > 8 ? ', …' : ''} of the run (--tasks ${was.tasks ?? 'all'}): a run can grow, not shrink; give a selection that includes them`,
    );
  }
  if (next.trials < was.trials) problems.push(`--trials ${next.trials} is fewer than the run's ${was.trials}: a run can grow, not shrink`);
  const moreTasks = left.length === 0 && next.tasks.length > before.length;
  if (moreTasks && was.shard !== null) {
    problems.push('a sharded run can grow in trials but not in tasks (pairs would move between shards); run the new tasks as another run and join the two with taubp merge');
  }
  if (problems.length > 0 || (!moreTasks && next.trials === was.trials)) return { problems };
  return {
    problems,
    extension: {
      at,
      trials: { from: was.trials, to: next.trials },
      tasks: { from: was.tasks, to: next.selection },
      taskCount: { from: stored.metadata.taskCount, to: next.tasks.length },
    },
  };
}
