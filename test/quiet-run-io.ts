/** A `taubp run` I/O for in-process tests: the real registries and models, no signals; output discarded or kept. */
import { inProcessRunIo, type RunIo } from '../src/cli/commands/run.js';
import type { CreateModelOptions } from '../src/models/create-model.js';

/** The run I/O with stdout/stderr discarded; `modelOptions` (e.g. a test key) go to every model. */
export function quietRunIo(modelOptions?: CreateModelOptions): RunIo {
  return inProcessRunIo({ stdout: () => {}, stderr: () => {}, ...(modelOptions === undefined ? {} : { modelOptions }) });
}

/** A run I/O that keeps what the run printed, and can interrupt it. */
export interface CapturedRunIo {
  io: RunIo;
  /** Everything written to stdout so far. */
  out: () => string;
  /** Everything written to stderr so far. */
  err: () => string;
  /** Calls the interrupt handler the run subscribed (as a SIGINT would); nothing when none is subscribed. */
  interrupt: () => void;
}

/**
 * The run I/O with stdout/stderr kept for the test to read: the real registries and models (as
 * {@link quietRunIo}), not a terminal, signals only through `interrupt()`; `parts` replace any of
 * domains, agents, users, createModel and modelOptions.
 */
export function capturedRunIo(parts: Partial<Pick<RunIo, 'domains' | 'agents' | 'users' | 'createModel' | 'modelOptions'>> = {}): CapturedRunIo {
  let out = '';
  let err = '';
  let handler: (() => void) | undefined;
  return {
    io: inProcessRunIo({
      ...parts,
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      onInterrupt: (h) => {
        handler = h;
        return () => (handler = undefined);
      },
    }),
    out: () => out,
    err: () => err,
    interrupt: () => handler?.(),
  };
}
