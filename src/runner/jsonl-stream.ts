/**
 * JSON Lines files of any size, one line at a time: {@link readLines} reads a file in fixed-size
 * chunks (never the whole file as one string) and yields each line with its byte position, so a
 * caller can keep positions instead of records and copy chosen lines later with
 * {@link writeLinesAtomic} (exact bytes, no re-serialisation). Synchronous on purpose: readers
 * (summaries, `report`) are synchronous and a run's writer is locked out meanwhile (`run-lock.ts`).
 */
import { constants as bufferConstants } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError } from '../core/errors.js';

/** One line of a file. */
export interface FileLine {
  /** The line's text, without its newline (UTF-8 decoded). */
  text: string;
  /** 1-based line number. */
  number: number;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Length in bytes, including the newline when there is one. */
  bytes: number;
  /** False for a last line without a newline (possibly cut short by a crash). */
  complete: boolean;
}

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** Bytes read at a time. Default 1 MiB. */
  chunkBytes?: number;
  /** Sees every chunk of the file's bytes, in order (e.g. to hash the file while reading it). */
  onChunk?: (chunk: Buffer) => void;
}

const NEWLINE = 0x0a;

function decode(parts: Buffer[], file: string, number: number): string {
  const bytes = parts.reduce((n, p) => n + p.length, 0);
  try {
    return (parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, bytes)).toString('utf8');
  } catch (e) {
    throw new DataError(`${file}:${number}: a line of ${bytes} bytes is too long to read (at most ${bufferConstants.MAX_STRING_LENGTH} characters): ${(e as Error).message}`, {
      path: `${file}:${number}`,
    });
  }
}

/**
 * Yields the lines of `file` in order, reading `chunkBytes` at a time; memory holds one line (and
 * one chunk) at a time. A last line without a newline is yielded with `complete: false`; an empty
 * file yields nothing. Stopping the iteration early closes the file.
 * @throws DataError when a single line is longer than a JavaScript string can be.
 */
export function* readLines(file: string, options: ReadLinesOptions = {}): Generator<FileLine, void, undefined> {
  const chunk = Buffer.allocUnsafe(Math.max(1, options.chunkBytes ?? 1 << 20));
  const fd = openSync(file, 'r');
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let lineStart = 0;
    let number = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const view = chunk.subarray(0, n);
      options.onChunk?.(view);
      let start = 0;
      while (start < n) {
        const nl = view.indexOf(NEWLINE, start);
        if (nl === -1) {
          // The chunk buffer is reused: keep a copy of the unfinished line.
          pending.push(Buffer.from(view.subarray(start)));
          pendingBytes += n - start;
          break;
        }
        number++;
        const bytes = pendingBytes + (nl - start) + 1;
        const text = decode([...pending, view.subarray(start, nl)], file, number);
        pending = [];
        pendingBytes = 0;
        yield { text, number, offset: lineStart, bytes, complete: true };
        lineStart += bytes;
        start = nl + 1;
      }
    }
    if (pendingBytes > 0) {
      number++;
      yield { text: decode(pending, file, number), number, offset: lineStart, bytes: pendingBytes, complete: false };
    }
  } finally {
    closeSync(fd);
  }
}

/** A line (byte range) of a file, to copy. */
export interface LineRef {
  file: string;
  offset: number;
  /** Length in bytes (with its newline, if it has one). */
  bytes: number;
}

/**
 * Writes the given lines, copied byte for byte from their files in the order given, to `dest`
 * atomically (temporary file beside it, fsync, rename). A line without a final newline gets one.
 * `dest` may be one of the source files: sources are read before the rename replaces it.
 * Returns the lines and bytes written, and their sha256 (hex).
 */
export function writeLinesAtomic(dest: string, refs: Iterable<LineRef>): { lines: number; bytes: number; sha256: string } {
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}`;
  const out = openSync(tmp, 'w');
  const fds = new Map<string, number>();
  let buffer = Buffer.allocUnsafe(1 << 16);
  let lines = 0;
  let bytes = 0;
  const hash = createHash('sha256');
  try {
    for (const ref of refs) {
      let fd = fds.get(ref.file);
      if (fd === undefined) fds.set(ref.file, (fd = openSync(ref.file, 'r')));
      if (buffer.length < ref.bytes + 1) buffer = Buffer.allocUnsafe(ref.bytes + 1);
      let read = 0;
      while (read < ref.bytes) {
        const n = readSync(fd, buffer, read, ref.bytes - read, ref.offset + read);
        if (n === 0) throw new DataError(`${ref.file}: ended before byte ${ref.offset + ref.bytes} (changed while being copied?)`, { path: ref.file });
        read += n;
      }
      let length = ref.bytes;
      if (length === 0 || buffer[length - 1] !== NEWLINE) buffer[length++] = NEWLINE;
      let written = 0;
      while (written < length) written += writeSync(out, buffer, written, length - written);
      hash.update(buffer.subarray(0, length));
      lines++;
      bytes += length;
    }
    fsyncSync(out);
  } catch (e) {
    closeSync(out);
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
  closeSync(out);
  renameSync(tmp, dest);
  return { lines, bytes, sha256: hash.digest('hex') };
}


/** sha256 (hex) of a file's bytes, read in chunks (any size). A missing file hashes as empty. */
export function sha256OfFile(file: string, chunkBytes = 1 << 20): string {
  const hash = createHash('sha256');
  if (!existsSync(file)) return hash.digest('hex');
  const chunk = Buffer.allocUnsafe(chunkBytes);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
