/**
 * What a domain (retail, airline) provides to the harness. Domains implement this in
 * `domains/<name>/`; only the CLI's registry wires them in.
 */
import type { Task } from '../core/task.js';
import type { BaseDb } from './db-state.js';
import type { ToolRegistry } from './registry.js';

/** Tool semantics: the τ-bench v1 reference (default) or τ²/τ³'s changed tools. */
export type ToolVariant = 'v1' | 'tau2';

/** A loaded data source: database, tasks, policy, and which tool variant it implies. */
export interface LoadedData {
  base: BaseDb;
  /** `tau-v1` (one JSON file per table), `tau2` (`db.json`), or `builtin` (generated). */
  format: 'tau-v1' | 'tau2' | 'builtin';
  variant: ToolVariant;
  /** Files read, for run metadata hashes. */
  files: string[];
}

/** A domain: its database loader, its tools per variant, its tasks and policy. */
export interface Domain {
  name: string;
  /** Tables of the database, in the reference's order. */
  tables: readonly string[];
  /**
   * Loads the database from a directory in v1 or τ² layout (detected). `options.variant` asks for
   * the database in the form a tool variant expects (e.g. τ² model form from v1 files); default:
   * the layout's own variant.
   */
  loadDb(dir: string, options?: { variant?: ToolVariant }): LoadedData;
  /** Tools for a variant. */
  registry(variant: ToolVariant): ToolRegistry;
  /** Loads tasks of a split from a data directory (v1 JSON, τ-bench `tasks_*.py`, τ² tasks.json). */
  loadTasks(dir: string, split: string): Task[];
}
