import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('trials', 'trials')).toBe(0);
    expect(editDistance('trails', 'trials')).toBe(2);
    expect(editDistance('rn', 'run')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('closest / didYouMean', () => {
  const flags = ['trials', 'tasks', 'temperature', 'concurrency', 'resume'];
  it('suggests the nearest name', () => {
    expect(closest('trails', flags)).toBe('trials');
    expect(closest('Concurency', flags)).toBe('concurrency');
    expect(didYouMean('trails', flags, (s) => `--${s}`)).toBe(' (did you mean --trials?)');
  });
  it('suggests nothing when no name is close', () => {
    expect(closest('xyz', flags)).toBeUndefined();
    expect(didYouMean('model', flags)).toBe('');
  });
});
