import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, graphSection, withGraphSection } from '../scripts/readme-graphs.js';

describe('README', () => {
  it('embeds the current graph export of both blueprints', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toContain(graphSection());
    expect(withGraphSection(readme)).toBe(readme);
    expect(readme).toContain('tool: cancel_pending_order');
    expect(readme).toContain('tool: book_reservation');
  });

  it('names the test command that .ci/run runs', () => {
    const readme = readFileSync(README, 'utf8');
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    expect(readme).toContain('npm test ');
    expect(ci).toMatch(/^npm test$/m);
  });
});
