import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { END, GRAPHS_DOC, GRAPHS_LINK, graphsDocument, README, START } from '../scripts/readme-graphs.js';

describe('README', () => {
  it('links the generated blueprint graphs, which are current, instead of embedding them', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toContain(GRAPHS_LINK);
    expect(readme).not.toContain(START);
    expect(readme).not.toContain(END);
    expect(readme).not.toContain('```mermaid');
    const doc = readFileSync(GRAPHS_DOC, 'utf8');
    expect(doc).toBe(graphsDocument());
    expect(doc).toContain('tool: cancel_pending_order');
    expect(doc).toContain('tool: book_reservation');
  });

  it('names the test command that .ci/run runs', () => {
    const readme = readFileSync(README, 'utf8');
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    expect(readme).toContain('npm test ');
    expect(ci).toMatch(/^npm test$/m);
  });

  it('links the library and plug-in guides and the examples', () => {
    const readme = readFileSync(README, 'utf8');
    for (const link of ['(docs/writing-an-agent.md)', '(docs/writing-a-blueprint.md)', '(examples/)']) expect(readme).toContain(link);
  });
});
