/** A `taubp run` I/O for in-process tests: the real registries and models, no output, no signals. */
import type { RunIo } from '../src/cli/commands/run.js';
import { AGENTS, DOMAINS, USERS } from '../src/cli/registry.js';
import { createModel, type CreateModelOptions } from '../src/models/create-model.js';

/** The run I/O with stdout/stderr discarded; `modelOptions` (e.g. a test key) go to every model. */
export function quietRunIo(modelOptions?: CreateModelOptions): RunIo {
  return {
    domains: DOMAINS,
    agents: AGENTS,
    users: USERS,
    createModel,
    stdout: () => {},
    stderr: () => {},
    tty: false,
    onInterrupt: () => () => {},
    ...(modelOptions === undefined ? {} : { modelOptions }),
  };
}
