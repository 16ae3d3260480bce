/**
 * One writer per run directory: `run.lock`, created with O_EXCL, names the process that writes
 * the run (pid, host, start time, command). A second writer (`run`, `run --resume`, `merge --out`,
 * `replay --out`) fails at once with a {@link RunLockedError} naming the holder. A lock left by a
 * process that no longer runs on this host (kill -9, power loss) is taken over with a notice; a
 * lock from another host (a shared file system) is never taken over: the error says how to remove
 * it. The lock is released by {@link RunLock.release}, and on process exit (normal end, an error,
 * or a signal handler that ends the process) by an `exit` handler.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';

/** Name of the lock file in a run directory. */
export const LOCK_FILE = 'run.lock';

/** Who holds a run directory's lock (the contents of `run.lock`). */
export interface RunLockHolder {
  pid: number;
  host: string;
  /** When the lock was taken (ISO 8601). */
  startedAt: string;
  /** What the holder does, e.g. `taubp run --resume` (never with flag values: no secrets). */
  command: string;
  /** Random id of this acquisition (release removes only its own lock). */
  token: string;
}

/** A held lock. */
export interface RunLock {
  /** The run directory (absolute). */
  readonly dir: string;
  /** The lock file. */
  readonly file: string;
  readonly holder: RunLockHolder;
  /** Removes the lock file if it is still this lock's; idempotent. */
  release(): void;
}

/** The run directory is locked by another writer (or the lock file cannot be read). */
export class RunLockedError extends ConfigError {
  /** The holder, when the lock file could be read. */
  readonly holder: RunLockHolder | undefined;

  constructor(message: string, path: string, holder?: RunLockHolder) {
    super(message, { path, ...(holder === undefined ? {} : { details: { pid: holder.pid, host: holder.host, startedAt: holder.startedAt, command: holder.command } }) });
    this.holder = holder;
  }
}

/** Options of {@link acquireRunLock}. */
export interface AcquireRunLockOptions {
  /** What the holder does, shown to a refused second writer. Default `taubp`. Give no flag values. */
  command?: string;
  /** Where the stale-lock notice goes. Default stderr. */
  warn?: (text: string) => void;
  /** This host's name. Default `os.hostname()`. */
  host?: string;
  /** This process's id. Default `process.pid`. */
  pid?: number;
  /** Wall clock. */
  now?: () => Date;
  /**
   * Whether the holder (a process of this host) still runs. Default: its pid exists
   * (`process.kill(pid, 0)`) and did not start after the lock was taken (pid reuse).
   */
  isAlive?: (pid: number, since: Date) => boolean;
  /** Release on process exit. Default true. */
  releaseOnExit?: boolean;
}

/** True when a process with this pid runs on this host (also when it belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the process `pid` of this host is known to have started after `since` (Linux: its
 * start time from /proc), i.e. the pid was reused after the lock's holder ended (a reboot, a
 * long-gone run). False when unknown.
 */
export function startedAfter(pid: number, since: Date, proc = '/proc'): boolean {
  try {
    const stat = readFileSync(join(proc, String(pid), 'stat'), 'utf8');
    // Field 22 (starttime, in clock ticks since boot) counts from the end of "(comm)", which may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync(join(proc, 'stat'), 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(btime) || Number.isNaN(since.getTime())) return false;
    // USER_HZ is 100 on Linux; a 5 s margin absorbs rounding and clock adjustments.
    return (btime + ticks / 100) * 1000 > since.getTime() + 5000;
  } catch {
    return false;
  }
}

/** The default liveness check of a lock holder on this host: its pid runs and was not reused since `since`. */
export function holderAlive(pid: number, since: Date): boolean {
  return processAlive(pid) && !startedAfter(pid, since);
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** Reads a lock file: the holder, `null` when there is no file, `undefined` when it is unreadable. */
function readHolder(file: string): RunLockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (code(e) === 'ENOENT') return null;
    return undefined;
  }
  try {
    const h = JSON.parse(text) as Partial<RunLockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.startedAt === 'string') {
      return { pid: h.pid, host: h.host, startedAt: h.startedAt, command: typeof h.command === 'string' ? h.command : '?', token: typeof h.token === 'string' ? h.token : '' };
    }
  } catch {
    // not JSON
  }
  return undefined;
}

/** The holder of a run directory's lock, or null when it is not locked (the holder may be dead). */
export function readRunLock(dir: string): RunLockHolder | null {
  return readHolder(join(dir, LOCK_FILE)) ?? null;
}

/**
 * The holder of a run directory's lock when that process still runs (or runs on another host, which
 * cannot be checked), else null: is someone writing this run now?
 */
