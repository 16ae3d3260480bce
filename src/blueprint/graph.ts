/**
 * The static graph of a blueprint: its edges (every way a node can hand over), loop bodies, and
 * the Mermaid and JSON exports. Edges to unknown nodes are kept here; validation reports them.
 */
import type { AnyBlueprint, BlueprintNode, NodeKind } from './types.js';

/** Why an edge exists. `body` edges are the only ones that close a bounded cycle. */
export type EdgeLabel = 'next' | 'error' | 'fallback' | 'route' | 'then' | 'else' | 'body' | 'exit' | 'exhausted' | 'pre fail' | 'post fail';

/** One edge of the graph. */
export interface GraphEdge {
  from: string;
  to: string;
  label: EdgeLabel;
}

/** The edges leaving a node, in a fixed order. */
export function edgesOf(node: BlueprintNode<unknown>): GraphEdge[] {
  const out: GraphEdge[] = [];
  const add = (to: string | undefined, label: EdgeLabel): void => {
    if (to !== undefined) out.push({ from: node.id, to, label });
  };
  switch (node.kind) {
    case 'code':
    case 'say':
      add(node.next, 'next');
      break;
    case 'tool':
      add(node.next, 'next');
      add(node.onError, 'error');
      break;
    case 'llm':
      add(node.next, 'next');
      add(node.fallback, 'fallback');
      break;
    case 'route':
      for (const t of new Set(node.targets)) add(t, 'route');
      break;
    case 'branch':
      add(node.then, 'then');
      add(node.else, 'else');
      break;
    case 'loop':
    case 'foreach':
      add(node.body, 'body');
      add(node.exit, 'exit');
      add(node.onExhausted, 'exhausted');
      break;
    case 'end':
      break;
  }
  add(node.onPreFail, 'pre fail');
  add(node.onPostFail, 'post fail');
  return out;
}

/** Nodes by id, edges, and loop bodies of a blueprint (first node wins for duplicate ids). */
export class BlueprintGraph {
  readonly nodes = new Map<string, BlueprintNode<unknown>>();
  readonly edges: GraphEdge[] = [];
  readonly #succ = new Map<string, string[]>();
  readonly #pred = new Map<string, string[]>();
  readonly #bodies = new Map<string, ReadonlySet<string>>();

