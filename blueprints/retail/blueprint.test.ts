/**
 * The retail blueprint's static guarantees: it validates against the v1 and τ² retail registries,
 * a variant calling an unregistered or unapproved tool is rejected before any step runs (through
 * the runner), every write is guarded by named policy preconditions, every sub-task has an oracle,
 * it is registered in the composition root, and its exported graph is up to date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BLUEPRINTS, SUBTASK_ORACLES, USERS } from '../../src/cli/registry.js';
import { checkBlueprint, createBlueprintAgent, defineBlueprint, toGraphJson, toMermaid, validateBlueprint, type Blueprint, type BlueprintNode } from '../../src/blueprint/index.js';
import { BlueprintValidationError } from '../../src/core/errors.js';
import { createModel } from '../../src/models/create-model.js';
import { runEpisode } from '../../src/runner/episode.js';
import { retailOracles } from './subtask-oracles.js';
import { retailRegistry } from '../../domains/retail/registry.js';
import { RETAIL_APPROVED_TOOLS, retailBlueprint, SUBTASK_NAMES, type RetailCtx } from './index.js';
import { WRITE_RULES } from './policy.js';
import { builtinSuite } from '../../scripts/oracle/retail/suite-data.js';

const GRAPH_MMD = fileURLToPath(new URL('./graph.mmd', import.meta.url));
const GRAPH_JSON = fileURLToPath(new URL('./graph.json', import.meta.url));

/** The blueprint with one more tool node between the start and the opening. */
function variant(tool: string, approve: boolean): Blueprint<RetailCtx> {
  const args: Record<string, Record<string, string>> = { think: { thought: 'hm' }, calculate: { expression: '1 + 1' }, get_item_details: { item_id: '1' } };
  const probe: BlueprintNode<RetailCtx> = { id: 'probe', kind: 'tool', tool, args: args[tool] ?? {}, next: retailBlueprint.start };
  return defineBlueprint<RetailCtx>({
    id: 'retail-variant',
    version: '1',
    domain: 'retail',
    approvedTools: approve ? [...retailBlueprint.approvedTools, tool] : retailBlueprint.approvedTools,
    context: retailBlueprint.context,
    start: 'probe',
    nodes: [probe, ...retailBlueprint.nodes],
  });
}

/** Plays the first built-in task with a blueprint through the runner's episode loop. */
async function episode(bp: Blueprint<RetailCtx>) {
  const data = builtinSuite();
  let error: unknown;
  const rec = await runEpisode({
    task: data.tasks[0]!,
    trial: 0,
    seed: 7,
    domain: 'retail',
    registry: data.registry,
    base: data.base,
    policy: data.policy,
    agent: createBlueprintAgent(bp, { onRun: (r) => void (error = r.error) }),
    user: { name: 'scripted', create: USERS.scripted!.create },
    models: { agent: createModel('sim') },
    scorer: () => ({ reward: null }),
  });
  return { rec, issues: error instanceof BlueprintValidationError ? error.issues.map((i) => `${i.code} ${i.path}: ${i.message}`) : [] };
}

