import { describe, expect, it } from 'vitest';
import { REDACTED, SecretScrubber } from './secrets.js';

describe('SecretScrubber', () => {
  it('replaces every registered secret, longest first, and ignores short or placeholder values', () => {
    const s = new SecretScrubber(['sk-live-abcdef123456', 'sk-live-abcdef', 'none', 'not-needed', undefined]);
    expect(s.scrub('a sk-live-abcdef123456 b sk-live-abcdef c none not-needed')).toBe(`a ${REDACTED} b ${REDACTED} c none not-needed`);
    expect(new SecretScrubber().scrub('unchanged sk-1')).toBe('unchanged sk-1');
  });

  it('also scrubs the percent-encoded form (how a key travels in a URL)', () => {
    const s = new SecretScrubber(['p@ss/word+1']);
    expect(s.scrub('https://h/v1?key=p%40ss%2Fword%2B1')).toBe(`https://h/v1?key=${REDACTED}`);
  });

  it('stringify scrubs string values and keeps the JSON valid whatever the key looks like', () => {
    // A key that looks like JSON syntax would break a text-level replacement of the serialised line.
    const key = '123456"},';
    const s = new SecretScrubber([key]);
    const value = { seed: 123456, text: `echo ${key}`, nested: [{ k: key }], [key]: 1 };
    const json = s.stringify(value);
    expect(JSON.parse(json)).toEqual({ seed: 123456, text: `echo ${REDACTED}`, nested: [{ k: REDACTED }], [key]: 1 });
    expect(s.stringify({ a: 1 }, 2)).toBe('{\n  "a": 1\n}');
  });

  it('wraps a writer', () => {
    let out = '';
    const write = new SecretScrubber(['secret-value']).wrap((t) => void (out += t));
    write('key secret-value\n');
    expect(out).toBe(`key ${REDACTED}\n`);
  });
});
