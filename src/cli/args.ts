/**
 * Minimal, strict command-line parsing on top of node:util parseArgs: unknown flags are usage
 * errors, and `--config <file.json>` supplies defaults for any flag.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.js';

/** Option declarations as node:util expects them. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * The flags of commands that read a domain's tasks and database (`run`, `verify`): `--domain`,
 * `--data`, `--db`, `--split`, `--tasks`, and `--config <file.json>` (defaults for any flag).
 */
export const DATA_SOURCE_OPTIONS: OptionSpec = {
  domain: { type: 'string' },
  data: { type: 'string' },
  db: { type: 'string' },
  split: { type: 'string' },
  tasks: { type: 'string' },
  config: { type: 'string' },
};

/** Parsed flags: strings, booleans, or string arrays for `multiple` options. */
export type Flags = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses argv against the option spec. With `config: true` in the spec, a JSON config file's
 * keys (flag names, camelCase or kebab-case) fill in flags not given on the command line.
 */
export function parseFlags(argv: string[], options: OptionSpec, command: string): { flags: Flags; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message}`);
  }
  const flags: Flags = { ...(parsed.values as Flags) };
  const configPath = flags.config;
  if (typeof configPath === 'string') {
    let cfg: Record<string, unknown>;
    try {
      cfg = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`${command}: cannot read config ${configPath}: ${(e as Error).message}`, { path: configPath });
    }
    for (const [k, v] of Object.entries(cfg)) {
      const name = k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      if (!(name in options)) throw new UsageError(`${command}: unknown key "${k}" in config ${configPath}`, { path: configPath });
      if (flags[name] === undefined) flags[name] = Array.isArray(v) ? v.map(String) : typeof v === 'boolean' ? v : String(v);
    }
  }
  return { flags, positionals: parsed.positionals };
}

/** A string flag or a default. */
export function str(flags: Flags, name: string, fallback?: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : fallback;
}

/** An integer flag or a default; a non-integer is a usage error. */
export function int(flags: Flags, name: string, fallback: number): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got ${String(v)}`);
  return n;
}

/**
 * Parses a task selection like `0-9,12` into sorted unique indices. Undefined means all.
 */
export function parseRanges(spec: string | undefined): number[] | undefined {
  if (spec === undefined || spec === '' || spec === 'all') return undefined;
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (m === null) throw new UsageError(`invalid task selection "${part}" (expected e.g. 0-9,12)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`invalid task range "${part}"`);
    for (let i = a; i <= b; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}