describe('retail blueprint: validation and registration', () => {
  it('validates against the v1 and the τ² retail registries', () => {
    for (const variant of ['v1', 'tau2'] as const) {
      expect(checkBlueprint(retailBlueprint, retailRegistry(variant))).toEqual([]);
      expect(() => validateBlueprint(retailBlueprint, retailRegistry(variant))).not.toThrow();
    }
  });

  it('approves only tools both variants have (no think, get_item_details or calculate)', () => {
    for (const variant of ['v1', 'tau2'] as const) {
      const names = retailRegistry(variant).specs().map((s) => s.name);
      expect(RETAIL_APPROVED_TOOLS.filter((t) => !names.includes(t))).toEqual([]);
    }
    expect(RETAIL_APPROVED_TOOLS).not.toContain('think');
    expect(RETAIL_APPROVED_TOOLS).not.toContain('get_item_details');
    const used = new Set(retailBlueprint.nodes.flatMap((n) => (n.kind === 'tool' ? [n.tool] : [])));
    expect([...used].sort()).toEqual([...RETAIL_APPROVED_TOOLS].sort());
  });

  it('rejects a variant calling an unregistered tool before any step runs', async () => {
    const bp = variant('refund_everything', true);
    expect(() => validateBlueprint(bp, retailRegistry('v1'))).toThrow(BlueprintValidationError);
    const issues = checkBlueprint(bp, retailRegistry('v1'));
    expect(issues.map((i) => `${i.code} ${i.path}`)).toContain('unknown_tool probe.tool');
    const { rec, issues: seen } = await episode(bp);
    expect(rec.termination).toMatchObject({ reason: 'agent_error', code: 'blueprint_invalid' });
    expect(seen).toEqual(['unknown_tool probe.tool: tool "refund_everything" is not in the domain\'s registry']);
    expect(rec.steps).toBe(0);
    expect(rec.calls).toEqual([]);
    expect(rec.trajectory.filter((e) => e.type === 'tool' || (e.type === 'message' && e.from === 'agent'))).toEqual([]);
  });

  it('rejects a variant calling a registered tool that is not approved, before any step runs', async () => {
    for (const tool of ['think', 'calculate']) {
      const bp = variant(tool, false);
      expect(checkBlueprint(bp, retailRegistry('v1')).map((i) => `${i.code} ${i.path}`)).toEqual(['unapproved_tool probe.tool']);
      const { rec, issues } = await episode(bp);
      expect(rec.termination).toMatchObject({ reason: 'agent_error', code: 'blueprint_invalid' });
      expect(issues).toEqual([`unapproved_tool probe.tool: tool "${tool}" is not on the blueprint's approved list`]);
      expect(rec.steps).toBe(0);
      expect(rec.calls).toEqual([]);
    }
    // A τ²-only tool is unknown to the v1 registry even when approved.
    expect(checkBlueprint(variant('get_item_details', true), retailRegistry('v1')).map((i) => i.code)).toEqual(['unknown_tool']);
    expect(checkBlueprint(variant('get_item_details', true), retailRegistry('tau2'))).toEqual([]);
  });

  it('guards every write with "confirmed" and the named policy rules of the tool', () => {
    const writes = retailBlueprint.nodes.filter((n) => n.kind === 'tool' && retailRegistry('v1').get(n.tool)?.kind === 'write');
    expect(writes.map((n) => (n as { tool: string }).tool).sort()).toEqual(Object.keys(WRITE_RULES).sort());
    for (const n of writes) {
      const tool = (n as { tool: keyof typeof WRITE_RULES }).tool;
      expect(Object.keys(n.pre ?? {})).toEqual(['confirmed', ...WRITE_RULES[tool]]);
      expect(n.onPreFail).toBe('write_blocked');
    }
  });

  it('uses only the listed sub-tasks, each with an oracle; is registered in the composition root', () => {
    const tasks = new Set(retailBlueprint.nodes.flatMap((n) => (n.kind === 'llm' ? [n.task] : [])));
    expect([...tasks].sort()).toEqual([...SUBTASK_NAMES].sort());
    const wordings = new Set(retailBlueprint.nodes.flatMap((n) => (n.kind === 'say' && n.word !== undefined ? [`say:${n.word.task}`] : [])));
    expect([...wordings].sort()).toEqual(['say:confirm', 'say:results']);
    expect(Object.keys(retailOracles).sort()).toEqual([...SUBTASK_NAMES, ...wordings].sort());
    expect(BLUEPRINTS.retail).toBe(retailBlueprint);
    expect(SUBTASK_ORACLES.retail).toBe(retailOracles);
  });

  it('the exported graph (graph.mmd, graph.json) is up to date', () => {
    const mmd = toMermaid(retailBlueprint);
    const json = `${JSON.stringify(toGraphJson(retailBlueprint), null, 2)}\n`;
    if (process.env.UPDATE_RETAIL_GRAPH === '1') {
      writeFileSync(GRAPH_MMD, mmd);
      writeFileSync(GRAPH_JSON, json);
    }
    expect(readFileSync(GRAPH_MMD, 'utf8')).toBe(mmd);
    expect(readFileSync(GRAPH_JSON, 'utf8')).toBe(json);
    expect(mmd).toContain('write_cancel');
  });
});
