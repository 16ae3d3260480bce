/** A fake Anthropic Messages server (`POST /v1/messages`). */
import type { Usage } from '../types.js';
import { echoHandler, estimateTokens, FakeLlmServer, type FakeHandler, type FakeReply, type Rendered } from './fake-server.js';

/** Converts normalised usage to Anthropic's wire usage (`input_tokens` excludes cache reads and writes). */
export function anthropicWireUsage(usage: Usage): Record<string, unknown> {
  return {
    input_tokens: usage.input ?? 0,
    output_tokens: usage.output ?? 0,
    cache_read_input_tokens: usage.cacheRead ?? null,
    cache_creation_input_tokens: usage.cacheWrite ?? null,
    ...(usage.reasoning === undefined ? {} : { output_tokens_details: { thinking_tokens: usage.reasoning } }),
  };
}

export { echoHandler };

/**
 * Fake Anthropic server. Point the SDK (or `createModel('anthropic:…')`) at {@link FakeAnthropicServer.url}.
 * @example const server = await FakeAnthropicServer.start(() => ({ toolCalls: [{ name: 'get_order', arguments: { id: 'A1' } }] }));
 */
export class FakeAnthropicServer extends FakeLlmServer {
  protected readonly endpoint = '/v1/messages';
  protected readonly requestIdHeader = 'request-id';

  /** Creates and starts a server. Default handler: {@link echoHandler}. */
  static start(handler: FakeHandler = echoHandler): Promise<FakeAnthropicServer> {
    return new FakeAnthropicServer(handler).listen();
  }

  /** Base URL without `/v1`, as the Anthropic SDK expects. */
  get url(): string {
    return this.origin;
  }

  protected renderReply(reply: FakeReply, body: Record<string, unknown>, index: number): Rendered {
    const content: Record<string, unknown>[] = [];
    if (reply.text !== undefined && reply.text !== null) content.push({ type: 'text', text: reply.text, citations: null });
    (reply.toolCalls ?? []).forEach((call, position) => {
      const input = call.rawArguments !== undefined ? (JSON.parse(call.rawArguments) as unknown) : (call.arguments ?? {});
      content.push({ type: 'tool_use', id: call.id ?? `toolu_${index}_${position}`, name: call.name, input });
    });
    if (reply.structured !== undefined) {
      const choice = body['tool_choice'] as { type?: unknown; name?: unknown } | undefined;
      const name = choice?.type === 'tool' && typeof choice.name === 'string' ? choice.name : 'structured_output';
      content.push({ type: 'tool_use', id: `toolu_${index}_structured`, name, input: reply.structured });
    }
    if (reply.text === undefined && content.length === 0) content.push({ type: 'text', text: '', citations: null });
    const hasToolUse = content.some((b) => b['type'] === 'tool_use');
    const usage =
      reply.rawUsage !== undefined
        ? reply.rawUsage
        : anthropicWireUsage(reply.usage ?? { input: estimateTokens(body['messages']), output: estimateTokens(content) });
    return {
      status: 200,
      headers: {},
      body: {
        id: `msg_${index}`,
        type: 'message',
        role: 'assistant',
        model: typeof body['model'] === 'string' ? body['model'] : 'unknown',
        content,
        stop_reason: reply.finishReason ?? (hasToolUse ? 'tool_use' : 'end_turn'),
        stop_sequence: null,
        ...(usage === null ? {} : { usage }),
      },
    };
  }

  protected renderError(status: number, message: string): unknown {
    const type =
      status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : status >= 500 ? 'api_error' : status === 401 ? 'authentication_error' : 'invalid_request_error';
    return { type: 'error', error: { type, message } };
  }
}
