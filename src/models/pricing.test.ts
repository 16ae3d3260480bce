import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { builtInPriceTable, costOf, lookupPrice, Pricing } from './pricing.js';
import { parseModelSpec } from './spec.js';

const spec = (s: string) => parseModelSpec(s);

describe('price table', () => {
  it('covers the required OpenAI and Anthropic models with all four rates', () => {
    const table = builtInPriceTable();
    const required = [
      'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o3', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano',
      'claude-opus-4-1', 'claude-opus-4', 'claude-sonnet-4-5', 'claude-sonnet-4', 'claude-3-7-sonnet', 'claude-3-5-haiku', 'claude-haiku-4-5',
    ];
    for (const name of required) {
      const price = table[name];
      expect(price, name).toBeDefined();
      for (const field of ['input', 'cachedInput', 'cacheWrite', 'output'] as const) expect(price?.[field], `${name}.${field}`).toBeGreaterThan(0);
    }
  });

  it('matches dated snapshots by the longest priced prefix, but not other variants', () => {
    const table = builtInPriceTable();
    expect(lookupPrice(table, spec('openai:gpt-4o-2024-08-06'))).toBe(table['gpt-4o']);
    expect(lookupPrice(table, spec('openai:gpt-4o-mini-2024-07-18'))).toBe(table['gpt-4o-mini']);
    expect(lookupPrice(table, spec('anthropic:claude-sonnet-4-20250514'))).toBe(table['claude-sonnet-4']);
    expect(lookupPrice(table, spec('anthropic:claude-sonnet-4-5-20250929'))).toBe(table['claude-sonnet-4-5']);
    expect(lookupPrice(table, spec('anthropic:claude-3-7-sonnet-latest'))).toBe(table['claude-3-7-sonnet']);
    expect(lookupPrice(table, spec('openai:o3-mini'))).toBeUndefined();
    expect(lookupPrice(table, spec('anthropic:claude-opus-4-5'))).toBeUndefined();
  });

  it('prices each bucket at its own rate and is null when nothing was reported', () => {
    const price = { input: 2, cachedInput: 1, cacheWrite: 3, output: 10 };
    expect(costOf({ input: 1_000_000, cacheRead: 1_000_000, cacheWrite: 1_000_000, output: 1_000_000, reasoning: 999 }, price)).toBe(16);
    expect(costOf({ output: 500_000 }, price)).toBe(5);
    expect(costOf({}, price)).toBeNull();
  });
});

describe('Pricing', () => {
  it('returns null and warns once per unknown model; never 0', () => {
    const warnings: string[] = [];
    const pricing = new Pricing({ warn: (m) => warnings.push(m) });
    expect(pricing.cost(spec('openai-compatible:llama3'), { input: 10, output: 10 })).toBeNull();
    expect(pricing.cost(spec('openai-compatible:llama3'), { input: 10, output: 10 })).toBeNull();
    expect(pricing.cost(spec('openai:o3-mini'), { input: 10 })).toBeNull();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/openai-compatible:llama3/);
  });

  it('costs sim models 0 explicitly', () => {
    const pricing = new Pricing({ warn: () => {} });
    expect(pricing.cost(spec('sim'), { input: 1000, output: 1000 })).toBe(0);
    expect(pricing.cost(spec('sim:0.2'), {})).toBe(0);
  });

  it('merges an override file over the built-in table (partial entries, new models, full spec keys)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pricing-'));
    const file = join(dir, 'prices.json');
    writeFileSync(
      file,
      JSON.stringify({
        _meta: { asOf: '2030-01-01' },
        models: { 'gpt-4o': { output: 20 }, 'openai-compatible:llama3': { input: 0.1, output: 0.2 } },
      }),
    );
    const pricing = new Pricing({ overridePath: file, warn: () => {} });
    expect(pricing.priceOf(spec('openai:gpt-4o'))).toEqual({ input: 2.5, cachedInput: 1.25, cacheWrite: 2.5, output: 20 });
    expect(pricing.priceOf(spec('openai-compatible:llama3'))).toEqual({ input: 0.1, cachedInput: 0.1, cacheWrite: 0.1, output: 0.2 });
    expect(pricing.cost(spec('openai-compatible:llama3'), { input: 1_000_000, output: 1_000_000 })).toBeCloseTo(0.3, 12);
    // the built-in table is not mutated
    expect(new Pricing().priceOf(spec('openai:gpt-4o'))?.output).toBe(10);
  });

  it('accepts a flat override map and rejects bad files with ConfigError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pricing-'));
    const flat = join(dir, 'flat.json');
    writeFileSync(flat, JSON.stringify({ 'my-model': { input: 1, output: 2 } }));
    expect(new Pricing({ overridePath: flat }).priceOf(spec('openai:my-model'))?.output).toBe(2);
    const incomplete = join(dir, 'incomplete.json');
    writeFileSync(incomplete, JSON.stringify({ models: { 'new-model': { input: 1 } } }));
    expect(() => new Pricing({ overridePath: incomplete })).toThrow(/needs both "input" and "output"/);
    const negative = join(dir, 'negative.json');
    writeFileSync(negative, JSON.stringify({ models: { 'gpt-4o': { input: -1 } } }));
    expect(() => new Pricing({ overridePath: negative })).toThrow(ConfigError);
    expect(() => new Pricing({ overridePath: join(dir, 'missing.json') })).toThrow(/cannot read pricing file/);
  });
});
