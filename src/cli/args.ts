/**
 * Minimal, strict command-line parsing on top of node:util parseArgs: unknown flags are usage
 * errors, and `--config <file.json>` supplies defaults for any flag.
 */
import { readTextFile } from '../core/utf8.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

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

/** Config-file keys read by the dispatcher (plug-ins to load first), not by a command. */
const PLUGIN_CONFIG_KEYS: readonly string[] = ['plugins', 'plugin'];

/** Parsed flags: strings, booleans, or string arrays for `multiple` options. */
export type Flags = Record<string, string | boolean | string[] | undefined>;

/** For flags objects made by {@link parseFlags}: which flags a config file supplied (file and key). */
const fromConfig = new WeakMap<Flags, Map<string, { file: string; key: string }>>();

/**
 * A flag as messages should name it: `--trials`, or `--trials (config run.json, key "trials")`
 * when the value came from `--config`.
 */
export function flagName(flags: Flags, name: string): string {
  const origin = fromConfig.get(flags)?.get(name);
  return origin === undefined ? `--${name}` : `--${name} (config ${origin.file}, key "${origin.key}")`;
}

/**
 * Parses argv against the option spec; an unknown flag is a usage error naming the nearest known
 * one. When the spec has a `config` option, `--config <file.json>` (a JSON object) fills in flags
 * not given on the command line: keys are option names (camelCase or kebab-case), values a string
 * or number for string options, `true`/`false` for switches, a list for repeatable options, or
 * `null` (unset). An unknown key or a value of another type is a usage error naming file and key.
 */
export function parseFlags(argv: string[], options: OptionSpec, command: string): { flags: Flags; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${parseArgsMessage(e as Error & { code?: string }, options, command)}`);
  }
  const flags: Flags = { ...(parsed.values as Flags) };
  const configPath = flags.config;
  if (typeof configPath === 'string') {
    let cfg: Record<string, unknown>;
    try {
      cfg = JSON.parse(readTextFile(configPath)) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`${command}: cannot read config ${configPath}: ${(e as Error).message}`, { path: configPath });
    }
    const origins = new Map<string, { file: string; key: string }>();
    fromConfig.set(flags, origins);
    if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) {
      throw new UsageError(`${command}: config ${configPath} must hold a JSON object of option names and values, e.g. {"trials": 4}`, { path: configPath });
    }
    for (const [k, v] of Object.entries(cfg)) {
      // Plug-ins are loaded by the dispatcher before the command runs (src/plugin/load.ts).
      if (PLUGIN_CONFIG_KEYS.includes(k)) continue;
      const name = k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const option = Object.prototype.hasOwnProperty.call(options, name) ? options[name] : undefined;
      if (option === undefined || name === 'config') {
        const known = Object.keys(options).filter((o) => o !== 'config');
        throw new UsageError(`${command}: unknown key "${k}" in config ${configPath}${didYouMean(name, known)}`, { path: `${configPath}#${k}` });
      }
      const value = configValue(v, option, (problem) => {
        throw new UsageError(`${command}: config ${configPath}: "${k}" ${problem}`, { path: `${configPath}#${k}` });
      });
      if (flags[name] === undefined && value !== undefined) {
        flags[name] = value;
        origins.set(name, { file: configPath, key: k });
      }
    }
  }
  return { flags, positionals: parsed.positionals };
}

/** node:util parseArgs errors in our words: an unknown flag gets the nearest known one. */
function parseArgsMessage(e: Error & { code?: string }, options: OptionSpec, command: string): string {
  const m = /^Unknown option '(-{1,2})([^'=]*)/.exec(e.message);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && m !== null) {
    const given = `${m[1] ?? ''}${m[2] ?? ''}`;
    return `unknown option ${given}${didYouMean(m[2] ?? '', Object.keys(options), (s) => `--${s}`)} (taubp ${command} --help lists the options)`;
  }
  return e.message;
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `an array (${JSON.stringify(v)})`;
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object (${JSON.stringify(v)})`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * A config-file value as a flag value, checked against the option's type: booleans for boolean
 * options; a string or number for string options; for repeatable options, a list of those (or one).
 * `null` leaves the option unset. A wrong type calls `fail` with the reason.
 */
function configValue(v: unknown, option: OptionSpec[string], fail: (problem: string) => never): string | boolean | string[] | undefined {
  if (v === null) return undefined;
  const scalar = (x: unknown): string | undefined => (typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : undefined);
  if (option.type === 'boolean') return typeof v === 'boolean' ? v : fail(`must be true or false, got ${describeValue(v)}`);
  if (option.multiple === true) {
    const list = (Array.isArray(v) ? v : [v]).map(scalar);
    return list.every((x) => x !== undefined) ? (list as string[]) : fail(`must be a string or a list of strings, got ${describeValue(v)}`);
  }
  return scalar(v) ?? fail(`must be a string or a number, got ${describeValue(v)}`);
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
 * One part of a task selection: `12` → [12, 12], `0-9` → [0, 9]; undefined when the part is not
 * a number or a range of numbers.
 * @throws UsageError for a range that starts after it ends (`5-2`).
 */
export function parseTaskRange(part: string): [number, number] | undefined {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
  if (m === null) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (b < a) throw new UsageError(`--tasks: invalid task range "${part.trim()}": it starts after it ends (write ${b}-${a})`);
  return [a, b];
}
