/**
 * The text-action baselines: `react` (a `Thought:` line, then `Action:` with a JSON object) and
 * `act` (the action alone). No native tool calling: the tools are described in the system
 * prompt and the action is parsed from the model's text. With the harness pack an unparsable
 * reply is reported back to the model so it can try again (at most
 * {@link MAX_CONSECUTIVE_PARSE_ERRORS} times in a row); with a reference pack it is handled as
 * τ-bench does ({@link parseReferenceAction}).
 */
import { z } from 'zod';
import { HarnessError } from '../src/core/errors.js';
import { parsePyJson } from '../src/core/py/py-json.js';
import { isPyObject, type PyObject } from '../src/core/py/py-value.js';
import type { ChatMessage } from '../src/models/types.js';
import type { PromptPack } from '../src/prompts/pack.js';
import type { Agent, AgentOptions, AgentSession } from '../src/contract/agent.js';
import { openConversation } from './conversation.js';
import { observationMessage, packOr, parseErrorMessage, RESPOND_ACTION, textActionSystemPrompt } from './prompts.js';
import { parseSettings } from './settings.js';

/** Unparsable replies in a row after which the episode ends as `agent_error`. */
export const MAX_CONSECUTIVE_PARSE_ERRORS = 3;

/** A parsed text action. `rawArguments` is the arguments' JSON text as the model wrote it. */
export interface TextAction {
  name: string;
  arguments: PyObject;
  rawArguments: string;
}

/** Result of {@link parseTextAction}: the action, or what is wrong with the text. */
export type ParsedAction = { ok: true; action: TextAction } | { ok: false; problem: string };

/** Finds the end of the JSON object starting at `start` (brace matching outside strings), or -1. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Parses the action after the LAST `Action:` of a model reply: one JSON object with a string
 * `name` and an object `arguments`. Code fences around the JSON are tolerated.
 */
export function parseTextAction(text: string): ParsedAction {
  const at = text.lastIndexOf('Action:');
  if (at < 0) return { ok: false, problem: 'no "Action:" found' };
  const rest = text.slice(at + 'Action:'.length);
  const open = rest.indexOf('{');
  if (open < 0) return { ok: false, problem: 'no JSON object after "Action:"' };
  const close = objectEnd(rest, open);
  if (close < 0) return { ok: false, problem: 'the JSON object after "Action:" is not closed' };
  const jsonText = rest.slice(open, close);
  let value;
  try {
    value = parsePyJson(jsonText, 'action');
  } catch (e) {
    return { ok: false, problem: `the action is not valid JSON (${(e as Error).message})` };
  }
  if (!isPyObject(value)) return { ok: false, problem: 'the action is not a JSON object' };
  const name = value['name'];
  if (typeof name !== 'string' || name === '') return { ok: false, problem: 'the action has no string "name"' };
  const args = value['arguments'] ?? {};
  if (!isPyObject(args)) return { ok: false, problem: '"arguments" is not a JSON object' };
  // Raw text of the arguments as written (for the trajectory), found by position in the object.
  const argsAt = jsonText.search(/"arguments"\s*:/);
  let rawArguments = '{}';
  if (argsAt >= 0) {
    const braceAt = jsonText.indexOf('{', argsAt);
    const end = braceAt < 0 ? -1 : objectEnd(jsonText, braceAt);
    if (end > 0) rawArguments = jsonText.slice(braceAt, end);
  }
  return { ok: true, action: { name, arguments: args, rawArguments } };
}

/**
 * τ-bench's reading of a text-action reply: the text after the LAST `marker`, stripped, parsed as
 * JSON; text that is not valid JSON becomes a message to the user (`respond` with that text).
 * A JSON value that is not an object with `name` and `arguments` keys (a string name, an object
 * of arguments) is an agent failure (τ-bench's assertion/validation error ends the episode with
 * reward 0): reported as `{ ok: false }`.
 */
