import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { decodeUtf8, findInvalidUtf8, readTextFile } from './utf8.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('strict UTF-8 input', () => {
  it('decodes valid UTF-8 (multi-byte characters, a byte-order mark kept as readFileSync does)', () => {
    expect(decodeUtf8(bytes('τ-bench ✓ 😀'), 'x')).toBe('τ-bench ✓ 😀');
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'a'), 'x')).toBe('\uFEFFa');
    expect(findInvalidUtf8(bytes('ok\nτ😀'))).toBeUndefined();
  });

  it('finds the first invalid sequence with its byte offset, line and column', () => {
    expect(findInvalidUtf8(bytes('ab\ncτ', [0xff], 'z'))).toEqual({ offset: 6, line: 2, column: 3, bytes: 'ff 7a' });
    // a truncated 3-byte sequence, an overlong encoding, a UTF-16 surrogate
    expect(findInvalidUtf8(bytes('x', [0xe2, 0x28, 0xa1]))?.offset).toBe(1);
    expect(findInvalidUtf8(bytes([0xc0, 0xaf]))?.offset).toBe(0);
    expect(findInvalidUtf8(bytes('ab', [0xed, 0xa0, 0x80]))?.offset).toBe(2);
    expect(findInvalidUtf8(bytes('ab', [0xf0, 0x9f]))).toMatchObject({ offset: 2, line: 1, column: 3 });
  });

  it('a file with a bad byte is a DataError naming the file, byte, line and column', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'taubp-utf8-')), 'tasks.json');
    writeFileSync(file, bytes('[\n  {"a": "caf', [0xe9], '"}\n]'));
    let err: unknown;
    try {
      readTextFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe(`${file}: not valid UTF-8 at byte 14 (line 2, column 13: e9 22 7d 0a); save the file as UTF-8`);
    expect((err as DataError).path).toBe(`${file}:2:13`);
  });

  it('read errors stay fs errors (callers keep their own "not found" messages)', () => {
    expect(() => readTextFile('/nonexistent/taubp/file.json')).toThrow(/ENOENT/);
  });
});