export function liveRunLock(dir: string, options: Pick<AcquireRunLockOptions, 'host' | 'isAlive'> = {}): RunLockHolder | null {
  const holder = readRunLock(dir);
  if (holder === null) return null;
  if (holder.host !== (options.host ?? hostname())) return holder;
  return (options.isAlive ?? holderAlive)(holder.pid, new Date(holder.startedAt)) ? holder : null;
}

/** `pid 123 on host h since 2026-…, "taubp run"`. */
export function describeHolder(h: RunLockHolder): string {
  return `pid ${h.pid} on host ${h.host} since ${h.startedAt} (${h.command})`;
}

function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function sameHolder(a: RunLockHolder, b: RunLockHolder): boolean {
  return a.token === b.token && a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt;
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Takes the exclusive lock of run directory `dir` (created if missing; removed again on release
 * if it is still empty then).
 * @throws RunLockedError when another live process holds it (naming pid, host and since), when it
 *   is held from another host, or when the lock file is unreadable; a stale lock of a dead process
 *   on this host is taken over with a notice through `warn`.
 */
export function acquireRunLock(dir: string, options: AcquireRunLockOptions = {}): RunLock {
  const abs = resolve(dir);
  const file = join(abs, LOCK_FILE);
  const host = options.host ?? hostname();
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? holderAlive;
  const warn = options.warn ?? ((t: string) => void process.stderr.write(t));
  const created = mkdirSync(abs, { recursive: true }) !== undefined;
  const holder: RunLockHolder = { pid, host, startedAt: (options.now?.() ?? new Date()).toISOString(), command: options.command ?? 'taubp', token: randomUUID() };

  for (let attempt = 0; ; attempt++) {
    if (createExclusive(file, `${JSON.stringify(holder, null, 2)}\n`)) break;
    const other = readHolder(file);
    if (other === null) continue; // released meanwhile
    if (other === undefined) {
      // Another process may be between creating the file and writing it: look again shortly.
      if (attempt < 20 && ageMs(file) < 2000) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
        continue;
      }
      throw new RunLockedError(`${abs} is locked: ${file} is not a lock this harness can read; if no taubp process uses this run, remove ${file}`, file);
    }
    if (other.host !== host) {
      throw new RunLockedError(
        `${abs} is locked by ${describeHolder(other)}: a lock from another host is never taken over; if that process no longer runs, remove ${file}`,
        file,
        other,
      );
    }
    if (isAlive(other.pid, new Date(other.startedAt))) {
      throw new RunLockedError(`${abs} is in use by ${describeHolder(other)}; wait for it to end or stop it (one writer per run directory)`, file, other);
    }
    if (attempt >= 5) throw new RunLockedError(`${abs}: could not take over the stale lock of ${describeHolder(other)}; remove ${file}`, file, other);
    if (takeOver(file, other, { pid, host, isAlive })) warn(`notice: ${abs} was locked by ${describeHolder(other)}, which no longer runs; taking the lock over\n`);
  }

  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const now = readHolder(file);
    if (now !== null && now !== undefined && sameHolder(now, holder)) rmSync(file, { force: true });
    // A directory made only to hold the lock (the command then failed) is not left behind.
    if (created) {
      try {
        rmdirSync(abs);
      } catch {
        // not empty: the run's files stay
      }
    }
  };
  if (options.releaseOnExit !== false) process.on('exit', release);
  return { dir: abs, file, holder, release };
}

/**
 * Removes the stale lock `stale` from `file` (true), unless someone replaced it meanwhile. A guard file
 * (O_EXCL) makes two processes that found the same stale lock take turns, so neither removes the
 * lock the other has just created.
 */
function takeOver(file: string, stale: RunLockHolder, me: { pid: number; host: string; isAlive: (pid: number, since: Date) => boolean }): boolean {
  const guard = `${file}.takeover`;
  if (!createExclusive(guard, `${JSON.stringify({ pid: me.pid, host: me.host })}\n`)) {
    let owner: { pid?: unknown; host?: unknown } = {};
    try {
      owner = JSON.parse(readFileSync(guard, 'utf8')) as typeof owner;
    } catch {
      // unreadable (being written, or gone): judged by its age below
    }
    const dead = owner.host === me.host && typeof owner.pid === 'number' && !processAlive(owner.pid);
    if (dead || ageMs(guard) > 10_000) rmSync(guard, { force: true });
    return false; // the caller tries again
  }
  try {
    const now = readHolder(file);
    if (now === null || now === undefined || !sameHolder(now, stale)) return false;
    rmSync(file, { force: true });
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}
