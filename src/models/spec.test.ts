import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { parseModelSpec } from './spec.js';

describe('parseModelSpec', () => {
  it('splits provider and model at the first colon', () => {
    expect(parseModelSpec('openai:gpt-4o')).toEqual({ provider: 'openai', model: 'gpt-4o', id: 'openai:gpt-4o' });
    expect(parseModelSpec('anthropic:claude-sonnet-4-5')).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5', id: 'anthropic:claude-sonnet-4-5' });
    expect(parseModelSpec('openai-compatible:llama3.1:8b')).toEqual({ provider: 'openai-compatible', model: 'llama3.1:8b', id: 'openai-compatible:llama3.1:8b' });
  });

  it('recognises sim and sim:<p>', () => {
    expect(parseModelSpec('sim')).toEqual({ provider: 'sim', model: '', id: 'sim' });
    expect(parseModelSpec('sim:0.1')).toEqual({ provider: 'sim', model: '0.1', id: 'sim:0.1' });
  });

  it('rejects specs without a provider or model, suggesting the prefix', () => {
    expect(() => parseModelSpec('gpt-4o')).toThrow(ConfigError);
    expect(() => parseModelSpec('gpt-4o')).toThrow(/openai:gpt-4o/);
    expect(() => parseModelSpec('openai/gpt-4o')).toThrow('(did you mean "openai:gpt-4o"?)');
    expect(() => parseModelSpec('openai/gpt-4o')).not.toThrow(/openai:openai/);
    expect(() => parseModelSpec('anthropic/claude-sonnet-4-5')).toThrow('(did you mean "anthropic:claude-sonnet-4-5"?)');
    expect(() => parseModelSpec('claude-sonnet-4-5')).toThrow('(did you mean "anthropic:claude-sonnet-4-5"?)');
    expect(() => parseModelSpec('sim0.1')).toThrow('(did you mean "sim:0.1"?)');
    expect(() => parseModelSpec('openai:')).toThrow(/names no model/);
    expect(() => parseModelSpec('Open AI:x')).toThrow(/not a valid provider/);
  });
});
