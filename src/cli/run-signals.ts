/**
 * How `taubp run` stops on SIGINT (Ctrl-C) or SIGTERM. The first signal stops starting episodes;
 * the running ones may finish (and are written) within a grace period, after which they are
 * abandoned: aborted, not written, run again by `--resume`. A second signal abandons them at once.
 * Either way the summary is written and the exit status is 128 + the first signal's number.
 */

/** Default grace period for running episodes after the first signal, seconds. */
export const DEFAULT_GRACE_SECONDS = 30;

/**
 * After the running episodes are aborted, how long to wait for them to end before giving up on
 * them (a call that ignores the abort), ms.
 */
export const ABANDON_WAIT_MS = 5000;

/** Exit statuses by signal (128 + signal number). */
export const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Subscribes to the stop signals; the handler gets the signal's name. Returns the unsubscribe function. */
export type OnInterrupt = (handler: (signal?: string) => void) => () => void;

/** The process's SIGINT and SIGTERM. */
export const processSignals: OnInterrupt = (handler) => {
  const onInt = (): void => handler('SIGINT');
  const onTerm = (): void => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
};

/** Options of {@link stopOnSignals}. */
export interface StopOnSignalsOptions {
  onInterrupt: OnInterrupt;
  /** Status lines (stderr). */
  log: (text: string) => void;
  /** Grace period for running episodes after the first signal, ms. Default {@link DEFAULT_GRACE_SECONDS} s. */
  graceMs?: number;
  /** Wait for aborted episodes before giving up on them, ms. Default {@link ABANDON_WAIT_MS}. */
  abandonWaitMs?: number;
}

/** The stop and abort signals of a run, driven by process signals. */
export interface SignalStop {
  /** Aborted on the first signal: start no more episodes. */
  readonly stop: AbortSignal;
  /** Aborted when the grace period ends or on the second signal: abandon the running episodes. */
  readonly abort: AbortSignal;
  /** The first signal received (`SIGINT`, `SIGTERM`), if any. */
  readonly received: string | undefined;
  /** The exit status for the signal received (130 SIGINT, 143 SIGTERM), or undefined. */
  readonly exitCode: number | undefined;
  /**
   * The run's promise, or `{ abandoned: true }` when it has not ended {@link ABANDON_WAIT_MS} after
   * the running episodes were aborted (an episode ignored the abort).
   */
  bound<T>(run: Promise<T>): Promise<T | { abandoned: true }>;
  /** Unsubscribes and clears the timers. */
  dispose(): void;
}

/** Wires SIGINT / SIGTERM to a run's stop and abort signals (see the module comment). */
export function stopOnSignals(options: StopOnSignalsOptions): SignalStop {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_SECONDS * 1000;
  const abandonWaitMs = options.abandonWaitMs ?? ABANDON_WAIT_MS;
  const stop = new AbortController();
  const abort = new AbortController();
  let received: string | undefined;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const abandonWaiters: Array<() => void> = [];
  let abandonTimer: ReturnType<typeof setTimeout> | undefined;

  const abandon = (why: string): void => {
    if (abort.signal.aborted) return;
    options.log(`\n${why}: abandoning the running episodes (not written; --resume runs them again)\n`);
    abort.abort();
    abandonTimer = setTimeout(() => {
      for (const w of abandonWaiters) w();
    }, abandonWaitMs);
  };

  const off = options.onInterrupt((signal = 'SIGINT') => {
    if (received === undefined) {
      received = signal;
      stop.abort();
      if (graceMs <= 0) {
        abandon(signal);
        return;
      }
      options.log(
        `\n${signal}: stopping: no new episodes; the running ones may finish and be written within ${graceMs / 1000} s (--grace-period), then are abandoned. Signal again to abandon them now.\n`,
      );
      graceTimer = setTimeout(() => abandon(`grace period of ${graceMs / 1000} s over`), graceMs);
      return;
    }
    abandon(`${signal} again`);
  });

  return {
    stop: stop.signal,
    abort: abort.signal,
    get received() {
      return received;
    },
    get exitCode() {
      return received === undefined ? undefined : (SIGNAL_EXIT_CODES[received] ?? 130);
    },
    bound<T>(run: Promise<T>): Promise<T | { abandoned: true }> {
      return Promise.race([run, new Promise<{ abandoned: true }>((resolve) => abandonWaiters.push(() => resolve({ abandoned: true })))]);
    },
    dispose() {
      off();
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      if (abandonTimer !== undefined) clearTimeout(abandonTimer);
    },
  };
}
