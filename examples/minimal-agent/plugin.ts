/**
 * Example plug-in: a minimal native tool-calling agent in one file, registered as `--agent minimal`.
 *
 *   taubp run --plugin examples/minimal-agent/plugin.ts --agent minimal \
 *     --domain retail --data builtin --model sim --user scripted --tasks 0-4
 *
 * Each turn it sends the policy (system prompt), the conversation and the tools to the model;
 * it runs every tool call the model makes and sends any text to the customer, until the episode
 * ends or `maxTurns` model calls have been made. See docs/writing-an-agent.md.
 */
import { ConfigError, defineAgent, definePlugin, type AgentSession, type ChatMessage } from 'tau-blueprint';

/** Settings `--agent-setting maxTurns=<n>` accepts. */
interface Settings {
  maxTurns: number;
}

function settingsFrom(raw: Record<string, unknown>): Settings {
  const unknown = Object.keys(raw).filter((k) => k !== 'maxTurns');
  if (unknown.length > 0) throw new ConfigError(`minimal agent: unknown setting(s) ${unknown.join(', ')} (known: maxTurns)`);
  const maxTurns = raw.maxTurns ?? 40;
  if (typeof maxTurns !== 'number' || !Number.isInteger(maxTurns) || maxTurns < 1) throw new ConfigError('minimal agent: maxTurns must be a positive integer');
  return { maxTurns };
}

async function play(session: AgentSession, settings: Settings, temperature: number | undefined): Promise<void> {
  const model = session.model('agent');
  const messages: ChatMessage[] = [];
  if (session.firstUserMessage !== null) messages.push({ role: 'user', content: session.firstUserMessage });
  else {
    const reply = await session.say('Hi! How can I help you today?');
    if (reply.done) return;
    messages.push({ role: 'user', content: reply.text });
  }
  for (let turn = 0; turn < settings.maxTurns && !session.ended; turn++) {
    const res = await model.complete({
      system: session.policy,
      messages,
      tools: session.tools,
      ...(temperature === undefined ? {} : { temperature }),
    });
    if (res.toolCalls.length > 0) {
      messages.push({ role: 'assistant', content: res.text, toolCalls: res.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.rawArguments })) });
      for (const call of res.toolCalls) {
        const result = await session.callTool(call.name, call.rawArguments, { toolCallId: call.id });
        messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: result.observation, isError: result.error });
        if (result.done) return;
      }
      continue;
    }
    const text = res.text ?? '';
    messages.push({ role: 'assistant', content: text });
    const reply = await session.say(text);
    if (reply.done) return;
    messages.push({ role: 'user', content: reply.text });
  }
}

export default definePlugin({
  name: 'minimal-agent-example',
  agents: {
    minimal: defineAgent({
      summary: 'example: a minimal native tool-calling loop (examples/minimal-agent)',
      create(options) {
        const settings = settingsFrom(options.settings);
        return { name: 'minimal', run: (session) => play(session, settings, options.temperature) };
      },
    }),
  },
});
