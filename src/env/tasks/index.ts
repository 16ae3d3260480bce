/** Task loaders for every supported source format. */
export { detectTaskSource, listSplits, loadTasks, loadTasksFrom, type TaskSource, type TaskSourceKind } from './source.js';
export { loadTaubenchPyTasks, loadV1TasksJson, v1TasksFromValue, v1TaskSchema, v1ActionSchema, type V1Origin } from './v1.js';
export { loadTau2Tasks, readTau2Splits, renderScenario, tau2TasksFromValue, tau2TaskSchema, userIdFromText, pyIndent } from './tau2.js';
export { KNOWN_REFERENCE_FAILURES, knownFailure, type KnownFailure } from './known-failures.js';
