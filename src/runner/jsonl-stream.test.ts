import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines, sha256OfFile, writeLinesAtomic } from './jsonl-stream.js';
import { EpisodeDeduper, EpisodeStream, prepareForResume, readEpisodes } from './results.js';
import type { EpisodeRecord } from '../contract/record.js';
import { createHash } from 'node:crypto';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'taubp-jsonl-'));

describe('readLines', () => {
  it('yields every line with its byte range whatever the chunk size, across multi-byte characters', () => {
    const file = join(tmp(), 'x.jsonl');
    const lines = ['{"a":"é τ 🙂"}', '', '{"b":2}', 'x'.repeat(50)];
    writeFileSync(file, `${lines.join('\n')}\n{"partial`);
    const bytes = readFileSync(file);
    for (const chunkBytes of [1, 3, 7, 64, 1 << 20]) {
      const got = [...readLines(file, { chunkBytes })];
      expect(got.map((l) => l.text)).toEqual([...lines, '{"partial']);
      expect(got.map((l) => l.complete)).toEqual([true, true, true, true, false]);
      expect(got.map((l) => l.number)).toEqual([1, 2, 3, 4, 5]);
      for (const l of got) {
        const slice = bytes.subarray(l.offset, l.offset + l.bytes).toString('utf8');
        expect(slice).toBe(l.complete ? `${l.text}\n` : l.text);
      }
    }
    let seen = 0;
    const hash = createHash('sha256');
    for (const _ of readLines(file, { chunkBytes: 5, onChunk: (c) => void ((seen += c.length), hash.update(c)) }));
    expect(seen).toBe(bytes.length);
    expect(hash.digest('hex')).toBe(sha256OfFile(file, 4));
  });

  it('copies chosen lines byte for byte into a file atomically, adding a missing final newline, even onto a source', () => {
    const dir = tmp();
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeFileSync(a, '1\n22\n333');
    writeFileSync(b, 'bb\n');
    const la = [...readLines(a)];
    const lb = [...readLines(b)];
    const refs = [la[2], lb[0], la[0]].map((l, i) => ({ file: i === 1 ? b : a, offset: l?.offset as number, bytes: l?.bytes as number }));
    expect(writeLinesAtomic(a, refs)).toEqual({ lines: 3, bytes: 9, sha256: createHash('sha256').update('333\nbb\n1\n').digest('hex') });
    expect(readFileSync(a, 'utf8')).toBe('333\nbb\n1\n');
  });
});

function rec(taskId: string, trial: number, reason: EpisodeRecord['termination']['reason'] = 'user_stop'): EpisodeRecord {
  return {
    v: 1, taskId, taskIndex: 0, trial, seed: 0, domain: 'toy', semantics: 'v1', agent: 'a', user: 'u',
    reward: reason === 'infrastructure_error' ? null : 1, success: reason !== 'infrastructure_error', termination: { reason },
    steps: 1, turns: 1, toolCalls: 0, dbHash: '', startedAt: 0, endedAt: 0, durationMs: 0, calls: [], trajectory: [{ type: 'message', from: 'user', text: `é ${taskId}`, at: 0 }],
  };
}

describe('episodes.jsonl streamed', () => {
  it('reports a partial last line and names an invalid line elsewhere', () => {
    const file = join(tmp(), 'episodes.jsonl');
    writeFileSync(file, `${JSON.stringify(rec('a', 0))}\n${JSON.stringify(rec('b', 0)).slice(0, 30)}`);
    const s = new EpisodeStream(file, { hash: true, chunkBytes: 16 });
    expect([...s].map((e) => e.record.taskId)).toEqual(['a']);
    expect(s).toMatchObject({ truncated: true, dirty: true, records: 1, bytes: readFileSync(file).length, sha256: sha256OfFile(file) });
    writeFileSync(file, `{oops\n${JSON.stringify(rec('a', 0))}\n`);
    expect(() => readEpisodes(file)).toThrow(`${file}:1: not valid JSON`);
    writeFileSync(file, '{"v":1}\n');
    expect(() => readEpisodes(file)).toThrow(`${file}:1: not an episode record`);
  });

  it('resume drops the torn last line, duplicates and infrastructure errors, keeping the other lines byte for byte', () => {
    const file = join(tmp(), 'episodes.jsonl');
    const lines = [rec('a', 0, 'infrastructure_error'), rec('b', 0), rec('a', 0), rec('c', 0, 'infrastructure_error'), rec('b', 0, 'max_steps')].map((r) => JSON.stringify(r));
    writeFileSync(file, `${lines.join('\n')}\n`);
    appendFileSync(file, lines[1]?.slice(0, 25) as string);
    const state = prepareForResume(file);
    expect(state).toMatchObject({ truncated: true, rewritten: true, droppedInfra: 1, droppedDuplicates: 2 });
    expect(state.kept.map((k) => `${k.taskId}:${k.termination.reason}`)).toEqual(['a:user_stop', 'b:max_steps']);
    expect(readFileSync(file, 'utf8')).toBe(`${lines[2]}\n${lines[4]}\n`);
    // Nothing to change: the file is left alone.
    expect(prepareForResume(file).rewritten).toBe(false);
  });

  it('deduplicates keeping the last real result, else the last record, in the kept one’s position', () => {
    const d = new EpisodeDeduper<string>();
    d.add(rec('a', 0), 'a-real-1');
    d.add(rec('b', 0, 'infrastructure_error'), 'b-infra-1');
    d.add(rec('a', 0, 'infrastructure_error'), 'a-infra');
    d.add(rec('b', 0, 'infrastructure_error'), 'b-infra-2');
    d.add(rec('c', 0), 'c');
    d.add(rec('a', 0), 'a-real-2');
    expect(d.values()).toEqual(['b-infra-2', 'c', 'a-real-2']);
    expect(d.results()).toEqual(['c', 'a-real-2']);
  });
});
