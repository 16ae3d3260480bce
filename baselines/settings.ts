/** Validation of agent settings from the run configuration. */
import type { z } from 'zod';
import { ConfigError } from '../src/core/errors.js';
import { didYouMean } from '../src/core/suggest.js';

/**
 * Parses an agent's settings with its schema; a problem is a ConfigError naming the agent and the
 * setting. An unknown setting also lists the agent's known settings, with the nearest one.
 */
export function parseSettings<S extends z.ZodType>(agent: string, schema: S, settings: Record<string, unknown>): z.output<S> {
  const r = schema.safeParse(settings);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const known = Object.keys((schema as { shape?: Record<string, unknown> }).shape ?? {});
    const unknown = issue.keys;
    const allowed = known.length === 0 ? `the ${agent} agent takes no settings` : `${agent} settings: ${known.join(', ')}`;
    throw new ConfigError(`agent "${agent}": unknown setting ${unknown.map((k) => `"${k}"`).join(', ')}${didYouMean(unknown[0] ?? '', known)}; ${allowed}`, {
      path: `settings.${unknown[0] ?? ''}`,
      details: { agent, known },
    });
  }
  const where = issue !== undefined && issue.path.length > 0 ? ` "${issue.path.map(String).join('.')}"` : '';
  throw new ConfigError(`agent "${agent}": bad setting${where}: ${issue?.message ?? 'invalid'}`, { details: { agent } });
}
