/**
 * The run lock across real processes: a child holds the lock, this process is refused (naming the
 * child's pid, host and start); the lock is released when the child ends normally, on an error,
 * or through a signal handler that exits; after `kill -9` it is stale and taken over with a notice.
 * A lock from another host is never taken over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/shared-data.js';
import { acquireRunLock, liveRunLock, LOCK_FILE, readRunLock, RunLockedError, startedAfter } from './run-lock.js';

const MODULE = join(REPO_ROOT, 'src', 'runner', 'run-lock.ts');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'taubp-lock-'));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A child process that takes the lock of `dir`, prints "locked", then does `then`. */
function holder(dir: string, then: string): { child: ChildProcess; locked: Promise<void>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const script = `const { acquireRunLock } = await import(${JSON.stringify(MODULE)});
acquireRunLock(${JSON.stringify(dir)}, { command: 'taubp run (test holder)' });
process.stdout.write('locked\\n');
${then}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.on('exit', () => reject(new Error(`holder exited before locking: ${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, locked, exited };
}

describe('run lock', () => {
  it('refuses a second writer while another process holds the lock, naming pid, host and since', async () => {
    const dir = tmp();
    const h = holder(dir, 'setInterval(() => {}, 1000);');
    await h.locked;
    const info = readRunLock(dir);
    expect(info).toMatchObject({ pid: h.child.pid, host: hostname(), command: 'taubp run (test holder)' });
    expect(liveRunLock(dir)?.pid).toBe(h.child.pid);
    let err: unknown;
    try {
      acquireRunLock(dir, { warn: () => {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunLockedError);
    expect((err as RunLockedError).holder?.pid).toBe(h.child.pid);
    expect((err as Error).message).toBe(`${dir} is in use by pid ${h.child.pid} on host ${hostname()} since ${info?.startedAt} (taubp run (test holder)); wait for it to end or stop it (one writer per run directory)`);

    // kill -9: no exit handler runs, the lock is left behind and taken over with a notice.
    h.child.kill('SIGKILL');
    await h.exited;
    expect(readRunLock(dir)?.pid).toBe(h.child.pid);
    expect(liveRunLock(dir)).toBeNull();
    const notices: string[] = [];
    const lock = acquireRunLock(dir, { warn: (t) => void notices.push(t), command: 'taubp run --resume' });
    expect(notices.join('')).toMatch(new RegExp(`notice: .* was locked by pid ${h.child.pid} on host .*, which no longer runs; taking the lock over`));
    expect(readRunLock(dir)).toMatchObject({ pid: process.pid, command: 'taubp run --resume' });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 30_000);

  it('is released when the holder ends normally, on an uncaught error, and through a signal handler that exits', async () => {
    const cases = [
      ['normal end', ''],
      ['uncaught error', "setTimeout(() => { throw new Error('boom'); }, 10);"],
      ['SIGTERM handler', "process.on('SIGTERM', () => process.exit(143)); setInterval(() => {}, 1000); process.kill(process.pid, 'SIGTERM');"],
    ] as const;
    for (const [name, then] of cases) {
      const dir = tmp();
      const h = holder(dir, then);
      await h.locked;
      const end = await h.exited;
      expect(existsSync(join(dir, LOCK_FILE)), `${name}: ${end.stderr}`).toBe(false);
      if (name === 'uncaught error') expect(end.code).toBe(1);
      if (name === 'SIGTERM handler') expect(end.code).toBe(143);
    }
  }, 60_000);

  it('lets exactly one of several processes take over the same stale lock', async () => {
    const dir = tmp();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 777, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'taubp run', token: 'dead' }));
    // The winner keeps the lock (until killed after the test), so a late starter cannot win too.
    const script = `const { acquireRunLock } = await import(${JSON.stringify(MODULE)});
try { acquireRunLock(${JSON.stringify(dir)}, { warn: () => {} }); process.stdout.write('won'); setInterval(() => {}, 1000); }
catch (e) { process.stdout.write('refused: ' + e.message); }`;
    const racers = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let out = '';
      return new Promise<string>((resolve) => {
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out === 'won') resolve(out);
        });
        child.on('exit', () => resolve(out));
      });
    });
    const outcomes = await Promise.all(racers);
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    for (const o of outcomes.filter((x) => x !== 'won')) expect(o).toMatch(/^refused: .* is in use by pid \d+ /);
  }, 60_000);

  it('treats a lock whose pid now belongs to a process started later (pid reuse) as stale', async () => {
    const dir = tmp();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(other);
    await new Promise((r) => other.once('spawn', r));
    const pid = other.pid as number;
    const hourAgo = new Date(Date.now() - 3_600_000);
    expect(startedAfter(pid, hourAgo)).toBe(true);
    expect(startedAfter(pid, new Date(Date.now() + 60_000))).toBe(false);
    expect(startedAfter(2 ** 22 + 99, hourAgo)).toBe(false);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: hourAgo.toISOString(), command: 'taubp run', token: 'old' }));
    expect(liveRunLock(dir)).toBeNull();
    const notices: string[] = [];
    acquireRunLock(dir, { warn: (t) => void notices.push(t) }).release();
    expect(notices.join('')).toMatch(new RegExp(`was locked by pid ${pid} .*, which no longer runs; taking the lock over`));
    // The same pid with a lock taken after it started is a live holder.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: new Date().toISOString(), command: 'taubp run', token: 'new' }));
    expect(() => acquireRunLock(dir)).toThrow(new RegExp(`in use by pid ${pid}`));
  });

  it('never takes over a lock from another host, and says how to remove it', () => {
    const dir = tmp();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: 'build-box-7', startedAt: '2026-02-03T04:05:06.000Z', command: 'taubp run', token: 't' }));
    expect(() => acquireRunLock(dir, { isAlive: () => false })).toThrow(
      `${dir} is locked by pid 1 on host build-box-7 since 2026-02-03T04:05:06.000Z (taubp run): a lock from another host is never taken over; if that process no longer runs, remove ${join(dir, LOCK_FILE)}`,
    );
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).host).toBe('build-box-7');
    expect(liveRunLock(dir)?.host).toBe('build-box-7');
  });

  it('refuses an unreadable lock file, and release removes only its own lock', () => {
    const dir = tmp();
    writeFileSync(join(dir, LOCK_FILE), 'not json');
    expect(() => acquireRunLock(dir)).toThrow(/not a lock this harness can read; if no taubp process uses this run, remove/);

    const other = tmp();
    const lock = acquireRunLock(other, { releaseOnExit: false });
    expect(() => acquireRunLock(other)).toThrow(RunLockedError);
    // Someone removed the lock by hand and another writer took it: releasing ours must not remove theirs.
    writeFileSync(join(other, LOCK_FILE), JSON.stringify({ ...lock.holder, token: 'someone-else' }));
    lock.release();
    expect(existsSync(join(other, LOCK_FILE))).toBe(true);
  });
});
