import { describe, expect, it } from 'vitest';
import { formatDuration, formatTokens, Progress } from './progress.js';
import type { EpisodeRecord } from '../contract/record.js';

const rec = (reward: number | null, reason = 'user_stop', costUsd: number | null = 0.5): EpisodeRecord =>
  ({
    reward,
    termination: { reason },
    calls: [{ role: 'agent', model: 'm', usage: { input: 900, output: 100 }, latencyMs: 1, costUsd, retries: 0, retryWaitMs: 0, cached: false, startedAt: 0 }],
  }) as unknown as EpisodeRecord;

describe('progress', () => {
  it('formats durations and token counts', () => {
    expect(formatDuration(12.4)).toBe('12s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatTokens(950)).toBe('950');
    expect(formatTokens(12345)).toBe('12.3k');
    expect(formatTokens(4_560_000)).toBe('4.56M');
  });

  it('shows done/total, pass rate, tokens, cost and ETA, counting resumed records', () => {
    let t = 0;
    const lines: string[] = [];
    const p = new Progress({ total: 4, previous: [rec(1)], write: (s) => void lines.push(s), now: () => t, intervalMs: 0 });
    t = 10_000;
    p.update(rec(0));
    expect(lines.at(-1)).toBe('[2/4] pass 50.0% (1/2) · 2000 tokens · $1.0000 · ETA 20s\n');
    p.update(rec(null, 'infrastructure_error', null));
    expect(lines.at(-1)).toBe('[3/4] pass 50.0% (1/2) · 3000 tokens · cost n/a · 1 infra errors · ETA 5s\n');
  });

  it('rewrites one line on a terminal', () => {
    const out: string[] = [];
    const p = new Progress({ total: 1, write: (s) => void out.push(s), tty: true, now: () => 0 });
    p.update(rec(1));
    p.finish();
    expect(out[0]?.startsWith('\r[1/1] pass 100.0% (1/1)')).toBe(true);
    expect(out[1]).toBe('\n');
  });
});
