/**
 * The examples as a user would run them: each plug-in copied OUTSIDE the package (a temp folder
 * whose node_modules/tau-blueprint links the package, as `npm install <path>` leaves it) and
 * loaded with `taubp run --plugin <copy>` by the built CLI, on the built-in suite with the
 * simulated model and scripted user. Also: a duplicate name is refused, two blueprints of one
 * domain run side by side and are reported apart, and a plug-in run replays exactly.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, REPO_ROOT, TAUBP_BIN } from '../scripts/lib/built-cli.js';

const root = mkdtempSync(join(tmpdir(), 'taubp-examples-'));
const AGENT_PLUGIN = join(root, 'minimal-agent', 'plugin.ts');
const BLUEPRINT_PLUGIN = join(root, 'order-status-blueprint', 'plugin.ts');
const SUITE = ['--domain', 'retail', '--data', 'builtin', '--model', 'sim', '--user', 'scripted'];

beforeAll(() => {
  buildCli();
  for (const example of ['minimal-agent', 'order-status-blueprint']) cpSync(join(REPO_ROOT, 'examples', example), join(root, example), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(REPO_ROOT, join(root, 'node_modules', 'tau-blueprint'), 'dir');
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the built `taubp` from the temp folder (outside the package). */
function taubp(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [TAUBP_BIN, ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function episodes(dir: string): Array<Record<string, any>> {
  return readFileSync(join(dir, 'episodes.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, any>);
}

function summary(dir: string): Record<string, any> {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, any>;
}

describe('examples loaded with --plugin from outside the package', () => {
  it('the minimal agent runs as --agent minimal (sim plays along: every task passes)', () => {
    const out = join(root, 'runs', 'minimal');
    const r = taubp(['run', '--plugin', AGENT_PLUGIN, '--agent', 'minimal', ...SUITE, '--tasks', '0-2', '--out', out]);
    expect(r.stderr).not.toContain('error');
    expect(r.status).toBe(0);
    expect(summary(out).config.agent).toBe('minimal');
    expect(summary(out).results.passHatK).toEqual({ '1': 1 });
    expect(episodes(out).map((e) => [e.agent, e.blueprint])).toEqual([
      ['minimal', undefined],
      ['minimal', undefined],
      ['minimal', undefined],
    ]);
  });

  it('the agent is listed by run --help once its plug-in is loaded', () => {
    const r = taubp(['run', '--plugin', AGENT_PLUGIN, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--agent <name> +act, blueprint, blueprint:airline, blueprint:retail, few-shot, minimal,/);
    expect(r.stdout).toContain('--plugin <path|package>');
  });

  it('the order-status blueprint runs beside the retail blueprint; records, summaries and the report keep them apart', () => {
    const tasks = ['--tasks', '10,15,24,25'];
    const small = join(root, 'runs', 'order-status');
    const retail = join(root, 'runs', 'retail');
    const byDefault = join(root, 'runs', 'default');
    expect(taubp(['run', '--plugin', BLUEPRINT_PLUGIN, '--agent', 'blueprint:order-status', ...SUITE, ...tasks, '--out', small]).status).toBe(0);
    // Plug-ins from a config file (paths relative to it).
    writeFileSync(join(root, 'config.json'), JSON.stringify({ plugins: ['./order-status-blueprint/plugin.ts'], trials: 1 }));
    expect(taubp(['run', '--config', join(root, 'config.json'), '--agent', 'blueprint:retail', ...SUITE, ...tasks, '--out', retail]).status).toBe(0);
    expect(taubp(['run', '--plugin', BLUEPRINT_PLUGIN, '--agent', 'blueprint', ...SUITE, ...tasks, '--out', byDefault]).status).toBe(0);

    expect(new Set(episodes(small).map((e) => `${e.agent} ${e.blueprint}`))).toEqual(new Set(['blueprint:order-status order-status']));
    expect(new Set(episodes(retail).map((e) => `${e.agent} ${e.blueprint}`))).toEqual(new Set(['blueprint:retail retail']));
    // --agent blueprint still plays the domain's default (the built-in retail blueprint).
    expect(new Set(episodes(byDefault).map((e) => `${e.agent} ${e.blueprint}`))).toEqual(new Set(['blueprint retail']));
    // The order-status blueprint transfers what is not an order-status question.
    expect(episodes(small).some((e) => e.termination.reason === 'transfer')).toBe(true);
    expect(summary(small).config.agent).toBe('blueprint:order-status');
    expect(summary(retail).config.agent).toBe('blueprint:retail');

    const report = taubp(['report', small, retail]);
    expect(report.status).toBe(0);
    // The pass^k table: one row per run, told apart by the blueprint in the Agent column.
    const passTable = report.stdout.split('\n### ')[0] ?? '';
    const rows = passTable.split('\n').filter((l) => l.includes('| retail |'));
    expect(rows).toHaveLength(2);
    expect(rows.filter((l) => l.includes('| blueprint:order-status'))).toHaveLength(1);
    expect(rows.filter((l) => l.includes('| blueprint:retail'))).toHaveLength(1);
  });

  it('a plug-in report format renders the comparison tables (taubp report --plugin … --format <name>)', () => {
    const fmt = join(root, 'format.mjs');
    writeFileSync(fmt, 'export default { name: "fmt", reportFormats: { titles: { extension: "txt", render: (tables) => tables.map((t) => `${t.title}: ${t.rows.length} row(s)`).join("\\n") + "\\n" } } };\n');
    const runs = [join(root, 'runs', 'order-status'), join(root, 'runs', 'retail')];
    const printed = taubp(['report', '--plugin', fmt, '--format', 'titles', ...runs]);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toMatch(/^pass\^k by domain and agent: 2 row\(s\)$/m);
    const out = join(root, 'report-out');
    expect(taubp(['report', '--plugin', fmt, '--format', 'titles', '--out', out, ...runs]).status).toBe(0);
    expect(readFileSync(join(out, 'report.txt'), 'utf8')).toBe(printed.stdout);
    const unknown = taubp(['report', '--format', 'titles', ...runs]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown --format "titles"');
  });

  it('a plug-in run replays exactly (taubp replay --plugin), and without the plug-in says which --plugin to pass', () => {
    const run = join(root, 'runs', 'order-status');
    const manifest = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as { metadata: { plugins?: Array<{ name: string; source: string }> } };
    expect(manifest.metadata.plugins?.map((p) => p.name)).toEqual(['order-status-example']);
    const bare = taubp(['replay', run]);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain(`this run was made with plug-in(s) "order-status-example"; pass them again: --plugin ${manifest.metadata.plugins?.[0]?.source ?? '?'}`);
    const r = taubp(['replay', '--plugin', BLUEPRINT_PLUGIN, run]);
    expect(r.stderr + r.stdout).not.toContain('differ');
    expect(r.status).toBe(0);
  });

  it('a blueprint:<id> of another domain is refused before any episode', () => {
    const out = join(root, 'runs', 'wrong-domain');
    const r = taubp(['run', '--plugin', BLUEPRINT_PLUGIN, '--agent', 'blueprint:order-status', '--domain', 'airline', '--data', 'builtin', '--model', 'sim', '--user', 'scripted', '--tasks', '0', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('agent "blueprint:order-status" plays retail, not domain "airline"');
  });

  it('an invalid blueprint is refused before any episode, with every problem listed', () => {
    const broken = join(root, 'broken');
    cpSync(join(root, 'order-status-blueprint'), broken, { recursive: true });
    const file = join(broken, 'plugin.ts');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace("args: { order_id: (c) => c.orderId ?? undefined }", "args: { order: (c) => c.orderId ?? undefined }").replace("next: 'transferred',", "next: 'nowhere',"));
    const out = join(root, 'runs', 'broken');
    const r = taubp(['run', '--plugin', file, '--agent', 'blueprint:order-status', ...SUITE, '--tasks', '0', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('BlueprintValidationError [blueprint_invalid]: blueprint "order-status" is invalid');
    expect(r.stderr).toContain('- unknown_node at transfer.next: "transfer" goes (next) to unknown node "nowhere"');
    expect(r.stderr).toContain('- schema_mismatch at lookup.args.order: tool "get_order_details" has no argument "order" (it takes order_id)');
    expect(existsSync(join(out, 'episodes.jsonl'))).toBe(false);
  });

  it('a plug-in reusing a taken name is refused, naming both sources', () => {
    const dup = join(root, 'dup.mjs');
    writeFileSync(dup, 'export default { name: "dup", agents: { react: { summary: "mine", create: () => ({ name: "react", run: async () => {} }) } } };\n');
    const r = taubp(['run', '--plugin', dup, '--agent', 'react', ...SUITE, '--tasks', '0', '--out', join(root, 'runs', 'dup')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`duplicate agent "react": registered by built-in (baselines/plugin.ts) and again by plug-in "dup" (${dup}); rename one of them`);
    // Two copies of the same example: the second is refused too.
    cpSync(join(root, 'order-status-blueprint'), join(root, 'copy'), { recursive: true });
    const twice = taubp(['run', '--plugin', BLUEPRINT_PLUGIN, '--plugin', join(root, 'copy', 'plugin.ts'), '--agent', 'blueprint', ...SUITE, '--tasks', '0', '--out', join(root, 'runs', 'twice')]);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain(`duplicate plug-in "order-status-example": registered by plug-in "order-status-example" (${BLUEPRINT_PLUGIN})`);
  });
});