export function parseReferenceAction(text: string, marker: string, respondName: string, respondField: string): ParsedAction {
  const parts = text.split(marker);
  const actionText = (parts[parts.length - 1] ?? '').replace(/^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/g, '');
  let value;
  try {
    value = parsePyJson(actionText, 'action');
  } catch {
    const args: PyObject = { [respondField]: actionText };
    return { ok: true, action: { name: respondName, arguments: args, rawArguments: JSON.stringify(args) } };
  }
  if (!isPyObject(value) || !('name' in value) || !('arguments' in value)) {
    return { ok: false, problem: 'the action is not a JSON object with "name" and "arguments"' };
  }
  const name = value['name'];
  const args = value['arguments'];
  if (typeof name !== 'string') return { ok: false, problem: 'the action\'s "name" is not a string' };
  if (!isPyObject(args)) return { ok: false, problem: 'the action\'s "arguments" is not a JSON object' };
  return { ok: true, action: { name, arguments: args, rawArguments: JSON.stringify(args) } };
}

/** The agent ended because its replies could not be parsed. */
export class AgentOutputError extends HarnessError {
  constructor(message: string) {
    super('episode_error', message);
  }
}

/** Options of {@link ChatReActAgent}. */
export interface ChatReActOptions {
  /** `react` writes a thought before each action; `act` does not. */
  withThought: boolean;
  /** Default 0. */
  temperature?: number;
  /** Prompt pack. Default: the harness pack over the session's tools. */
  pack?: PromptPack;
}

export class ChatReActAgent implements Agent {
  readonly name: string;
  readonly #options: ChatReActOptions;

  constructor(options: ChatReActOptions) {
    this.name = options.withThought ? 'react' : 'act';
    this.#options = options;
  }

  async run(session: AgentSession): Promise<void> {
    const model = session.model('agent');
    const { withThought } = this.#options;
    const pack = packOr(this.#options.pack, session.tools);
    const reference = pack.behaviour.textActionParseFailure === 'respond';
    const respondName = pack.agent.respondAction ?? RESPOND_ACTION;
    const respondField = pack.agent.respondField ?? 'content';
    const marker = pack.agent.actionMarker ?? 'Action:';
    const system = textActionSystemPrompt(session.policy, pack, withThought);
    const messages: ChatMessage[] | null = await openConversation(session);
    if (messages === null) return;
    let parseErrors = 0;
    while (!session.ended) {
      const response = await model.complete({ system, messages, temperature: this.#options.temperature ?? 0 });
      if (reference && response.text === null) throw new AgentOutputError('the reply has no text (τ-bench fails on a reply without content)');
      const text = response.text ?? '';
      messages.push({ role: 'assistant', content: text });
      const parsed = reference ? parseReferenceAction(text, marker, respondName, respondField) : parseTextAction(text);
      if (!parsed.ok && reference) {
        session.note('action_parse_error', { problem: parsed.problem, output: text });
        throw new AgentOutputError(`unusable action: ${parsed.problem}`);
      }
      if (!parsed.ok) {
        parseErrors++;
        session.note('action_parse_error', { problem: parsed.problem, output: text });
        if (parseErrors >= MAX_CONSECUTIVE_PARSE_ERRORS) {
          throw new AgentOutputError(`${parseErrors} replies in a row had no usable action (last: ${parsed.problem})`);
        }
        messages.push({ role: 'user', content: parseErrorMessage(pack, parsed.problem, withThought) });
        continue;
      }
      parseErrors = 0;
      const { action } = parsed;
      if (action.name === respondName) {
        const content = action.arguments[respondField];
        if (reference && typeof content !== 'string') throw new AgentOutputError(`the ${respondName} action has no string "${respondField}" argument`);
        const reply = await session.say(typeof content === 'string' ? content : action.rawArguments);
        if (reply.done) return;
        messages.push({ role: 'user', content: reply.text });
        continue;
      }
      const result = await session.callTool(action.name, action.arguments);
      if (result.done) return;
      messages.push({ role: 'user', content: observationMessage(pack, action.name, result.observation) });
    }
  }
}

/** Settings `act` and `react` accept (none). */
export const chatReActSettings = z.strictObject({});

/** Builds `react` (with thoughts) or `act` from run options. */
export function createChatReActAgent(withThought: boolean, options: AgentOptions): ChatReActAgent {
  parseSettings(withThought ? 'react' : 'act', chatReActSettings, options.settings);
  return new ChatReActAgent({
    withThought,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    ...(options.pack === undefined ? {} : { pack: options.pack }),
  });
}
