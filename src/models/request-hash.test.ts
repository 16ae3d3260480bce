import { describe, expect, it } from 'vitest';
import { lastMessagePreview, requestKey } from './request-hash.js';
import type { ChatRequest } from './types.js';

const id = { provider: 'openai', model: 'gpt-4o', baseUrl: 'https://api.openai.com/v1' };
const base: ChatRequest = {
  system: 'sys',
  messages: [{ role: 'user', content: 'hello' }],
  tools: [{ name: 't', description: 'd', parameters: { type: 'object', properties: { a: { type: 'string' } } } }],
  temperature: 0,
};

describe('requestKey', () => {
  it('is a stable sha256 hex that ignores privileged context and key order', () => {
    const key = requestKey(id, base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(requestKey(id, { ...base, privileged: { task: { anything: 1 } } })).toBe(key);
    const reordered: ChatRequest = {
      temperature: 0,
      tools: [{ parameters: { properties: { a: { type: 'string' } }, type: 'object' }, description: 'd', name: 't' }],
      messages: [{ content: 'hello', role: 'user' }],
      system: 'sys',
    };
    expect(requestKey(id, reordered)).toBe(key);
  });

  it('treats defaults as explicit: trial 0, toolChoice auto with tools', () => {
    expect(requestKey(id, { ...base, trial: 0 })).toBe(requestKey(id, base));
    expect(requestKey(id, { ...base, toolChoice: 'auto' })).toBe(requestKey(id, base));
  });

  it('changes with every hashed field', () => {
    const key = requestKey(id, base);
    const variants: ChatRequest[] = [
      { ...base, system: 'other' },
      { ...base, messages: [{ role: 'user', content: 'hello!' }] },
      { ...base, tools: [] },
      { ...base, toolChoice: 'required' },
      { ...base, temperature: 0.5 },
      { ...base, maxTokens: 10 },
      { ...base, seed: 1 },
      { ...base, responseFormat: { name: 'x', schema: {} } },
      { ...base, trial: 1 },
    ];
    const keys = variants.map((v) => requestKey(id, v));
    expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
    expect(requestKey({ ...id, model: 'gpt-4o-mini' }, base)).not.toBe(key);
    expect(requestKey({ ...id, provider: 'openai-compatible' }, base)).not.toBe(key);
    expect(requestKey({ ...id, baseUrl: 'http://localhost:8000/v1' }, base)).not.toBe(key);
  });

  it('ignores credentials embedded in the base URL', () => {
    expect(requestKey({ ...id, baseUrl: 'https://user:pw@api.openai.com/v1/' }, base)).toBe(requestKey(id, base));
  });
});

describe('lastMessagePreview', () => {
  it('sorts keys and drops undefined', () => {
  });

  it('previews the last message briefly', () => {
    expect(lastMessagePreview({ messages: [{ role: 'user', content: 'Where   is\nmy order?' }] })).toBe('user: "Where is my order?"');
    expect(lastMessagePreview({ messages: [{ role: 'user', content: 'x'.repeat(100) }] }, 10)).toBe(`user: "${'x'.repeat(10)}…"`);
    expect(lastMessagePreview({ messages: [{ role: 'assistant', content: null, toolCalls: [{ id: '1', name: 'get_order', arguments: '{}' }] }] })).toBe(
      'assistant: "[calls get_order]"',
    );
    expect(lastMessagePreview({ messages: [] })).toBe('(no messages)');
  });
});
