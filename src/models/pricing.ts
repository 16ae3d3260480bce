/**
 * Per-token pricing from a JSON data file (`pricing.json`), with user overrides merged over it.
 * Unknown models cost `null` (never 0) and produce one warning per model; `sim` models cost 0.
 */
import { readTextFile } from '../core/utf8.js';
import { z } from 'zod';
import { ConfigError, DataError } from '../core/errors.js';
import builtInPricing from './pricing.json' with { type: 'json' };
import type { ModelSpec } from './spec.js';
import type { Usage } from './types.js';

/** USD per 1,000,000 tokens for each billed bucket. */
export interface ModelPrice {
  input: number;
  /** Cache reads. */
  cachedInput: number;
  /** Cache writes. */
  cacheWrite: number;
  output: number;
}

/** Model name (or full spec such as `openai-compatible:llama3`) → price. */
export type PriceTable = Record<string, ModelPrice>;

/** Receives human-readable warnings (e.g. "no price for model …"). */
export type WarnSink = (message: string) => void;

const rate = z.number().nonnegative();
const overrideEntry = z.strictObject({
  input: rate.optional(),
  cachedInput: rate.optional(),
  cacheWrite: rate.optional(),
  output: rate.optional(),
});
const overrideFile = z.union([
  z.object({ models: z.record(z.string(), overrideEntry) }),
  z.record(z.string(), overrideEntry),
]);

/** Where the built-in price list comes from and when it was last checked. */
export const BUILT_IN_PRICING_AS_OF: string = builtInPricing._meta.asOf;

/** A copy of the built-in price table (`pricing.json`). */
export function builtInPriceTable(): PriceTable {
  return structuredClone(builtInPricing.models) as PriceTable;
}

/**
 * Merges override entries over a base table. An entry for a known model may give only some
 * fields; a new model needs `input` and `output` (`cachedInput` and `cacheWrite` default to `input`).
 *
 * @throws ConfigError when an entry for a new model lacks `input` or `output`.
 */
export function mergePriceTables(base: PriceTable, overrides: Record<string, Partial<ModelPrice>>, source = 'pricing override'): PriceTable {
  const merged: PriceTable = { ...base };
  for (const [name, entry] of Object.entries(overrides)) {
    const known = merged[name];
    if (known !== undefined) {
      merged[name] = { ...known, ...definedOnly(entry) };
      continue;
    }
    if (entry.input === undefined || entry.output === undefined) {
      throw new ConfigError(`${source}: model "${name}" is not in the built-in price list, so it needs both "input" and "output"`, { path: source });
    }
    merged[name] = {
      input: entry.input,
      output: entry.output,
      cachedInput: entry.cachedInput ?? entry.input,
      cacheWrite: entry.cacheWrite ?? entry.input,
    };
  }
  return merged;
}

function definedOnly(entry: Partial<ModelPrice>): Partial<ModelPrice> {
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
}

/**
 * Reads a pricing override file: either `{ "models": { name: price } }` (the shape of
 * `pricing.json`) or a flat `{ name: price }` map.
 *
 * @throws ConfigError when the file is missing, not JSON, or has the wrong shape.
 */
export function readPricingOverride(path: string): Record<string, Partial<ModelPrice>> {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new ConfigError(`cannot read pricing file: ${(err as Error).message}`, { path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`pricing file is not valid JSON: ${(err as Error).message}`, { path });
  }
  if (typeof json === 'object' && json !== null && '_meta' in json) {
    const { _meta: _ignored, ...rest } = json as Record<string, unknown>;
    json = rest;
  }
  const parsed = overrideFile.safeParse(json);
  if (!parsed.success) throw new ConfigError(`pricing file has the wrong shape:\n${z.prettifyError(parsed.error)}`, { path });
  const models = 'models' in parsed.data && isEntryMap(parsed.data.models) ? parsed.data.models : parsed.data;
  return models as Record<string, Partial<ModelPrice>>;
}

