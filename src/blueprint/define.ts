/**
 * `defineBlueprint`: blueprints are TypeScript values. Nodes are written either as a plain array
 * of node objects or, for full type inference of LLM answers and foreach items, through the
 * typed {@link NodeFactory} passed to a `nodes` function.
 */
import type { z } from 'zod';
import type {
  Blueprint,
  BlueprintNode,
  BranchNode,
  CodeNode,
  EndNode,
  ForeachNode,
  LlmNode,
  LoopNode,
  RouteNode,
  RunInfo,
  SayNode,
  ToolNode,
} from './types.js';

/** A node's fields without `id` and `kind` (the factory adds them). */
type Spec<N> = Omit<N, 'id' | 'kind'>;

/** Typed node constructors for one context type. */
export interface NodeFactory<Ctx> {
  code(id: string, spec: Spec<CodeNode<Ctx>>): CodeNode<Ctx>;
  tool(id: string, spec: Spec<ToolNode<Ctx>>): ToolNode<Ctx>;
  /** The answer type is inferred from `schema`. */
  llm<S extends z.ZodType>(id: string, spec: Spec<LlmNode<Ctx, z.output<S>>> & { schema: S }): LlmNode<Ctx, z.output<S>>;
  say(id: string, spec: Spec<SayNode<Ctx>>): SayNode<Ctx>;
  route(id: string, spec: Spec<RouteNode<Ctx>>): RouteNode<Ctx>;
  branch(id: string, spec: Spec<BranchNode<Ctx>>): BranchNode<Ctx>;
  loop(id: string, spec: Spec<LoopNode<Ctx>>): LoopNode<Ctx>;
  /** The item type is inferred from `items`. */
  foreach<T>(id: string, spec: Spec<ForeachNode<Ctx, T>>): ForeachNode<Ctx, T>;
  end(id: string, spec: Spec<EndNode<Ctx>>): EndNode<Ctx>;
}

/** What {@link defineBlueprint} takes. */
export interface BlueprintDefinition<Ctx> {
  id: string;
  /** Bump when behaviour changes; recorded in every audit log. */
  version: string;
  domain?: string | undefined;
  description?: string | undefined;
  approvedTools: readonly string[];
  /** A fresh context per run. */
  context: (info: RunInfo) => Ctx;
  /** Id of the first node. */
  start: string;
  nodes: readonly BlueprintNode<Ctx>[] | ((n: NodeFactory<Ctx>) => readonly BlueprintNode<Ctx>[]);
}

function factory<Ctx>(): NodeFactory<Ctx> {
  return {
    code: (id, spec) => ({ id, kind: 'code', ...spec }),
    tool: (id, spec) => ({ id, kind: 'tool', ...spec }),
    llm: (id, spec) => ({ id, kind: 'llm', ...spec }),
    say: (id, spec) => ({ id, kind: 'say', ...spec }),
    route: (id, spec) => ({ id, kind: 'route', ...spec }),
    branch: (id, spec) => ({ id, kind: 'branch', ...spec }),
    loop: (id, spec) => ({ id, kind: 'loop', ...spec }),
    foreach: (id, spec) => ({ id, kind: 'foreach', ...spec }),
    end: (id, spec) => ({ id, kind: 'end', ...spec }),
  };
}

/**
 * Defines a blueprint. Nothing is checked here beyond the shape; call {@link validateBlueprint}
 * (the blueprint agent does, before its first step) to get every problem at once.
 *
 * @example
 * const bp = defineBlueprint({
 *   id: 'cancel', version: '1', approvedTools: ['cancel_order'],
 *   context: (): Ctx => ({ orderId: null, confirmed: false }),
 *   start: 'ask',
 *   nodes: (n) => [n.say('ask', { text: () => 'Which order?', onReply: (c, r) => { c.reply = r }, next: 'extract' }), …],
 * });
 */
export function defineBlueprint<Ctx>(definition: BlueprintDefinition<Ctx>): Blueprint<Ctx> {
  const nodes = typeof definition.nodes === 'function' ? definition.nodes(factory<Ctx>()) : definition.nodes;
  return Object.freeze({
    id: definition.id,
    version: definition.version,
    domain: definition.domain,
    description: definition.description,
    approvedTools: Object.freeze([...definition.approvedTools]),
    start: definition.start,
    context: definition.context,
    nodes: Object.freeze(nodes.map((node) => Object.freeze({ ...node }))),
  });
}
