/**
 * Model spec strings: `openai:gpt-4o`, `anthropic:claude-sonnet-4-5`,
 * `openai-compatible:llama3.1:8b`, `sim`, `sim:0.1`.
 */
import { ConfigError } from '../core/errors.js';

/** Providers this package knows by name. Others may be added with `registerProvider`. */
export const BUILT_IN_PROVIDERS = ['openai', 'anthropic', 'openai-compatible', 'sim'] as const;

/** A parsed model spec. */
export interface ModelSpec {
  /** Provider name, e.g. `openai`, `anthropic`, `openai-compatible`, `sim`. */
  provider: string;
  /**
   * Model name as the provider knows it (`gpt-4o`). Everything after the FIRST colon, so
   * Ollama names such as `llama3.1:8b` survive. For bare `sim` this is `''`.
   */
  model: string;
  /** The canonical spec string, `<provider>:<model>` (or `sim` for bare `sim`). */
  id: string;
}

const PROVIDER_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Parses a model spec string.
 *
 * @throws ConfigError when the string has no provider prefix (except bare `sim`) or an empty model.
 * @example parseModelSpec('openai:gpt-4o') // { provider: 'openai', model: 'gpt-4o', id: 'openai:gpt-4o' }
 */
export function parseModelSpec(spec: string): ModelSpec {
  const text = spec.trim();
  if (text === 'sim') return { provider: 'sim', model: '', id: 'sim' };
  const colon = text.indexOf(':');
  if (colon <= 0) {
    throw new ConfigError(
      `model spec "${spec}" has no provider prefix; write e.g. "openai:${text || 'gpt-4o'}", "anthropic:<model>", "openai-compatible:<model>" or "sim"`,
      { path: spec },
    );
  }
  const provider = text.slice(0, colon);
  const model = text.slice(colon + 1);
  if (!PROVIDER_NAME.test(provider)) {
    throw new ConfigError(`model spec "${spec}": provider "${provider}" is not a valid provider name`, { path: spec });
  }
  if (model.trim() === '') {
    throw new ConfigError(`model spec "${spec}" names no model after "${provider}:"`, { path: spec });
  }
  return { provider, model, id: `${provider}:${model}` };
}
