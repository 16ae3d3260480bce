/**
 * Strict text input: every input file (data, tasks, policy, config, few-shot, pricing) is read
 * through {@link readTextFile}, so bytes that are not UTF-8 are an error naming the file and
 * the place, instead of silently becoming U+FFFD as with `readFileSync(file, 'utf8')`.
 */
import { readFileSync } from 'node:fs';
import { DataError } from './errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Where the first invalid UTF-8 sequence starts: byte offset, 1-based line and column (in characters). */
export interface Utf8Problem {
  offset: number;
  line: number;
  column: number;
  /** The offending bytes in hex, e.g. `ff` or `e2 28`. */
  bytes: string;
}

/** Length of a valid UTF-8 sequence starting at `i`, or 0 when the bytes there are not valid UTF-8. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] as number;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0; // no surrogates
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** The first invalid UTF-8 sequence of `bytes`, or undefined when they are all valid. */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Problem | undefined {
  let line = 1;
  let column = 1;
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      const shown = Array.from(bytes.subarray(i, Math.min(bytes.length, i + 4)), (b) => b.toString(16).padStart(2, '0'));
      return { offset: i, line, column, bytes: shown.slice(0, Math.max(1, Math.min(4, shown.length))).join(' ') };
    }
    if (bytes[i] === 0x0a) {
      line++;
      column = 1;
    } else column++;
    i += n;
  }
  return undefined;
}

/**
 * Decodes bytes as strict UTF-8 (a byte-order mark is kept, as `readFileSync(…, 'utf8')` does).
 * @throws DataError naming `what` (a file), the byte offset, line and column of the first bad byte.
 */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const p = findInvalidUtf8(bytes);
    const where = p === undefined ? '' : ` at byte ${p.offset} (line ${p.line}, column ${p.column}: ${p.bytes})`;
    throw new DataError(`${what}: not valid UTF-8${where}; save the file as UTF-8`, {
      path: p === undefined ? what : `${what}:${p.line}:${p.column}`,
      details: p === undefined ? {} : { offset: p.offset, line: p.line, column: p.column },
    });
  }
}

/**
 * Reads a text file as strict UTF-8. Read errors (missing file, permissions) are thrown as the
 * fs error they are, so callers keep their own "not found" messages.
 * @throws DataError when the bytes are not UTF-8 (see {@link decodeUtf8}).
 */
export function readTextFile(file: string): string {
  return decodeUtf8(readFileSync(file), file);
}
