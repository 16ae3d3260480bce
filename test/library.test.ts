/**
 * The package as a library, from a scratch project OUTSIDE the repository: `npm install <repo>`
 * (a local folder: npm links it, offline), then the README's import and `runBenchmark` call in
 * plain Node, and the type declarations under strict TypeScript. Builds `dist/` first.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, REPO_ROOT } from '../scripts/lib/built-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'taubp-library-'));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** npm as the test runner's own npm when there is one (`npm test`), else from PATH. */
function npm(args: string[], cwd: string): string {
  const cli = process.env.npm_execpath;
  const [cmd, argv] = cli !== undefined && cli.endsWith('.js') ? [process.execPath, [cli, ...args]] : ['npm', args];
  return execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: 'pipe' });
}

beforeAll(() => {
  buildCli();
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  npm(['install', REPO_ROOT, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], scratch);
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('tau-blueprint as a library', () => {
  it('npm install <path> links the package into the scratch project', () => {
    const installed = join(scratch, 'node_modules', 'tau-blueprint');
    expect(lstatSync(installed).isSymbolicLink()).toBe(true);
    expect(realpathSync(installed)).toBe(realpathSync(REPO_ROOT));
    expect(JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8')).dependencies['tau-blueprint']).toMatch(/^file:/);
  });

  it('imports definePlugin, defineAgent, defineBlueprint and runBenchmark by name; runBenchmark resolves to the run summary', () => {
    const out = join(scratch, 'run');
    writeFileSync(
      join(scratch, 'bench.mjs'),
      `import { definePlugin, defineAgent, defineBlueprint, runBenchmark } from 'tau-blueprint';
const kinds = [definePlugin, defineAgent, defineBlueprint, runBenchmark].map((f) => typeof f);
const summary = await runBenchmark({ domain: 'retail', data: 'builtin', agent: 'blueprint', model: 'sim', user: 'scripted', tasks: '0-4', trials: 1, out: process.argv[2] });
process.stdout.write(JSON.stringify({ kinds, summary }));
`,
    );
    const printed = JSON.parse(execFileSync(process.execPath, ['bench.mjs', out], { cwd: scratch, encoding: 'utf8' })) as { kinds: string[]; summary: Record<string, any> };
    expect(printed.kinds).toEqual(['function', 'function', 'function', 'function']);
    const s = printed.summary;
    expect(Object.keys(s.results.passHatK)).toEqual(['1']);
    expect(typeof s.results.passHatK['1']).toBe('number');
    expect(s.config).toMatchObject({ domain: 'retail', data: 'builtin', agent: 'blueprint', model: 'sim', user: 'scripted', tasks: '0-4', trials: 1 });
    expect(s.plannedEpisodes).toBe(5);
    // The same object taubp run writes.
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toEqual(s);
  });

  it('ships type declarations: a strict TypeScript project type-checks against them (and catches misuse)', () => {
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['check.ts'] }),
    );
    writeFileSync(
      join(scratch, 'check.ts'),
      `import { defineAgent, defineBlueprint, definePlugin, runBenchmark, z, type AgentSession, type RunSummary } from 'tau-blueprint';
const echo = defineAgent({ summary: 'echo', create: () => ({ name: 'echo', run: async (s: AgentSession) => void (await s.say(s.policy.slice(0, 10))) }) });
const bp = defineBlueprint<{ n: number }>({
  id: 'tiny', version: '1', domain: 'retail', approvedTools: [], context: () => ({ n: 0 }), start: 'ask',
  nodes: (n) => [n.llm('ask', { task: 't', instructions: 'i', input: (c) => c.n, schema: z.object({ k: z.number() }), onResult: (c, out) => void (c.n = out.k), next: 'end', fallback: 'end' }), n.end('end', { reason: 'done' })],
});
export default definePlugin({ name: 'p', agents: { echo }, blueprints: [bp] });
export const summary: Promise<RunSummary> = runBenchmark({ domain: 'retail', data: 'builtin', model: 'sim', trials: 2 });
export const passHatOne: (s: RunSummary) => number | undefined = (s) => s.results.passHatK['1'];
// @ts-expect-error data and model are required
void runBenchmark({ domain: 'retail' });
// @ts-expect-error an llm node's answer has the schema's type
defineBlueprint<{ s: string }>({ id: 'x', version: '1', approvedTools: [], context: () => ({ s: '' }), start: 'a', nodes: (n) => [n.llm('a', { task: 't', instructions: 'i', input: () => 1, schema: z.object({ k: z.number() }), onResult: (c, out) => void (c.s = out.k), next: 'e', fallback: 'e' }), n.end('e', { reason: 'r' })] });
`,
    );
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', '.'], { cwd: scratch, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      output = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    }
    expect(output).toBe('');
  });
});
