/** Validation of agent settings from the run configuration. */
import type { z } from 'zod';
import { ConfigError } from '../src/core/errors.js';

/** Parses an agent's settings with its schema; a problem is a ConfigError naming the agent and the setting. */
export function parseSettings<S extends z.ZodType>(agent: string, schema: S, settings: Record<string, unknown>): z.output<S> {
  const r = schema.safeParse(settings);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue !== undefined && issue.path.length > 0 ? ` "${issue.path.map(String).join('.')}"` : '';
  throw new ConfigError(`agent "${agent}": bad setting${where}: ${issue?.message ?? 'invalid'}`, { details: { agent } });
}
