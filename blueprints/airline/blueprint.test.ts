import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { airlineOracles } from './subtask-oracles.js';
import { airlineRegistry } from '../../domains/airline/registry.js';
import { BlueprintValidationError } from '../../src/core/errors.js';
import { checkBlueprint, defineBlueprint, runBlueprint, toGraphJson, toMermaid, type BlueprintNode } from '../../src/blueprint/index.js';
import { BLUEPRINTS, SUBTASK_ORACLES } from '../../src/cli/registry.js';
import type { AgentSession } from '../../src/contract/agent.js';
import { AIRLINE_TOOLS, airlineBlueprint } from './blueprint.js';
import type { AirCtx } from './context.js';
import { SUBTASKS, WORDING } from './requests.js';

/** A session that fails the test if the blueprint touches the user, a tool or a model. */
function untouchable(registry = airlineRegistry('v1')): AgentSession & { touched: string[] } {
  const touched: string[] = [];
  const no = (what: string) => () => {
    touched.push(what);
    throw new Error(`validation should have stopped the run before ${what}`);
  };
  return {
    touched,
    policy: '',
    tools: registry.specs(),
    registry,
    domain: 'airline',
    semantics: 'v1',
    firstUserMessage: 'I want to cancel my trip.',
    trial: 0,
    seed: 1,
    random: no('random'),
    steps: 0,
    maxSteps: 30,
    ended: false,
    callTool: no('a tool call'),
    say: no('a message'),
    model: no('a model'),
    note: () => undefined,
    signal: new AbortController().signal,
  } as unknown as AgentSession & { touched: string[] };
}

/** The airline blueprint with one tool node's tool replaced. */
function withTool(node: string, tool: string, approved: readonly string[] = AIRLINE_TOOLS) {
  return defineBlueprint<AirCtx>({
    id: 'airline-variant',
    version: '1',
    approvedTools: approved,
    context: airlineBlueprint.context,
    start: airlineBlueprint.start,
    nodes: airlineBlueprint.nodes.map((n) => (n.id === node && n.kind === 'tool' ? { ...n, tool } : n)) as BlueprintNode<AirCtx>[],
  });
}

describe('airline blueprint: validation', () => {
  it('validates against the v1 and the τ² airline registries', () => {
    expect(checkBlueprint(airlineBlueprint, airlineRegistry('v1'))).toEqual([]);
    expect(checkBlueprint(airlineBlueprint, airlineRegistry('tau2'))).toEqual([]);
  });

  it('guards every write tool with a policy precondition and reaches it only through the confirmation', () => {
    const writes = airlineBlueprint.nodes.filter((n) => n.kind === 'tool' && airlineRegistry('v1').get(n.tool)?.kind === 'write');
    expect(writes.map((n) => n.id).sort()).toEqual(['write_bags', 'write_book', 'write_cancel', 'write_certificate', 'write_flights', 'write_passengers']);
    for (const w of writes) {
      expect(Object.keys(w.pre ?? {})).toEqual(expect.arrayContaining(['authenticated', 'confirmed', 'policy']));
      const into = airlineBlueprint.nodes.filter((n) => n.kind === 'route' && n.targets.includes(w.id)).map((n) => n.id);
      expect(into).toEqual(['write_route']);
    }
  });

  it('rejects a variant calling an unregistered tool before any step runs', async () => {
    const bp = withTool('write_cancel', 'refund_everything', [...AIRLINE_TOOLS, 'refund_everything']);
    const session = untouchable();
    const err = await runBlueprint(bp, session).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlueprintValidationError);
    expect((err as BlueprintValidationError).issues).toContainEqual(expect.objectContaining({ code: 'unknown_tool', path: 'write_cancel.tool' }));
    expect(session.touched).toEqual([]);
  });

  it('rejects a variant calling a registered but unapproved tool, or one the τ² tools lack, before any step runs', async () => {
    const unapproved = withTool('get_res', 'list_all_airports');
    const session = untouchable();
    const err = await runBlueprint(unapproved, session).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlueprintValidationError);
    expect((err as BlueprintValidationError).issues).toContainEqual(expect.objectContaining({ code: 'unapproved_tool', path: 'get_res.tool' }));
    expect(session.touched).toEqual([]);
    // `think` exists in v1 only: even approved, a τ² run rejects it (and v1 rejects its arguments).
    const thinker = withTool('get_res', 'think', [...AIRLINE_TOOLS, 'think']);
    expect(checkBlueprint(thinker, airlineRegistry('v1')).map((i) => i.code)).toEqual(['schema_mismatch', 'schema_mismatch']);
    expect(checkBlueprint(thinker, airlineRegistry('tau2')).map((i) => i.code)).toEqual(['unknown_tool']);
  });
});

describe('airline blueprint: registration, sub-tasks, graph', () => {
  it('is the airline blueprint of the composition root, with oracles for every sub-task it asks', () => {
    expect(BLUEPRINTS.airline).toBe(airlineBlueprint);
    expect(SUBTASK_ORACLES.airline).toBe(airlineOracles);
    const tasks = new Set(airlineBlueprint.nodes.flatMap((n) => (n.kind === 'llm' ? [n.task] : n.kind === 'say' && n.word !== undefined ? [`say:${n.word.task}`] : [])));
    expect([...tasks].sort()).toEqual([...Object.values(SUBTASKS), ...Object.values(WORDING).map((w) => `say:${w}`)].sort());
    for (const t of tasks) expect(airlineOracles[t], t).toBeTypeOf('function');
  });

  it('keeps policy text out of sub-task prompts', () => {
    for (const n of airlineBlueprint.nodes) {
      if (n.kind !== 'llm') continue;
      expect(n.instructions.length, n.id).toBeLessThan(900);
      expect(n.instructions, n.id).not.toMatch(/\$50|\$30|24 hours|silver|gold member/);
    }
  });

  it('graph.mmd and graph.json are the current export (scripts/export-graphs.ts)', () => {
    const dir = (f: string): string => fileURLToPath(new URL(`./${f}`, import.meta.url));
    expect(readFileSync(dir('graph.mmd'), 'utf8')).toBe(toMermaid(airlineBlueprint));
    expect(readFileSync(dir('graph.json'), 'utf8')).toBe(`${JSON.stringify(toGraphJson(airlineBlueprint), null, 2)}\n`);
  });
});
