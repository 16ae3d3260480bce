/**
 * Conformance with the τ-bench v1 Python reference (`../shared/conformance`): every gold action of
 * retail test and dev replayed with byte-identical outputs and database hashes, the read-tool
 * probes over the whole initial database, and the write-tool error probes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePyJson } from '../../src/core/py/py-json.js';
import type { PyObject } from '../../src/core/py/py-value.js';
import { Environment } from '../../src/env/environment.js';
import { sharedPath } from '../../test/shared-data.js';
import { loadRetailDb } from './data.js';
import { retailRegistry } from './registry.js';

const INITIAL_HASH = 'd991536bad97041c473ace12f4934d7bef3ce26b3ec29995b6dc9c8c0280157a';

const data = loadRetailDb(sharedPath('taubench', 'retail'));
const registry = retailRegistry('v1');
const newEnv = (): Environment => new Environment({ registry, base: data.base });

function jsonl<T>(...parts: string[]): T[] {
  return readFileSync(sharedPath(...parts), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => parsePyJson(l) as unknown as T);
}

interface GoldLine {
  task_index: number;
  actions: Array<{ name: string; kwargs: PyObject; output: string }>;
  db_jcs_sha256: string;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

describe('retail v1 database', () => {
  it('loads the τ-bench files with the reference hash', () => {
    expect(data.format).toBe('tau-v1');
    expect(data.variant).toBe('v1');
    expect(newEnv().db.jcsSha256()).toBe(INITIAL_HASH);
    expect([...data.base.tables.keys()]).toEqual(['orders', 'products', 'users']);
    expect(data.base.tables.get('orders')?.size).toBe(1000);
    expect(data.base.tables.get('users')?.size).toBe(500);
    expect(data.base.tables.get('products')?.size).toBe(50);
  });
});

describe.each(['test', 'dev'])('gold retail %s replay', (split) => {
  const lines = jsonl<GoldLine>('conformance', `gold_retail_${split}.jsonl`);

  it('has every task', () => {
    expect(lines.length).toBe(split === 'test' ? 115 : 20);
  });

  it('reproduces every output byte for byte and every final database hash', () => {
    const problems: string[] = [];
    for (const line of lines) {
      const env = newEnv();
      line.actions.forEach((a, i) => {
        const { observation } = env.step({ name: a.name, kwargs: a.kwargs });
        if (observation !== a.output) problems.push(`task ${line.task_index} action ${i} ${a.name}:\n  got  ${observation}\n  want ${a.output}`);
      });
      const hash = env.db.jcsSha256();
      if (hash !== line.db_jcs_sha256) problems.push(`task ${line.task_index}: database hash ${hash} ≠ ${line.db_jcs_sha256}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('read-tool probes on the initial database', () => {
  interface Probe {
    name: string;
    kwargs: PyObject;
    output?: string;
    output_sha256?: string;
    output_len?: number;
  }
  const probes = jsonl<Probe>('conformance', 'tool_probes_retail.jsonl');
  // The reference surfaces Python's own exception for a missing or unexpected argument; we only
  // promise an `Error: ...` naming the argument.
  const pythonArgError = /^Error: \w+\.invoke\(\) (?:missing \d+ required positional argument: '(\w+)'|got an unexpected keyword argument '(\w+)')/;

  it('covers every product, user and order', () => {
    expect(probes.length).toBeGreaterThan(1600);
  });

  it('answers every probe as the reference does', () => {
    const env = newEnv();
    const problems: string[] = [];
    for (const p of probes) {
      const out = env.step({ name: p.name, kwargs: p.kwargs }).observation;
      const arg = p.output === undefined ? null : pythonArgError.exec(p.output);
      if (arg !== null) {
        const name = arg[1] ?? arg[2] ?? '';
        if (!out.startsWith('Error: ') || !out.includes(name)) problems.push(`${p.name} ${JSON.stringify(p.kwargs)}: ${out}`);
      } else if (p.output !== undefined) {
        if (out !== p.output) problems.push(`${p.name} ${JSON.stringify(p.kwargs)}:\n  got  ${out.slice(0, 300)}\n  want ${p.output.slice(0, 300)}`);
      } else if (sha256(out) !== p.output_sha256 || out.length !== p.output_len) {
        problems.push(`${p.name} ${JSON.stringify(p.kwargs)}: sha256/length differ (got length ${out.length}, want ${p.output_len})`);
      }
    }
    expect(problems).toEqual([]);
    expect(env.db.jcsSha256()).toBe(INITIAL_HASH);
  });
});

describe('write-tool error probes', () => {
  interface ErrorProbe {
    env: string;
    name: string;
    kwargs: PyObject;
    results: Array<{ output: string; python_exception_text: boolean } | { raises: string }>;
    db_jcs_sha256_after: string;
  }
  const probes = jsonl<ErrorProbe>('conformance', 'error_probes.jsonl').filter((p) => p.env === 'retail');

  it('has retail probes', () => {
    expect(probes.length).toBeGreaterThanOrEqual(9);
  });

  it.each(probes.map((p, i) => [i, p.name, p] as const))('probe %i (%s)', (_i, _name, probe) => {
    const env = newEnv();
    for (const expected of probe.results) {
      const { observation } = env.step({ name: probe.name, kwargs: probe.kwargs });
      if ('raises' in expected || expected.python_exception_text) expect(observation).toMatch(/^Error: /);
      else expect(observation).toBe(expected.output);
    }
    expect(env.db.jcsSha256()).toBe(probe.db_jcs_sha256_after);
  });
});