function isEntryMap(value: unknown): value is Record<string, Partial<ModelPrice>> {
  return typeof value === 'object' && value !== null;
}

/** Snapshot suffixes accepted after a priced name: `-2024-08-06`, `-20250514`, `-latest`. */
const SNAPSHOT_SUFFIX = /^(?:\d{4}-?\d{2}-?\d{2}|latest)$/;

/**
 * Finds the price of a model: the full spec id first (`openai-compatible:llama3`), then the
 * model name, then the longest priced name that the model extends with a snapshot suffix
 * (`gpt-4o-2024-08-06` → `gpt-4o`, `claude-sonnet-4-20250514` → `claude-sonnet-4`). Other
 * suffixes (`o3-mini`, `claude-opus-4-5`) do not match, so they are not mispriced.
 */
export function lookupPrice(table: PriceTable, spec: Pick<ModelSpec, 'id' | 'model'>): ModelPrice | undefined {
  const exact = table[spec.id] ?? table[spec.model];
  if (exact !== undefined) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (!spec.model.startsWith(`${name}-`)) continue;
    if (!SNAPSHOT_SUFFIX.test(spec.model.slice(name.length + 1))) continue;
    if (best === undefined || name.length > best.length) best = name;
  }
  return best === undefined ? undefined : table[best];
}

/**
 * USD cost of one call. Buckets that were not reported contribute nothing; when no billed
 * bucket was reported at all the cost is unknown (`null`). `reasoning` is part of `output`.
 */
export function costOf(usage: Usage, price: ModelPrice): number | null {
  const { input, cacheRead, cacheWrite, output } = usage;
  if (input === undefined && cacheRead === undefined && cacheWrite === undefined && output === undefined) return null;
  const micro =
    (input ?? 0) * price.input + (cacheRead ?? 0) * price.cachedInput + (cacheWrite ?? 0) * price.cacheWrite + (output ?? 0) * price.output;
  return micro / 1_000_000;
}

/** Options of {@link Pricing}. */
export interface PricingOptions {
  /** Path of a user pricing file merged over the built-in table. Default: none. */
  overridePath?: string;
  /** Extra entries merged last (after the override file). Default: none. */
  overrides?: Record<string, Partial<ModelPrice>>;
  /** Where "unknown model" warnings go. Default: `console.warn`. */
  warn?: WarnSink;
}

/** Prices calls; warns once per unpriced model. */
export class Pricing {
  readonly table: PriceTable;
  readonly #warn: WarnSink;
  readonly #warned = new Set<string>();

  /** @throws ConfigError when the override file cannot be read or is malformed. */
  constructor(options: PricingOptions = {}) {
    let table = builtInPriceTable();
    if (options.overridePath !== undefined) table = mergePriceTables(table, readPricingOverride(options.overridePath), options.overridePath);
    if (options.overrides !== undefined) table = mergePriceTables(table, options.overrides);
    this.table = table;
    this.#warn = options.warn ?? ((message) => console.warn(message));
  }

  /** Price entry for a model, if any (`sim` has none: it is free, see {@link Pricing.cost}). */
  priceOf(spec: Pick<ModelSpec, 'id' | 'model'>): ModelPrice | undefined {
    return lookupPrice(this.table, spec);
  }

  /** Cost of a call in USD: 0 for `sim`, `null` (with one warning per model) when unpriced. */
  cost(spec: Pick<ModelSpec, 'id' | 'model' | 'provider'>, usage: Usage): number | null {
    if (spec.provider === 'sim') return 0;
    const price = this.priceOf(spec);
    if (price === undefined) {
      if (!this.#warned.has(spec.id)) {
        this.#warned.add(spec.id);
        this.#warn(`no price for model "${spec.id}": its cost is reported as null; add it to a pricing override file to price it`);
      }
      return null;
    }
    return costOf(usage, price);
  }
}
