/**
 * τ-bench v1 reward (`Env.calculate_reward`): 1 only if the final database equals a fresh database
 * with the gold actions replayed (terminate tools skipped, failing gold actions replayed as
 * observations), and every required output appears in some reply to the user
 * (`o.lower() in reply.lower().replace(",", "")`). Databases are compared record by record with
 * Python's int/float distinction (`250` ≠ `250.0`), like the reference's hash of `str()`.
 */
import type { BaseDb } from '../db-state.js';
import { RESPOND } from '../environment.js';
import type { ToolRegistry } from '../registry.js';
import { GoldCache } from './gold.js';
import { PROPER_ENDINGS, type Episode, type RewardInfo } from './types.js';

/** What the v1 reward needs besides the episode. */
export interface V1ScoreContext {
  base: BaseDb;
  registry: ToolRegistry;
  /** Shares gold replays between trials. Default: a cache private to the call. */
  gold?: GoldCache;
}

/** Contents of every reply to the user in an action log. */
export function repliesOf(actions: Episode['state']['actions']): string[] {
  return actions.filter((a) => a.name === RESPOND).map((a) => (typeof a.kwargs.content === 'string' ? a.kwargs.content : ''));
}

/** v1 output check: is `output` (lower-cased) a substring of some reply lower-cased without commas? */
export function outputFound(output: string, replies: readonly string[]): boolean {
  const o = output.toLowerCase();
  return replies.some((r) => r.toLowerCase().replaceAll(',', '').includes(o));
}

/** Scores an episode by the v1 rules. An improper ending scores 0 with its reason. */
export function scoreV1(episode: Episode, ctx: V1ScoreContext): RewardInfo {
  const { task, state, termination } = episode;
  const basis = task.outputs.length > 0 ? ['DB', 'OUTPUTS'] : ['DB'];
  if (!PROPER_ENDINGS.has(termination.reason)) {
    return {
      reward: 0,
      rules: 'tau-v1',
      termination,
      basis,
      components: {},
      note: `episode did not end properly (${termination.reason}${termination.message === undefined ? '' : `: ${termination.message}`})`,
    };
  }
  const gold = (ctx.gold ?? new GoldCache()).get(task, ctx.base, ctx.registry, 'tau-v1');
  const diff = state.db.firstDifference(gold.db, { typedFloats: true });
  const dbMatch = diff === undefined;
  const info: RewardInfo = {
    reward: 0,
    rules: 'tau-v1',
    termination,
    basis,
    components: { DB: dbMatch ? 1 : 0 },
    db: { match: dbMatch, ...(diff === undefined ? {} : { firstDifference: diff }), goldErrors: gold.errors },
  };
  const notes: string[] = [];
  if (!dbMatch) notes.push(`database differs from the gold database at ${diff}`);
  if (task.outputs.length > 0) {
    const replies = repliesOf(state.actions);
    const outputs: Record<string, boolean> = {};
    for (const o of task.outputs) outputs[o] = outputFound(o, replies);
    const missing = task.outputs.filter((o) => outputs[o] !== true);
    info.outputs = outputs;
    info.components.OUTPUTS = missing.length === 0 ? 1 : 0;
    if (missing.length > 0) notes.push(`required output${missing.length === 1 ? '' : 's'} not in any reply: ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
  }
  info.reward = basis.every((c) => info.components[c] === 1) ? 1 : 0;
  if (notes.length > 0) info.note = notes.join('; ');
  return info;
}
