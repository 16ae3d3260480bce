import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BaseDb } from '../../src/env/db-state.js';
import { Environment } from '../../src/env/environment.js';
import { ToolRegistry } from '../../src/env/registry.js';
import { sharedPath } from '../../test/shared-data.js';
import { CALCULATOR_CHARS, calculateTool, genericTools, thinkTool, transferToHumanAgentsTool, unknownToolObservation } from './generic-tools.js';

const probes = readFileSync(sharedPath('conformance', 'calculate_probes.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { expression: string; output: string });

const db = new BaseDb([]).fork();
const calc = (expression: string, variant: 'v1' | 'tau2' = 'v1'): string => calculateTool(variant).invoke(db, { expression });

describe('calculate (v1)', () => {
  it('has probes to check', () => {
    expect(probes.length).toBeGreaterThan(70);
  });

  it.each(probes.map((p) => [p.expression, p.output] as const))('%j → %j', (expression, output) => {
    expect(calc(expression)).toBe(output);
  });

  // Outputs of CPython 3.11 for inputs beyond the probe file (syntax-error precedence, runtime
  // types reachable from the alphabet, exact integer division, float ** rounding).
  it.each([
    ['(1 2)', 'Error: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)'],
    ['(1 2', "Error: '(' was never closed (<string>, line 1)"],
    ['1 2)', "Error: unmatched ')' (<string>, line 1)"],
    ['(1 +) (', 'Error: invalid syntax (<string>, line 1)'],
    ['1 2 01', 'Error: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)'],
    ['   ', 'Error: invalid syntax (<string>, line 0)'],
    ['(*1)', 'Error: cannot use starred expression here (<string>, line 1)'],
    ['(**1)', 'Error: cannot use double starred expression here (<string>, line 1)'],
    ['(1)(2)', "Error: 'int' object is not callable"],
    ['(1)(*2)', 'Error: 1 argument after * must be an iterable, not int'],
    ['(1)(**())', 'Error: 1 argument after ** must be a mapping, not tuple'],
    ['()', "Error: float() argument must be a string or a real number, not 'tuple'"],
    ['...+1', "Error: unsupported operand type(s) for +: 'ellipsis' and 'int'"],
    ['() + 1', 'Error: can only concatenate tuple (not "int") to tuple'],
    ['() * 2.0', "Error: can't multiply sequence by non-int of type 'float'"],
    ['-()', "Error: bad operand type for unary -: 'tuple'"],
    ['1/((-1)**0.5 - (-1)**0.5)', 'Error: complex division by zero'],
    ['(0 * (-1)**0.5) ** -1', 'Error: 0.0 to a negative or complex power'],
    ['(-8)**0.5 // 1', "Error: unsupported operand type(s) for //: 'complex' and 'int'"],
    ['0 ** -1', 'Error: 0.0 cannot be raised to a negative power'],
    ['10**400/3', 'Error: integer division result too large for a float'],
    ['10**400/10**399', '10.0'],
    ['(2**60+1)/3', '3.843071682022823e+17'],
    ['10 ** 308 * 10.0', 'inf'],
    ['-5.5 // 0.1', '-55.0'],
    ['5 // 0.0', 'Error: float floor division by zero'],
    ['0.0 * -1', '-0.0'],
    ['885.374**7', '4.264688843062981e+20'],
    ['6 ** 258.355', '1.0946273444164234e+201'],
    ['276 ** 6-.135', '442032795979775.9'],
    ['3.0 ** -670', '0.0'],
    ['1.0000001 ** 1e10'.replace('1e10', '10000000000.0'), "Error: (34, 'Numerical result out of range')"],
    [`(${'('.repeat(200)}1${')'.repeat(200)})`, 'Error: too many nested parentheses (<string>, line 1)'],
    [`${'-'.repeat(2988)}1`, 'Error: maximum recursion depth exceeded during compilation'],
    [`${'-'.repeat(2987)}1`, '-1.0'],
  ])('%j → %j', (expression, output) => {
    expect(calc(expression)).toBe(output);
  });

  it('never throws on strings over its alphabet, and answers a float or an error', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...CALCULATOR_CHARS), maxLength: 40 }), (expression) => {
        const out = calc(expression);
        expect(out === 'inf' || out === '-inf' || out === 'nan' || out.startsWith('Error: ') || /^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(out)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects characters outside the alphabet before evaluating', () => {
    expect(calc('2 + x')).toBe('Error: invalid characters in expression');
    expect(calc('1\t+ 1')).toBe('Error: invalid characters in expression');
  });
});

describe('generic tools per variant', () => {
  it('τ² words the character error with a capital', () => {
    expect(calc('7 % 2', 'tau2')).toBe('Error: Invalid characters in expression');
    expect(calc('1 / 0', 'tau2')).toBe('Error: division by zero');
    expect(calc('2 + 2', 'tau2')).toBe('4.0');
  });

  it('think answers nothing and exists only in v1', () => {
    expect(thinkTool().invoke(db, { thought: 'plan' })).toBe('');
    expect(Object.keys(genericTools('v1')).sort()).toEqual(['calculate', 'think', 'transfer_to_human_agents']);
    expect(Object.keys(genericTools('tau2')).sort()).toEqual(['calculate', 'transfer_to_human_agents']);
  });

  it('transfer ends the episode in v1 only', () => {
    const run = (variant: 'v1' | 'tau2') => {
      const env = new Environment({ registry: new ToolRegistry([transferToHumanAgentsTool(variant)]), base: new BaseDb([]) });
      return env.step({ name: 'transfer_to_human_agents', kwargs: { summary: 'refund' } });
    };
    expect(run('v1')).toMatchObject({ observation: 'Transfer successful', done: true, error: false });
    expect(run('tau2')).toMatchObject({ observation: 'Transfer successful', done: false, error: false });
  });

  it('words unknown tools per variant', () => {
    const registry = new ToolRegistry(Object.values(genericTools('tau2')));
    const v1 = new Environment({ registry, base: new BaseDb([]) });
    expect(v1.step({ name: 'nope', kwargs: {} }).observation).toBe('Unknown action nope');
    const tau2 = new Environment({ registry, base: new BaseDb([]), unknownTool: unknownToolObservation('tau2') });
    expect(tau2.step({ name: 'nope', kwargs: {} })).toMatchObject({ observation: "Error: Tool 'nope' not found.", error: true });
    expect(unknownToolObservation('v1')('x')).toBe('Unknown action x');
  });

  it('validates arguments through the environment', () => {
    const env = new Environment({ registry: new ToolRegistry(Object.values(genericTools('v1'))), base: new BaseDb([]) });
    const wrongType = env.stepRaw('calculate', '{"expression": 5}');
    expect(wrongType.observation).toMatch(/^Error: .*expression/);
    const missing = env.stepRaw('think', '{}');
    expect(missing.observation).toMatch(/^Error: .*thought/);
    const extra = env.stepRaw('calculate', '{"expression": "1", "x": 1}');
    expect(extra.observation).toMatch(/^Error: /);
    expect(env.stepRaw('calculate', '{"expression": "1 + 1"}').observation).toBe('2.0');
  });
});
