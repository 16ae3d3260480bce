import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { defineBlueprint } from '../blueprint/define.js';
import { ToolRegistry } from '../env/registry.js';
import type { AgentSession } from '../contract/agent.js';
import { defineAgent, definePlugin } from './define.js';
import { HarnessRegistry } from './registry.js';
import { thrownBy } from '../../test/thrown.js';

const blueprint = (id: string, domain = 'shop') =>
  defineBlueprint({ id, version: '1', domain, approvedTools: [], context: () => ({}), start: 'end', nodes: (n) => [n.end('end', { reason: 'done' })] });

const agent = defineAgent({ summary: 'test agent', create: () => ({ name: 'a', run: async () => {} }) });

const thrown = (f: () => void): ConfigError => thrownBy(ConfigError, f);

describe('HarnessRegistry', () => {
  it('refuses a duplicate agent name, naming both sources, and installs nothing of the refused plug-in', () => {
    const r = new HarnessRegistry();
    r.install(definePlugin({ name: 'first', agents: { echo: agent } }), 'built-in (first.ts)');
    const e = thrown(() => r.install(definePlugin({ name: 'second', agents: { other: agent, echo: agent } }), 'plug-in "second" (/tmp/second.ts)'));
    expect(e.message).toBe('duplicate agent "echo": registered by built-in (first.ts) and again by plug-in "second" (/tmp/second.ts); rename one of them');
    expect(Object.keys(r.agents).sort()).toEqual(['blueprint', 'echo']);
    expect(r.entries.has('plugins', 'second')).toBe(false);
  });

  it('refuses a blueprint id taken by another plug-in, and a plug-in name taken twice', () => {
    const r = new HarnessRegistry();
    r.install(definePlugin({ name: 'a', blueprints: [blueprint('shop')] }), 'built-in (a.ts)');
    expect(thrown(() => r.install(definePlugin({ name: 'b', blueprints: [blueprint('shop')] }), 'plug-in "b" (b.ts)')).message).toBe(
      'duplicate blueprint "shop": registered by built-in (a.ts) and again by plug-in "b" (b.ts); rename one of them',
    );
    expect(thrown(() => r.install(definePlugin({ name: 'a' }), 'plug-in "a" (other.ts)')).message).toContain('duplicate plug-in "a": registered by built-in (a.ts)');
  });

  it('the same plug-in object installed twice is installed once', () => {
    const r = new HarnessRegistry();
    const p = definePlugin({ name: 'p', agents: { echo: agent } });
    r.install(p, 'first');
    r.install(p, 'again');
    expect(r.entries.sourceOf('agents', 'echo')).toBe('first');
  });

  it('names blueprints by id: blueprint:<id> per blueprint, blueprint = the first (or declared) default of the domain', () => {
    const r = new HarnessRegistry();
    r.install(definePlugin({ name: 'a', blueprints: [blueprint('main'), blueprint('air', 'airline')] }), 'a');
    r.install(definePlugin({ name: 'b', blueprints: [{ blueprint: blueprint('small'), summary: 'a small one' }] }), 'b');
    expect(Object.keys(r.agents).sort()).toEqual(['blueprint', 'blueprint:air', 'blueprint:main', 'blueprint:small']);
    expect(r.defaultBlueprint('shop')?.blueprint.id).toBe('main');
    expect(r.defaultBlueprint('airline')?.blueprint.id).toBe('air');
    expect(r.agents['blueprint:small']?.summary).toBe('a small one (shop)');
    expect(r.agents['blueprint:small']?.domains).toEqual(['shop']);
    // A second declared default for a domain is refused, naming both.
    const e = thrown(() => r.install(definePlugin({ name: 'c', blueprints: [{ blueprint: blueprint('big'), default: true }] }), 'plug-in "c"'));
    expect(e.message).toContain('blueprint "big" (plug-in "c") and blueprint "main" (a) are both the default of domain "shop"');
  });

  it('a blueprint without a domain is refused', () => {
    const r = new HarnessRegistry();
    const bp = defineBlueprint({ id: 'x', version: '1', approvedTools: [], context: () => ({}), start: 'e', nodes: (n) => [n.end('e', { reason: 'r' })] });
    expect(thrown(() => r.install(definePlugin({ name: 'p', blueprints: [bp] }), 'p')).message).toContain('blueprint "x" names no domain');
  });

  it('sim oracles answer for the blueprint that asks, else the domain default', () => {
    const r = new HarnessRegistry();
    r.install(definePlugin({ name: 'a', blueprints: [{ blueprint: blueprint('main'), oracles: { classify: () => ({ answer: 'main' }) } }] }), 'a');
    r.install(definePlugin({ name: 'b', blueprints: [{ blueprint: blueprint('small'), oracles: { classify: () => ({ answer: 'small' }), only: () => ({ answer: 1 }) } }] }), 'b');
    const oracles = r.subtaskOracles();
    const task = { domain: 'shop' } as Task;
    expect(Object.keys(oracles).sort()).toEqual(['classify', 'only']);
    expect(oracles.classify?.({ task, name: 'classify', input: null, blueprint: 'small' }).answer).toBe('small');
    expect(oracles.classify?.({ task, name: 'classify', input: null, blueprint: 'main' }).answer).toBe('main');
    expect(oracles.classify?.({ task, name: 'classify', input: null }).answer).toBe('main');
    expect(oracles.only?.({ task, name: 'only', input: null }).answer).toBe(1);
    expect(oracles.only?.({ task, name: 'only', input: null, blueprint: 'main' }).answer).toEqual({});
  });

  it('blueprint:<id> refuses another domain; blueprint says when a domain has none', async () => {
    const r = new HarnessRegistry();
    r.install(definePlugin({ name: 'a', blueprints: [blueprint('main')] }), 'a');
    const session = { domain: 'airline' } as AgentSession;
    await expect(r.agents['blueprint:main']?.create({ seed: 0, settings: {} }).run(session)).rejects.toThrow('blueprint:main plays domain "shop", not "airline"');
    await expect(r.agents.blueprint?.create({ seed: 0, settings: {} }).run(session)).rejects.toThrow('no blueprint for domain "airline" (blueprints exist for: shop)');
    expect(() => r.agents.blueprint?.check?.({ domain: 'airline', registry: new ToolRegistry([]) })).toThrow('no blueprint for domain "airline" (blueprints exist for: shop)');
    expect(() => r.agents['blueprint:main']?.check?.({ domain: 'shop', registry: new ToolRegistry([]) })).not.toThrow();
    expect(() => r.agents.blueprint?.create({ seed: 0, settings: { nope: 1 } })).toThrow('unknown blueprint setting(s) nope');
  });

  it('providers are handed to onProvider; a name createModel already has is refused', () => {
    const seen: string[] = [];
    const r = new HarnessRegistry({ onProvider: (name) => seen.push(name), reservedProviders: () => ['openai'] });
    const factory = () => {
      throw new Error('not called');
    };
    r.install(definePlugin({ name: 'p', providers: { mine: factory } }), 'p');
    expect(seen).toEqual(['mine']);
    expect(thrown(() => r.install(definePlugin({ name: 'q', providers: { openai: { factory } } }), 'plug-in "q"')).message).toContain(
      'duplicate model provider "openai": built into createModel (src/models/create-model.ts) and registered again by plug-in "q"',
    );
  });

  it('rejects malformed plug-ins with what is wrong', () => {
    const r = new HarnessRegistry();
    expect(() => r.install({ name: '' }, 'x.ts')).toThrow('x.ts: not a plug-in');
    expect(() => r.install({ name: 'p', agents: { a: {} as never } }, 'x.ts')).toThrow('agent "a" has no create(options) function');
    expect(() => definePlugin({ name: ' ' })).toThrow('a plug-in needs a non-empty name');
  });
});
