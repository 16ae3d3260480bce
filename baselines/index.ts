/**
 * The baseline agents by name, wired into `AGENTS` by `src/cli/registry.ts`.
 * Add an agent: implement `Agent` (src/contract/agent.ts) and add an `AgentEntry` here or there.
 */
import type { AgentEntry } from '../src/contract/agent.js';
import { createChatReActAgent } from './chat-react.js';
import { createFewShotAgent } from './few-shot.js';
import { createToolCallingAgent } from './tool-calling.js';

export { ToolCallingAgent, createToolCallingAgent, type ToolCallingOptions } from './tool-calling.js';
export { ChatReActAgent, createChatReActAgent, parseTextAction, type TextAction } from './chat-react.js';
export { createFewShotAgent, readFewShotExamples, sampleExamples } from './few-shot.js';

/** The baseline agents. */
export const BASELINE_AGENTS: Record<string, AgentEntry> = {
  'tool-calling': { create: createToolCallingAgent, summary: 'native function calling, policy as system prompt (τ-bench tool-calling)' },
  react: { create: (o) => createChatReActAgent(true, o), summary: 'text actions with a Thought line before each Action (τ-bench react)' },
  act: { create: (o) => createChatReActAgent(false, o), summary: 'text actions without thoughts (τ-bench act)' },
  'few-shot': { create: createFewShotAgent, summary: 'tool-calling with example conversations from --few-shot <file.jsonl>' },
};
