import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { stopOnSignals, type OnInterrupt } from './run-signals.js';

/** A fake signal source: `send('SIGTERM')` calls the subscribed handler. */
function fakeSignals(): { onInterrupt: OnInterrupt; send: (s: string) => void; subscribed: () => boolean } {
  let handler: ((s?: string) => void) | undefined;
  return {
    onInterrupt: (h) => {
      handler = h;
      return () => void (handler = undefined);
    },
    send: (s) => handler?.(s),
    subscribed: () => handler !== undefined,
  };
}

describe('stopOnSignals', () => {
  it('first signal stops new episodes, the grace period then abandons running ones; exit 143 for SIGTERM', async () => {
    const src = fakeSignals();
    const log: string[] = [];
    const s = stopOnSignals({ onInterrupt: src.onInterrupt, log: (t) => void log.push(t), graceMs: 30 });
    expect(s.exitCode).toBeUndefined();
    src.send('SIGTERM');
    expect([s.stop.aborted, s.abort.aborted, s.exitCode, s.received]).toEqual([true, false, 143, 'SIGTERM']);
    await sleep(200);
    expect(s.abort.aborted).toBe(true);
    expect(log.join('')).toContain('grace period of 0.03 s over: abandoning');
    s.dispose();
    expect(src.subscribed()).toBe(false);
  });

  it('a second signal abandons at once; the first signal decides the exit status', () => {
    const src = fakeSignals();
    const s = stopOnSignals({ onInterrupt: src.onInterrupt, log: () => undefined, graceMs: 600_000 });
    src.send('SIGINT');
    expect(s.abort.aborted).toBe(false);
    src.send('SIGTERM');
    expect(s.abort.aborted).toBe(true);
    expect(s.exitCode).toBe(130);
    s.dispose();
  });

  it('bound() gives up on a run that ignores the abort, after the abandon wait', async () => {
    const src = fakeSignals();
    const s = stopOnSignals({ onInterrupt: src.onInterrupt, log: () => undefined, graceMs: 0, abandonWaitMs: 20 });
    const finished = s.bound(Promise.resolve('done'));
    expect(await finished).toBe('done');
    const hung = s.bound(new Promise<string>(() => undefined));
    src.send('SIGINT');
    expect(await hung).toEqual({ abandoned: true });
    s.dispose();
  });
});
