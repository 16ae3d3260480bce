/** The reference syntax and its deterministic evaluation over parsed observations. */
import { describe, expect, it } from 'vitest';
import { parsePyJson, pyDumps, type PyValue } from '../../src/index.js';
import { fillPlaceholders, outputValue, resolveValue } from './execute.js';
import { PLAN_JSON_SCHEMA, parseReference } from './plan.js';

const outputs = new Map<string, PyValue>([
  ['s1', outputValue('ann_1')],
  ['s2', outputValue('{"orders": ["#W1", "#W2"], "address": {"zip": "02110"}, "balance": 100.0, "note": "costs $1 and {{s1.output}}"}')],
]);

describe('references', () => {
  it('parse into a step and a path of keys and indices', () => {
    expect(parseReference('s2.output.orders[1]')).toEqual({ text: 's2.output.orders[1]', step: 's2', path: ['orders', 1] });
    expect(parseReference('s2.output.orders.0')).toEqual({ text: 's2.output.orders.0', step: 's2', path: ['orders', 0] });
    expect(parseReference('s1.output')).toEqual({ text: 's1.output', step: 's1', path: [] });
    expect(parseReference('s1.result.x')).toEqual({ error: expect.stringMatching(/is not a reference/) as unknown });
    expect(parseReference('s1.output..x')).toHaveProperty('error');
  });

  it('resolve over parsed observations (text when not JSON), keeping floats and key order', () => {
    const args = parsePyJson('{"user_id": {"$ref": "s1.output"}, "order_id": {"$ref": "s2.output.orders[1]"}, "items": [{"$ref": "s2.output.address.zip"}], "amount": {"$ref": "s2.output.balance"}}');
    expect(pyDumps(resolveValue(args, outputs))).toBe('{"user_id": "ann_1", "order_id": "#W2", "items": ["02110"], "amount": 100.0}');
  });

  it('name where a path stops', () => {
    expect(() => resolveValue({ $ref: 's2.output.orders[5]' }, outputs)).toThrow('s2.output.orders has 2 element(s), no index 5');
    expect(() => resolveValue({ $ref: 's2.output.address.city' }, outputs)).toThrow('s2.output.address is an object without that key: cannot take "city"');
    expect(() => resolveValue({ $ref: 's1.output.x' }, outputs)).toThrow('s1.output is a string: cannot take "x"');
  });

  it('fill respond placeholders in one pass: strings as they are, other values as JSON, inserted text never re-read', () => {
    expect(fillPlaceholders('Hi {{ s1.output }}: {{s2.output.note}}; {{s2.output.orders}} / {{s2.output.balance}}', outputs)).toBe(
      'Hi ann_1: costs $1 and {{s1.output}}; ["#W1", "#W2"] / 100.0',
    );
  });

  it('the model sees the plan schema as JSON Schema with the three step forms', () => {
    const steps = (PLAN_JSON_SCHEMA.properties as { steps: { items: { anyOf: Array<{ required: string[] }> } } }).steps.items.anyOf;
    expect(steps.map((s) => s.required)).toEqual([['id', 'tool', 'args'], ['id', 'confirm'], ['id', 'respond']]);
  });
});
