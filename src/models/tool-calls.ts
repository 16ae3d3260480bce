/** Parsing of tool-call argument text. Malformed JSON is returned as data, never thrown. */
import type { ToolCall } from './types.js';

/**
 * Builds a {@link ToolCall} from the raw argument text. Empty or whitespace-only text (sent by
 * some OpenAI-compatible servers for argument-less tools) parses as `{}`. Invalid JSON yields
 * `arguments: undefined` and a `parseError`.
 */
export function toolCallFromRaw(id: string, name: string, rawArguments: string): ToolCall {
  if (rawArguments.trim() === '') return { id, name, rawArguments, arguments: {} };
  try {
    return { id, name, rawArguments, arguments: JSON.parse(rawArguments) as unknown };
  } catch (err) {
    return { id, name, rawArguments, arguments: undefined, parseError: `invalid JSON in tool arguments: ${(err as Error).message}` };
  }
}
