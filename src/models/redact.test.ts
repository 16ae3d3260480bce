import { describe, expect, it } from 'vitest';
import { redact, sanitizeBaseUrl, splitBaseUrl, urlCredentials } from './redact.js';

describe('URL credentials', () => {
  it('sanitizeBaseUrl strips user info, credential query parameters and the fragment, keeps the rest', () => {
    expect(sanitizeBaseUrl('https://user:sk-secret@host.example/v1/')).toBe('https://host.example/v1');
    expect(sanitizeBaseUrl('https://h/openai/v1?api-key=K1&api-version=2024-06-01#frag')).toBe('https://h/openai/v1?api-version=2024-06-01');
    for (const name of ['key', 'api-key', 'api_key', 'apikey', 'token', 'access_token', 'sig', 'signature', 'secret', 'password', 'X-Amz-Credential', 'auth']) {
      expect(sanitizeBaseUrl(`http://127.0.0.1:8000/v1?${name}=VALUE`)).toBe('http://127.0.0.1:8000/v1');
    }
    expect(sanitizeBaseUrl('https://api.openai.com/v1')).toBe('https://api.openai.com/v1');
    expect(sanitizeBaseUrl('http://localhost:11434')).toBe('http://localhost:11434');
    // not a URL: user info, query and fragment removed as text
    expect(sanitizeBaseUrl('//u:k@host/v1?key=x')).toBe('//host/v1');
  });

  it('urlCredentials lists the secret values (decoded) to register with the scrubber', () => {
    expect(urlCredentials('https://me:p%40ss@h/v1?api-key=K1&api-version=2&token=T2')).toEqual(['me', 'p@ss', 'K1', 'T2']);
    expect(urlCredentials('https://h/v1')).toEqual([]);
    expect(urlCredentials('not a url')).toEqual([]);
  });

  it('splitBaseUrl gives the SDKs a base without query (user info kept) and the query as default parameters', () => {
    expect(splitBaseUrl('https://u:k@h/v1?api-key=K1&api-version=2')).toEqual({ baseUrl: 'https://u:k@h/v1', query: { 'api-key': 'K1', 'api-version': '2' } });
    expect(splitBaseUrl('https://h/v1')).toEqual({ baseUrl: 'https://h/v1', query: {} });
  });

  it('redact replaces secrets of 6 characters or more', () => {
    expect(redact('key sk-abcdef and abc', ['sk-abcdef', 'abc', undefined])).toBe('key [redacted] and abc');
  });
});
