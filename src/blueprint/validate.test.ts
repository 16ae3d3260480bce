import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BlueprintValidationError, formatError } from '../core/errors.js';
import { checkBlueprint, createBlueprintAgent, defineBlueprint, runBlueprint, toGraphJson, toMermaid, validateBlueprint, type Blueprint } from './index.js';
import { fakeBase, fakeRegistry } from './testing/fake-domain.js';
import { FakeSession } from './testing/fake-session.js';
import { orderDesk } from './testing/order-desk.js';

const registry = fakeRegistry();

/** A two-node blueprint calling one tool (with a policy precondition). */
function callingTool(tool: string, approved: string[]): Blueprint<{ ok: boolean }> {
  return defineBlueprint({
    id: `calls-${tool}`,
    version: '1',
    approvedTools: approved,
    context: (): { ok: boolean } => ({ ok: true }),
    start: 'call',
    nodes: (n) => [n.tool('call', { tool, pre: { ok: (c) => c.ok }, args: { order_id: '#1' }, next: 'done' }), n.end('done', { reason: 'ok' })],
  });
}

/** A session that records any contact; the test asserts there was none. */
function untouchedSession(): FakeSession {
  return new FakeSession({
    registry,
    base: fakeBase(),
    user: () => {
      throw new Error('the user was contacted');
    },
    model: () => {
      throw new Error('a model was called');
    },
  });
}

