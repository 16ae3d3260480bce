/**
 * User simulators by name. Add one by writing a {@link UserSimulatorFactory} and an entry here
 * (or in `src/cli/registry.ts`, the composition root, which starts from this map).
 */
import { humanUserFactory } from './human-user.js';
import { LlmUser } from './llm-user.js';
import { ReactUser } from './react-user.js';
import { ReflectionUser } from './reflection-user.js';
import type { UserSimulatorEntry } from './types.js';
import { VerifyUser } from './verify-user.js';

export * from './types.js';
export { LlmUser, UserSimulatorError } from './llm-user.js';
export { ReactUser, parseReactUserOutput } from './react-user.js';
export { VerifyUser, verdict } from './verify-user.js';
export { ReflectionUser, parseReflection } from './reflection-user.js';
export { humanUserFactory, LineReader, type HumanUserStreams } from './human-user.js';
export { customerSystemPrompt, renderScenario, situationOf } from './prompts.js';

/** The built-in user simulators. */
export const BUILT_IN_USERS: Record<string, UserSimulatorEntry> = {
  llm: { create: (c) => new LlmUser(c), needsModel: true, summary: 'LLM customer from the task instruction or scenario' },
  react: { create: (c) => new ReactUser(c), needsModel: true, summary: 'LLM customer that thinks before each message' },
  verify: { create: (c) => new VerifyUser(c), needsModel: true, summary: 'LLM customer whose messages are checked by a second call' },
  reflection: { create: (c) => new ReflectionUser(c), needsModel: true, summary: 'LLM customer that reflects on and rewrites rejected messages' },
  human: { create: humanUserFactory(), needsModel: false, summary: 'a person types the customer side in the terminal (concurrency 1)' },
};
