import { describe, expect, it } from 'vitest';
import { AGENTS, DOMAINS, getDomain, lookup, USERS } from './registry.js';

describe('registry lookups', () => {
  it('an unknown name gets the nearest known one and the list', () => {
    expect(() => lookup('agent', AGENTS, 'tool-caling')).toThrow('unknown agent "tool-caling" (did you mean "tool-calling"?) (known: act, blueprint,');
    expect(() => lookup('user simulator', USERS, 'scriptd')).toThrow('(did you mean "scripted"?)');
    expect(() => getDomain('retial', DOMAINS)).toThrow('unknown domain "retial" (did you mean "retail"?) (known: retail, airline)');
    expect(() => getDomain('telecom', DOMAINS)).toThrow('unknown domain "telecom" (known: retail, airline)');
  });
});