  constructor(readonly blueprint: AnyBlueprint) {
    for (const node of blueprint.nodes as readonly BlueprintNode<unknown>[]) {
      if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
    }
    for (const node of this.nodes.values()) {
      for (const e of edgesOf(node)) {
        this.edges.push(e);
        if (!this.nodes.has(e.to)) continue;
        push(this.#succ, e.from, e.to);
        push(this.#pred, e.to, e.from);
      }
    }
  }

  /** Known successors of a node. */
  successors(id: string): readonly string[] {
    return this.#succ.get(id) ?? [];
  }

  /** Nodes reachable from `from` (included), never walking through `avoid`. */
  reachable(from: Iterable<string>, direction: 'forward' | 'backward' = 'forward', avoid?: string): Set<string> {
    const adj = direction === 'forward' ? this.#succ : this.#pred;
    const seen = new Set<string>();
    const stack = [...from].filter((id) => this.nodes.has(id) && id !== avoid);
    for (const id of stack) seen.add(id);
    while (stack.length > 0) {
      const id = stack.pop() as string;
      for (const n of adj.get(id) ?? []) {
        if (n === avoid || seen.has(n)) continue;
        seen.add(n);
        stack.push(n);
      }
    }
    return seen;
  }

  /**
   * The body of a loop/foreach node: nodes reachable from its `body` without passing through the
   * loop node that can get back to it. Entering the loop from one of them continues the current
   * activation; entering from anywhere else starts a new one.
   */
  loopBody(loopId: string): ReadonlySet<string> {
    let body = this.#bodies.get(loopId);
    if (body === undefined) {
      const node = this.nodes.get(loopId);
      const set = new Set<string>();
      if (node !== undefined && (node.kind === 'loop' || node.kind === 'foreach')) {
        const fromBody = this.reachable([node.body], 'forward', loopId);
        const preds = (this.#pred.get(loopId) ?? []).filter((p) => p !== loopId);
        const back = this.reachable(preds, 'backward', loopId);
        for (const id of fromBody) if (back.has(id)) set.add(id);
      }
      body = set;
      this.#bodies.set(loopId, body);
    }
    return body;
  }

  /**
   * Strongly connected components of the graph without loop `body` edges that contain a cycle:
   * each is a cycle no `maxIterations` bounds.
   */
  unboundedCycles(): string[][] {
    const succ = new Map<string, string[]>();
    for (const e of this.edges) {
      if (e.label === 'body' || !this.nodes.has(e.to)) continue;
      push(succ, e.from, e.to);
    }
    // Tarjan's algorithm, iterative.
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const out: string[][] = [];
    for (const root of this.nodes.keys()) {
      if (idx.has(root)) continue;
      const work: Array<{ id: string; i: number }> = [{ id: root, i: 0 }];
      idx.set(root, index);
      low.set(root, index++);
      stack.push(root);
      onStack.add(root);
      while (work.length > 0) {
        const frame = work[work.length - 1] as { id: string; i: number };
        const next = succ.get(frame.id) ?? [];
        if (frame.i < next.length) {
          const w = next[frame.i++] as string;
          if (!idx.has(w)) {
            idx.set(w, index);
            low.set(w, index++);
            stack.push(w);
            onStack.add(w);
            work.push({ id: w, i: 0 });
          } else if (onStack.has(w)) {
            low.set(frame.id, Math.min(low.get(frame.id) as number, idx.get(w) as number));
          }
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
        if (low.get(frame.id) === idx.get(frame.id)) {
          const comp: string[] = [];
          let w: string;
          do {
            w = stack.pop() as string;
            onStack.delete(w);
            comp.push(w);
          } while (w !== frame.id);
          const selfLoop = comp.length === 1 && (succ.get(frame.id) ?? []).includes(frame.id);
          if (comp.length > 1 || selfLoop) out.push(this.#inDeclarationOrder(comp));
        }
      }
    }
    return out;
  }

  #inDeclarationOrder(ids: string[]): string[] {
    const set = new Set(ids);
    return [...this.nodes.keys()].filter((id) => set.has(id));
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

const graphs = new WeakMap<AnyBlueprint, BlueprintGraph>();

/** The (memoised) graph of a blueprint. */
export function graphOf(bp: AnyBlueprint): BlueprintGraph {
  let g = graphs.get(bp);
  if (g === undefined) {
    g = new BlueprintGraph(bp);
    graphs.set(bp, g);
  }
  return g;
}

/** A node in the JSON export. Absent fields do not apply to the node's kind. */
export interface GraphNodeJson {
  id: string;
  kind: NodeKind;
  description?: string;
  /** `tool` nodes: the tool and the argument names, in order. */
  tool?: string;
  args?: string[];
  /** `llm` nodes: the sub-task name and attempts; `say` nodes: the wording task, if any. */
  task?: string;
  maxAttempts?: number;
  /** `loop`/`foreach` nodes. */
  maxIterations?: number;
  /** `end` nodes. */
  reason?: string;
  pre?: string[];
  post?: string[];
  retry?: number;
  timeoutMs?: number;
}

/** The JSON export of a blueprint's graph. */
export interface GraphJson {
  id: string;
  version: string;
  domain: string | null;
  start: string;
  approvedTools: string[];
  nodes: GraphNodeJson[];
  edges: GraphEdge[];
}

function nodeJson(node: BlueprintNode<unknown>): GraphNodeJson {
  const out: GraphNodeJson = { id: node.id, kind: node.kind };
  if (node.description !== undefined) out.description = node.description;
  switch (node.kind) {
    case 'tool':
      out.tool = node.tool;
      out.args = Object.keys(node.args);
      break;
    case 'llm':
      out.task = node.task;
      out.maxAttempts = node.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      break;
    case 'say':
      if (node.word !== undefined) out.task = node.word.task;
      break;
    case 'loop':
    case 'foreach':
      out.maxIterations = node.maxIterations;
      break;
    case 'end':
      out.reason = node.reason;
      break;
    default:
      break;
  }
  if (node.pre !== undefined) out.pre = Object.keys(node.pre);
  if (node.post !== undefined) out.post = Object.keys(node.post);
  if (node.retry !== undefined) out.retry = node.retry;
  if (node.timeoutMs !== undefined) out.timeoutMs = node.timeoutMs;
  return out;
}

/** Default attempts of an `llm` node. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** The blueprint's graph as JSON (nodes in declaration order, edges in node order). */
export function toGraphJson(bp: AnyBlueprint): GraphJson {
  const g = graphOf(bp);
  return {
    id: bp.id,
    version: bp.version,
    domain: bp.domain ?? null,
    start: bp.start,
    approvedTools: [...bp.approvedTools],
    nodes: [...g.nodes.values()].map(nodeJson),
    edges: g.edges.map((e) => ({ ...e })),
  };
}

const MERMAID_RESERVED = new Set(['end', 'graph', 'subgraph', 'flowchart', 'style', 'class', 'classdef', 'click', 'linkstyle', 'default', 'direction']);

function escapeLabel(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/**
 * The blueprint's graph as a Mermaid flowchart. Shapes by kind: code `[ ]`, tool `[[ ]]`,
 * llm `>  ]`, say `[/ /]`, route/branch `{ }`, loop/foreach `{{ }}`, end `(( ))`; edges are
 * labelled with why they exist.
 */
export function toMermaid(bp: AnyBlueprint): string {
  const g = graphOf(bp);
  const ids = new Map<string, string>();
  const used = new Set<string>(['bp_start']);
  const mid = (id: string): string => {
    let m = ids.get(id);
    if (m === undefined) {
      let base = id.replace(/[^A-Za-z0-9_]/g, '_');
      if (base === '' || /^[0-9]/.test(base) || MERMAID_RESERVED.has(base.toLowerCase())) base = `n_${base}`;
      m = base;
      for (let i = 2; used.has(m); i++) m = `${base}_${i}`;
      used.add(m);
      ids.set(id, m);
    }
    return m;
  };
  const lines = [`%% blueprint ${bp.id} v${bp.version}`, 'flowchart TD', '  bp_start(("start"))'];
  for (const node of g.nodes.values()) {
    const detail = (() => {
      switch (node.kind) {
        case 'tool':
          return `tool: ${node.tool}`;
        case 'llm':
          return `llm: ${node.task}`;
        case 'say':
          return node.word === undefined ? 'say' : `say: ${node.word.task}`;
        case 'loop':
        case 'foreach':
          return `${node.kind} ≤ ${node.maxIterations}`;
        case 'end':
          return `end: ${node.reason}`;
        default:
          return node.kind;
      }
    })();
    const label = `"${escapeLabel(node.id)}<br/>${escapeLabel(detail)}"`;
    const shape = (() => {
      switch (node.kind) {
        case 'code':
          return `[${label}]`;
        case 'tool':
          return `[[${label}]]`;
        case 'llm':
          return `>${label}]`;
        case 'say':
          return `[/${label}/]`;
        case 'route':
        case 'branch':
          return `{${label}}`;
        case 'loop':
        case 'foreach':
          return `{{${label}}}`;
        case 'end':
          return `((${label}))`;
      }
    })();
    lines.push(`  ${mid(node.id)}${shape}`);
  }
  lines.push(`  bp_start --> ${mid(bp.start)}`);
  for (const e of g.edges) {
    const arrow = e.label === 'next' ? '-->' : `-->|${e.label}|`;
    lines.push(`  ${mid(e.from)} ${arrow} ${mid(e.to)}`);
  }
  return `${lines.join('\n')}\n`;
}
