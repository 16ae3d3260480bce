/** Shared opening of the baseline agents' conversations. */
import { AGENT_GREETING, type AgentSession } from '../src/contract/agent.js';
import type { ChatMessage } from '../src/models/types.js';

/**
 * Starts the model's history: the user's opening message (v1), or, when the user waits to be
 * greeted (τ²), the greeting sent through the session and the user's answer. Returns null when
 * the conversation ended already.
 */
export async function openConversation(session: AgentSession): Promise<ChatMessage[] | null> {
  if (session.firstUserMessage !== null) return [{ role: 'user', content: session.firstUserMessage }];
  const reply = await session.say(AGENT_GREETING);
  if (reply.done) return null;
  return [
    { role: 'assistant', content: AGENT_GREETING },
    { role: 'user', content: reply.text },
  ];
}
