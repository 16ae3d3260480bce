/**
 * Model spec strings: `openai:gpt-4o`, `anthropic:claude-sonnet-4-5`,
 * `openai-compatible:llama3.1:8b`, `sim`, `sim:0.1`.
 */
import { ConfigError } from '../core/errors.js';
import { closest } from '../core/suggest.js';

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
 * The spec a prefix-less model name most likely meant: `openai/gpt-4o` (a provider written with a
 * slash, as some routers do) → `openai:gpt-4o`; `sim0.1` → `sim:0.1`; `claude-…` → `anthropic:claude-…`;
 * otherwise `openai:<name>`.
 */
function prefixedSpec(text: string): string {
  if (/^sim\d/.test(text)) return `sim:${text.slice(3)}`;
  const sep = /[/.]/.exec(text);
  if (sep !== null && sep.index > 0) {
    const provider = closest(text.slice(0, sep.index), BUILT_IN_PROVIDERS);
    if (provider !== undefined) return `${provider}:${text.slice(sep.index + 1)}`;
  }
  return `${text.startsWith('claude') ? 'anthropic' : 'openai'}:${text}`;
}

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
      `model spec "${spec}" has no provider prefix${text === '' ? '' : ` (did you mean "${prefixedSpec(text)}"?)`}; a spec is <provider>:<model> with provider ${BUILT_IN_PROVIDERS.join(', ')} (e.g. "openai:gpt-4o", "anthropic:claude-sonnet-4-5"), or "sim"`,
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
