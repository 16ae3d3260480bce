/**
 * User simulators by name. Add one by writing a {@link UserSimulatorFactory} and an entry here
 * (built in) or in a plug-in's `users` (`definePlugin`, `src/plugin/`); the composition root
 * (`src/cli/registry.ts`) installs this map into the harness registry.
 */
import { v1UserPromptsOf, type V1UserPrompts, type V1UserStrategy } from '../prompts/v1-users.js';
import { humanUserFactory } from './human-user.js';
import { LlmUser } from './llm-user.js';
import { ReactUser } from './react-user.js';
import { ReflectionUser } from './reflection-user.js';
import type { UserSimulatorContext, UserSimulatorEntry, UserSimulatorFactory } from '../contract/user.js';
import { V1ReferenceUser } from './v1-reference-user.js';
import { VerifyUser } from './verify-user.js';

export { LlmUser, UserSimulatorError } from './llm-user.js';
export { ReactUser, parseReactUserOutput } from './react-user.js';
export { VerifyUser, verdict } from './verify-user.js';
export { ReflectionUser, parseReflection } from './reflection-user.js';
export { humanUserFactory, LineReader, type HumanUserStreams } from './human-user.js';
export { customerSystemPrompt, renderScenario, situationOf } from './prompts.js';
export { V1ReferenceUser, pyMessageRepr } from './v1-reference-user.js';

const parsedPrompts = new WeakMap<object, V1UserPrompts | undefined>();

/** The τ-bench v1 user prompts of the context's pack (parsed once per pack), if it has them. */
function v1PromptsOf(context: UserSimulatorContext): V1UserPrompts | undefined {
  const users = context.pack?.users;
  if (users === undefined) return undefined;
  if (!parsedPrompts.has(users)) parsedPrompts.set(users, v1UserPromptsOf(users));
  return parsedPrompts.get(users);
}

/**
 * The harness simulator, or τ-bench v1's exact one when the run's pack carries τ-bench's user
 * text (`--prompts reference` on a τ-bench checkout).
 */
function packAware(strategy: V1UserStrategy, harness: UserSimulatorFactory): UserSimulatorFactory {
  return (c) => {
    const prompts = v1PromptsOf(c);
    return prompts === undefined ? harness(c) : new V1ReferenceUser(c, strategy, prompts);
  };
}

/** The built-in user simulators. */
export const BUILT_IN_USERS: Record<string, UserSimulatorEntry> = {
  llm: { create: packAware('llm', (c) => new LlmUser(c)), needsModel: true, summary: 'LLM customer from the task instruction or scenario' },
  react: { create: packAware('react', (c) => new ReactUser(c)), needsModel: true, summary: 'LLM customer that thinks before each message' },
  verify: { create: packAware('verify', (c) => new VerifyUser(c)), needsModel: true, summary: 'LLM customer whose messages are checked by a second call' },
  reflection: {
    create: packAware('reflection', (c) => new ReflectionUser(c)),
    needsModel: true,
    summary: 'LLM customer that reflects on and rewrites rejected messages',
  },
  human: { create: humanUserFactory(), needsModel: false, summary: 'a person types the customer side in the terminal (concurrency 1)' },
};
