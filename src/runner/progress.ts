/**
 * Progress on stderr while a run goes: episodes done/total, pass rate so far, tokens, cost and
 * ETA. On a terminal one line is rewritten in place; otherwise a line is printed at most every
 * `intervalMs` (and for the last episode).
 */
import type { EpisodeLike } from '../metrics/aggregate.js';
import { isSuccess } from '../metrics/pass-k.js';

/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Episodes of the run (or shard), including those finished before a resume. */
  total: number;
  /** Records already in the run directory (resume). */
  previous?: readonly EpisodeLike[];
  write: (text: string) => void;
  /** Rewrite one line in place (a terminal). Default false. */
  tty?: boolean;
  /** Minimum time between lines when not a terminal, ms. Default 2000. */
  intervalMs?: number;
  /** Monotonic clock, ms. Default `performance.now`. */
  now?: () => number;
}

/** Formats a duration in seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Formats a token count: `950`, `12.3k`, `4.56M`. */
export function formatTokens(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export class Progress {
  readonly #o: ProgressOptions;
  readonly #now: () => number;
  readonly #started: number;
  #done = 0;
  #newDone = 0;
  #counted = 0;
  #passed = 0;
  #infra = 0;
  #tokens = 0;
  #cost = 0;
  #unpriced = false;
  #lastPrint = -Infinity;

  constructor(options: ProgressOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
    for (const r of options.previous ?? []) this.#add(r);
  }

  #add(r: EpisodeLike): void {
    this.#done++;
    if (r.termination.reason === 'infrastructure_error') this.#infra++;
    else if (r.reward !== null) {
      this.#counted++;
      if (isSuccess(r.reward)) this.#passed++;
    }
    for (const c of r.calls) {
      this.#tokens += (c.usage.input ?? 0) + (c.usage.cacheRead ?? 0) + (c.usage.cacheWrite ?? 0) + (c.usage.output ?? 0);
      if (c.costUsd === null) this.#unpriced = true;
      else this.#cost += c.costUsd;
    }
  }

  /** The current status line. */
  line(): string {
    const total = this.#o.total;
    const pass = this.#counted === 0 ? '–' : `${((100 * this.#passed) / this.#counted).toFixed(1)}% (${this.#passed}/${this.#counted})`;
    const elapsed = (this.#now() - this.#started) / 1000;
    const remaining = total - this.#done;
    const eta = this.#newDone === 0 ? '?' : formatDuration((elapsed / this.#newDone) * remaining);
    const cost = this.#unpriced ? 'cost n/a' : `$${this.#cost.toFixed(this.#cost < 10 ? 4 : 2)}`;
    const infra = this.#infra > 0 ? ` · ${this.#infra} infra errors` : '';
    const width = String(total).length;
    return `[${String(this.#done).padStart(width)}/${total}] pass ${pass} · ${formatTokens(this.#tokens)} tokens · ${cost}${infra} · ETA ${remaining === 0 ? '0s' : eta}`;
  }

  /** Counts a finished episode and shows the status. */
  update(record: EpisodeLike): void {
    this.#add(record);
    this.#newDone++;
    const t = this.#now();
    if (this.#o.tty === true) this.#o.write(`\r${this.line()}\x1b[K`);
    else if (t - this.#lastPrint >= (this.#o.intervalMs ?? 2000) || this.#done === this.#o.total) {
      this.#lastPrint = t;
      this.#o.write(`${this.line()}\n`);
    }
  }

  /** Ends the in-place line on a terminal. */
  finish(): void {
    if (this.#o.tty === true && this.#newDone > 0) this.#o.write('\n');
  }
}
