/**
 * Property tests of every v1 airline tool: random and malformed arguments never throw out of
 * `step()`, always give an observation (errors as `Error: ...`), and leave every record valid.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedData } from '../../src/env/domain.js';
import { Environment } from '../../src/env/environment.js';
import { sharedPath } from '../../test/shared-data.js';
import { loadAirlineDb } from './data.js';
import { anyPy, callArbitrary, mixedCallArbitrary, poolsOf, runAndCheck, type Call } from './property-support.js';
import { airlineRegistry } from './registry.js';

let data: LoadedData;
const registry = airlineRegistry('v1');

beforeAll(() => {
  data = loadAirlineDb(sharedPath('taubench', 'airline'));
});

describe('v1 airline tools under random calls', () => {
  it('every tool is exercised by the generator', () => {
    const seen = new Set(fc.sample(callArbitrary(poolsOf(data.base)), { numRuns: 2000, seed: 7 }).map((c) => c.name));
    for (const name of registry.names()) expect(seen).toContain(name);
  });

  it('sequences of near-valid and malformed calls never throw and keep the database valid', () => {
    const calls = mixedCallArbitrary(data.base);
    fc.assert(
      fc.property(fc.array(calls, { minLength: 1, maxLength: 10 }), (seq: Call[]) => {
        const env = new Environment({ registry, base: data.base });
        expect(runAndCheck(env, seq)).toBeUndefined();
      }),
      { numRuns: 400, seed: 20240515 },
    );
  });

  it('any JSON object as arguments, and any raw argument text, gives an observation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...registry.names()), anyPy, fc.string({ maxLength: 40 }), (name, kwargs, raw) => {
        const env = new Environment({ registry, base: data.base });
        const a = env.stepRaw(name, raw);
        expect(typeof a.observation).toBe('string');
        if (a.error) expect(a.observation).toMatch(/^Error: /);
        const b = env.stepRaw(name, JSON.stringify(kwargs === null ? {} : kwargs));
        expect(typeof b.observation).toBe('string');
        if (b.error) expect(b.observation).toMatch(/^Error: /);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
