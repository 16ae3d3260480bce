/**
 * What the report page shows, as plain JSON: the data embedded in the page for its trajectory
 * viewer and the inputs of its charts. Built by `collect.ts`, rendered by `html.ts`.
 */
import type { ReportTable } from '../table.js';

/** One run as the page describes it. */
export interface PageRun {
  /** Position in the page's run list (charts and the viewer refer to runs by it). */
  index: number;
  /** Directory name of the run. */
  name: string;
  /** Short label used in charts and lists (unique within the page). */
  label: string;
  dir: string;
  domain: string;
  split: string;
  agent: string;
  model: string;
  user: string;
  trials: number;
  tasks: number;
  createdAt: string;
  /** Short commit (with `+dirty`) or null outside git. */
  commit: string | null;
  /** `--data` of the run (built-in suite, τ-bench checkout…), or the imported file. */
  dataSource: string;
  /** First 12 hex digits of the task-set hash. */
  tasksHash: string;
  /** Prompt pack label (`harness 1a2b3c4d`), see `packLabel`. */
  prompts: string;
  simulated: boolean;
  complete: boolean;
  episodes: number;
  counted: number;
  infrastructureErrors: number;
  unscored: number;
}

/** A task's successes in one run (a heat map cell). */
export interface PageCell {
  run: number;
  taskId: string;
  successes: number;
  /** Counted trials. */
  n: number;
  excluded: number;
}

/** One conversation step shown by the viewer. */
export type ViewerEvent =
  | { type: 'message'; from: 'agent' | 'user'; text: string; node?: string }
  | { type: 'tool'; name: string; arguments: string; observation: string; error: boolean; node?: string }
  | { type: 'note'; kind: string; text: string };

/** A blueprint sub-task call (an LLM request of a node) and its answer. */
export interface ViewerSubtask {
  node: string;
  task: string;
  attempt: number;
  input: string;
  answer: string | null;
  error: string | null;
}

/** Status of a gold action against the agent's tool calls. */
export type GoldStatus = 'matched' | 'arguments differ' | 'missing';

/** The diff of an episode's tool calls against its task's gold actions. */
export interface GoldDiff {
  actions: Array<{ name: string; kwargs: string; status: GoldStatus; /** Index among the episode's tool calls. */ call: number | null }>;
  /** Tool calls (by index among the episode's tool calls) that match no gold action. */
  extra: number[];
  /** Required outputs of the task (v1), with whether the reward found them. */
  outputs: Array<{ text: string; found: boolean | null }>;
}

/** One episode as the viewer shows it. */
export interface ViewerEpisode {
  run: number;
  taskId: string;
  trial: number;
  reward: number | null;
  success: boolean;
  termination: string;
  events: ViewerEvent[];
  /** Blueprint runs: the nodes entered, in order (consecutive repeats collapsed with a count). */
  nodePath?: Array<{ node: string; kind: string; count: number }>;
  subtasks?: ViewerSubtask[];
  /** Null when the task's gold actions are unavailable (see {@link PageData.goldNotes}). */
  gold: GoldDiff | null;
  /** Events, subtasks or text cut to keep the page small. */
  truncated: boolean;
  /** Failure category, when the analysis supplies one. */
  failure?: string;
}

/** Optional analysis (comparability guard, failure classes) supplied by `src/report/analysis/`. */
export interface PageAnalysis {
  /** Failure categories: counts per run (by run index) and optionally each failed episode's category. */
  failures?: {
    categories: string[];
    perRun: Array<{ run: number; counts: Record<string, number> }>;
    /** `<run index>#<taskId>#<trial>` → category. */
    perEpisode?: Record<string, string>;
  };
  /** Extra sections of tables (e.g. declined pairs), rendered in order after the charts. */
  sections?: Array<{ id: string; title: string; tables: ReportTable[]; notes?: string[] }>;
}

/** Everything the page embeds for its script. */
export interface PageData {
  runs: PageRun[];
  episodes: ViewerEpisode[];
  /** Per run: episodes not embedded (over the page's size cap), or null when all are. */
  omitted: Array<{ run: number; episodes: number } >;
  /** Why gold actions are missing for a run, by run index. */
  goldNotes: Array<{ run: number; note: string }>;
}
