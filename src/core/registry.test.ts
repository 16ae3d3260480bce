import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from './errors.js';
import { Registry } from './registry.js';

describe('Registry', () => {
  it('refuses a second entry under a taken name, naming both sources', () => {
    const r = new Registry<{ agents: { id: number } }>({ agents: 'agent' });
    r.register('agents', 'echo', { id: 1 }, 'built-in (a.ts)');
    let error: unknown;
    try {
      r.register('agents', 'echo', { id: 2 }, 'plug-in "x" (/tmp/x.ts)');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('duplicate agent "echo": registered by built-in (a.ts) and again by plug-in "x" (/tmp/x.ts); rename one of them');
    expect((error as ConfigError).path).toBe('agents.echo');
    expect(r.get('agents', 'echo')).toEqual({ id: 1 });
  });

  it('keeps kinds apart, records sources, and lists names sorted', () => {
    const r = new Registry<{ a: string; b: string }>();
    r.register('a', 'zeta', 'z', 's1');
    r.register('a', 'alpha', 'x', 's2');
    r.register('b', 'zeta', 'other kind', 's3');
    expect(r.names('a')).toEqual(['alpha', 'zeta']);
    expect(r.entries('a').map((e) => e.name)).toEqual(['zeta', 'alpha']);
    expect(r.sourceOf('b', 'zeta')).toBe('s3');
    expect(r.find('b', 'alpha')).toBeUndefined();
  });

  it('an unknown name is a usage error with the nearest name and the known ones', () => {
    const r = new Registry<{ users: number }>({ users: 'user simulator' });
    r.register('users', 'scripted', 1, 's');
    r.register('users', 'llm', 2, 's');
    expect(() => r.get('users', 'scriptd')).toThrow(UsageError);
    expect(() => r.get('users', 'scriptd')).toThrow('unknown user simulator "scriptd" (did you mean "scripted"?) (known: llm, scripted)');
  });

  it('a view is one live object gaining later registrations', () => {
    const r = new Registry<{ d: number }>();
    const view = r.view('d');
    r.register('d', 'one', 1, 's');
    expect(r.view('d')).toBe(view);
    expect(view).toEqual({ one: 1 });
  });

  it('refuses an empty name', () => {
    const r = new Registry<{ d: number }>();
    expect(() => r.register('d', ' ', 1, 'plug-in "p"')).toThrow('plug-in "p": a d needs a non-empty name');
  });
});