describe('validation before any step runs', () => {
  it('accepts a correct blueprint', () => {
    expect(checkBlueprint(orderDesk, registry)).toEqual([]);
    expect(() => validateBlueprint(orderDesk, registry)).not.toThrow();
  });

  it.each([
    ['an unregistered tool', callingTool('refund_order', ['refund_order']), [{ code: 'unknown_tool', path: 'call.tool' }]],
    ['an unapproved tool', callingTool('get_order', ['cancel_order']), [{ code: 'unapproved_tool', path: 'call.tool' }]],
  ])('rejects a blueprint calling %s, before any tool, model or user is touched', async (_what, bp, expected) => {
    expect(() => validateBlueprint(bp, registry)).toThrow(BlueprintValidationError);
    expect(checkBlueprint(bp, registry).map(({ code, path }) => ({ code, path }))).toEqual(expected);
    for (const run of [(s: FakeSession) => createBlueprintAgent(bp).run(s), (s: FakeSession) => runBlueprint(bp, s)]) {
      const s = untouchedSession();
      await expect(run(s)).rejects.toBeInstanceOf(BlueprintValidationError);
      expect(s.env.actions).toEqual([]);
      expect(s.modelCalls).toEqual([]);
      expect(s.said).toEqual([]);
      expect(s.notes).toEqual([]);
      expect(s.steps).toBe(0);
    }
  });

  it('lists every problem at once', () => {
    const bp = defineBlueprint({
      id: 'broken',
      version: '1',
      approvedTools: ['get_order'],
      context: () => ({ n: 0 }),
      start: 'a',
      nodes: (n) => [
        n.route('a', { targets: ['b', 'nowhere'], choose: () => 'b' }),
        n.tool('b', { tool: 'get_order', args: { order_id: 7, verbose: true }, next: 'c' }),
        n.tool('c', { tool: 'cancel_order', args: { order_id: '#1' }, next: 'd' }),
        n.code('d', { run: () => {}, next: 'e' }),
        n.code('e', { run: () => {}, next: 'd' }),
        n.end('island', { reason: 'never' }),
        n.code('d', { run: () => {}, next: 'a' }),
        n.loop('l', { maxIterations: 0, while: () => true, body: 'l', exit: 'island' }),
        n.llm('q', { task: 'pick', instructions: '', input: () => null, schema: z.string(), onResult: () => {}, next: 'island', fallback: 'island', maxAttempts: 0, retry: 1 }),
      ],
    });
    const issues = checkBlueprint(bp, registry);
    expect(issues.map(({ code, path }) => `${code} ${path}`)).toEqual([
      'duplicate_node d',
      'unknown_node a.route',
      'schema_mismatch b.args.verbose',
      'schema_mismatch b.args.order_id',
      'unapproved_tool c.tool',
      'schema_mismatch c.args',
      'invalid c.pre',
      'unbounded_loop l.maxIterations',
      'invalid l.body',
      'invalid q.retry',
      'invalid q.maxAttempts',
      'invalid q.schema',
      'no_end a',
      'no_end b',
      'no_end c',
      'no_end d',
      'no_end e',
      'unreachable_node island',
      'unreachable_node l',
      'unreachable_node q',
      'unbounded_loop d → e',
    ]);
    const err = (() => {
      try {
        validateBlueprint(bp, registry);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(BlueprintValidationError);
    expect((err as BlueprintValidationError).issues).toEqual(issues);
    expect(formatError(err)).toContain('blueprint "broken" is invalid (21 problems)');
    expect(formatError(err)).toContain('unknown_node at a.route: "a" goes (route) to unknown node "nowhere"');
  });

  it('checks argument names against the tool schema and guards write tools with a precondition', () => {
    const bp = defineBlueprint({
      id: 'args',
      version: '1',
      approvedTools: ['cancel_order'],
      context: () => ({}),
      start: 'w',
      nodes: (n) => [n.tool('w', { tool: 'cancel_order', args: { order_id: () => '#1', reason: 'because' }, next: 'e' }), n.end('e', { reason: 'ok' })],
    });
    const issues = checkBlueprint(bp, registry);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['schema_mismatch', 'w.args.reason'],
      ['invalid', 'w.pre'],
    ]);
    expect(issues[0]?.message).toMatch(/^constant argument rejected by tool "cancel_order": /);
    expect(issues[1]?.message).toBe('write tool "cancel_order" is called without a precondition (policy check)');
  });

  it('accepts cycles that go through a loop body, rejects those that do not', () => {
    const make = (back: string) =>
      defineBlueprint({
        id: 'cyc',
        version: '1',
        approvedTools: [],
        context: () => ({}),
        start: 'l',
        nodes: (n) => [
          n.loop('l', { maxIterations: 2, while: () => true, body: 'x', exit: 'e' }),
          n.code('x', { run: () => {}, next: 'y' }),
          n.branch('y', { test: () => true, then: back, else: 'l' }),
          n.end('e', { reason: 'ok' }),
        ],
      });
    expect(checkBlueprint(make('l'))).toEqual([]);
    expect(checkBlueprint(make('x')).map((i) => [i.code, i.path])).toEqual([['unbounded_loop', 'x → y']]);
  });
});

describe('graph export', () => {
  const small = defineBlueprint({
    id: 'small',
    version: '2',
    domain: 'fake',
    approvedTools: ['get_order', 'cancel_order'],
    context: () => ({ yes: false, tries: 0 }),
    start: 'ask',
    nodes: (n) => [
      n.say('ask', { text: () => 'Cancel order #1? (yes/no)', onReply: () => {}, next: 'yn' }),
      n.llm('yn', { task: 'yes_no', instructions: 'Yes?', input: () => null, schema: z.object({ yes: z.boolean() }), onResult: (c, o) => void (c.yes = o.yes), next: 'end', fallback: 'retry' }),
      n.loop('retry', { maxIterations: 2, while: (c) => !c.yes, body: 'ask', exit: 'end', onExhausted: 'refused' }),
      n.tool('end', {
        description: 'the write',
        tool: 'cancel_order',
        pre: { said_yes: (c) => c.yes },
        onPreFail: 'refused',
        args: { order_id: '#1', reason: 'no longer needed' },
        next: 'done',
      }),
      n.end('done', { reason: 'cancelled' }),
      n.end('refused', { reason: 'refused' }),
    ],
  });

  it('exports Mermaid', () => {
    expect(checkBlueprint(small, registry)).toEqual([]);
    expect(toMermaid(small)).toMatchInlineSnapshot(`
      "%% blueprint small v2
      flowchart TD
        bp_start(("start"))
        ask[/"ask<br/>say"/]
        yn>"yn<br/>llm: yes_no"]
        retry{{"retry<br/>loop ≤ 2"}}
        n_end[["end<br/>tool: cancel_order"]]
        done(("done<br/>end: cancelled"))
        refused(("refused<br/>end: refused"))
        bp_start --> ask
        ask --> yn
        yn --> n_end
        yn -->|fallback| retry
        retry -->|body| ask
        retry -->|exit| n_end
        retry -->|exhausted| refused
        n_end --> done
        n_end -->|pre fail| refused
      "
    `);
  });

  it('exports JSON', () => {
    expect(toGraphJson(small)).toMatchInlineSnapshot(`
      {
        "approvedTools": [
          "get_order",
          "cancel_order",
        ],
        "domain": "fake",
        "edges": [
          {
            "from": "ask",
            "label": "next",
            "to": "yn",
          },
          {
            "from": "yn",
            "label": "next",
            "to": "end",
          },
          {
            "from": "yn",
            "label": "fallback",
            "to": "retry",
          },
          {
            "from": "retry",
            "label": "body",
            "to": "ask",
          },
          {
            "from": "retry",
            "label": "exit",
            "to": "end",
          },
          {
            "from": "retry",
            "label": "exhausted",
            "to": "refused",
          },
          {
            "from": "end",
            "label": "next",
            "to": "done",
          },
          {
            "from": "end",
            "label": "pre fail",
            "to": "refused",
          },
        ],
        "id": "small",
        "nodes": [
          {
            "id": "ask",
            "kind": "say",
          },
          {
            "id": "yn",
            "kind": "llm",
            "maxAttempts": 3,
            "task": "yes_no",
          },
          {
            "id": "retry",
            "kind": "loop",
            "maxIterations": 2,
          },
          {
            "args": [
              "order_id",
              "reason",
            ],
            "description": "the write",
            "id": "end",
            "kind": "tool",
            "pre": [
              "said_yes",
            ],
            "tool": "cancel_order",
          },
          {
            "id": "done",
            "kind": "end",
            "reason": "cancelled",
          },
          {
            "id": "refused",
            "kind": "end",
            "reason": "refused",
          },
        ],
        "start": "ask",
        "version": "2",
      }
    `);
    expect(JSON.parse(JSON.stringify(toGraphJson(orderDesk)))).toEqual(toGraphJson(orderDesk));
  });

  it('exports every node and edge of a larger blueprint', () => {
    const json = toGraphJson(orderDesk);
    expect(json.nodes.map((nd) => nd.id)).toEqual(orderDesk.nodes.map((nd) => nd.id));
    const mermaid = toMermaid(orderDesk);
    for (const e of json.edges) expect(mermaid).toContain(`${e.from} ${e.label === 'next' ? '-->' : `-->|${e.label}|`} ${e.to}`);
    expect(mermaid.split('\n').filter((l) => l.includes('-->'))).toHaveLength(json.edges.length + 1);
  });
});
