/**
 * Prompt text of the LLM user simulators. Written for this project (not copied from τ-bench):
 * the customer's situation comes from the task's instruction or structured scenario.
 */
import type { Task, UserScenario } from '../core/task.js';
import type { LoopSemantics } from '../contract/agent.js';
import { OUT_OF_SCOPE_TOKEN, STOP_TOKEN, TRANSFER_TOKEN } from '../contract/user.js';

/** Renders a structured scenario as the text block a simulator reads. */
export function renderScenario(s: UserScenario): string {
  const lines: string[] = [];
  if (s.persona) lines.push(`Who you are: ${s.persona}`);
  if (s.domain) lines.push(`Business you are contacting: ${s.domain}`);
  lines.push(`Why you are getting in touch: ${s.reasonForCall}`);
  if (s.knownInfo) lines.push(`What you know: ${s.knownInfo}`);
  if (s.unknownInfo) lines.push(`What you do not know: ${s.unknownInfo}`);
  if (s.taskInstructions) lines.push(`How to go about it: ${s.taskInstructions}`);
  return lines.join('\n');
}

/** The customer's situation: the structured scenario when the task has one, else its instruction. */
export function situationOf(task: Task): string {
  return task.scenario === undefined ? task.instruction : renderScenario(task.scenario);
}

/** Rules every LLM customer follows; the ending tokens depend on the loop semantics. */
export function customerRules(semantics: LoopSemantics): string[] {
  const rules = [
    'Write only the customer\'s next chat message. One message per turn, short and natural, the way a person types.',
    'Give details only when the agent asks for them or when they are needed right now. Do not pour out everything in your first message.',
    'Use only the facts in your situation. If the agent asks for something you were not given, say you do not have it or do not remember it. Never invent names, numbers, ids or addresses.',
    'Put things in your own words rather than repeating the situation text.',
    'Stay the customer throughout. You are not the agent and you do not know how the company works inside.',
    `Once your goal has been handled, or it clearly cannot be, reply with ${STOP_TOKEN} alone as your message.`,
  ];
  if (semantics === 'tau2') {
    rules.push(
      `If the agent hands you over to a human representative, reply with ${TRANSFER_TOKEN} alone.`,
      `If the agent needs something your situation gives you no way to answer and the conversation cannot continue, reply with ${OUT_OF_SCOPE_TOKEN} alone.`,
    );
  }
  return rules;
}

/** System prompt of the plain LLM customer. */
export function customerSystemPrompt(task: Task, semantics: LoopSemantics): string {
  return [
    'You are role-playing a customer who is chatting with a customer-support agent of a company.',
    '',
    '## Your situation',
    situationOf(task),
    '',
    '## How to behave',
    ...customerRules(semantics).map((r) => `- ${r}`),
  ].join('\n');
}

/** Extra instructions of the ReAct customer: think first, then answer, in two labelled parts. */
export const REACT_FORMAT = [
  '',
  '## Answer format',
  'Each time, first think briefly about where the conversation stands and what you still need, then write your message. Use exactly this layout:',
  'Thought:',
  '<one or two sentences of private reasoning; the agent never sees this>',
  'User Response:',
  '<the message the agent will read>',
].join('\n');

/** Labels of a transcript shown to checking and reflecting calls. */
export function transcript(turns: ReadonlyArray<{ from: 'agent' | 'customer'; text: string }>): string {
  return turns.map((t) => `${t.from === 'agent' ? 'Agent' : 'Customer'}: ${t.text}`).join('\n');
}

/** Prompt of the verification call: does the candidate message fit the situation and the rules? */
export function verifyPrompt(task: Task, semantics: LoopSemantics, conversation: string, candidate: string): string {
  return [
    'You check the work of someone role-playing a customer in a support chat.',
    '',
    '## The customer\'s situation',
    situationOf(task),
    '',
    '## Rules the customer must follow',
    ...customerRules(semantics).map((r) => `- ${r}`),
    '',
    '## Conversation so far',
    conversation === '' ? '(nothing yet)' : conversation,
    '',
    '## Proposed next customer message',
    candidate,
    '',
    'Is the proposed message consistent with the situation and the rules (no invented facts, no oversharing, no early or missing stop)? Answer with the single word true or false.',
  ].join('\n');
}

/** Prompt of the reflection call: say what went wrong and write a better message. */
export function reflectPrompt(task: Task, semantics: LoopSemantics, conversation: string, candidate: string): string {
  return [
    'You coach someone role-playing a customer in a support chat. Their proposed next message was judged not to fit the situation or the rules.',
    '',
    '## The customer\'s situation',
    situationOf(task),
    '',
    '## Rules the customer must follow',
    ...customerRules(semantics).map((r) => `- ${r}`),
    '',
    '## Conversation so far',
    conversation === '' ? '(nothing yet)' : conversation,
    '',
    '## Rejected message',
    candidate,
    '',
    'Explain briefly what is wrong, then write a better message. Use exactly this layout:',
    'Reflection:',
    '<what was wrong>',
    'Response:',
    '<the improved customer message>',
  ].join('\n');
}
