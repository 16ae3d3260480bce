/**
 * Prompt text of the baseline agents, written for this project. The domain policy always comes
 * first and unchanged; the baselines only add how to act.
 */
import type { ToolSpec } from '../src/models/types.js';

/** Tool-calling system prompt: the policy text alone, as in τ-bench's tool-calling agent. */
export function toolCallingSystemPrompt(policy: string): string {
  return policy;
}

/** The name of the pseudo-tool that sends a message to the customer in text-action agents. */
export const RESPOND_ACTION = 'respond';

/** Describes the tools and the output format of the text-action agents (`act`, `react`). */
export function textActionSystemPrompt(policy: string, tools: readonly ToolSpec[], withThought: boolean): string {
  const toolList = JSON.stringify(
    tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),
    null,
    1,
  );
  const format = withThought
    ? [
        'Every reply you write has exactly two parts, in this order:',
        'Thought:',
        '<one line: what you know so far and what to do next>',
        'Action:',
        '{"name": "<tool name or respond>", "arguments": {<arguments as JSON>}}',
      ]
    : ['Every reply you write is exactly one action, in this form:', 'Action:', '{"name": "<tool name or respond>", "arguments": {<arguments as JSON>}}'];
  return [
    policy,
    '',
    '# Tools you can use',
    toolList,
    '',
    '# How to act',
    'You work one action at a time. An action either calls one of the tools above or sends a message to the customer.',
    ...format,
    `To message the customer use the name "${RESPOND_ACTION}" with arguments {"content": "<your message>"}.`,
    'The text after "Action:" must be a single valid JSON object and nothing else. After a tool call you will be shown its result; after a message you will be shown the customer\'s answer.',
    'For example, to look up the status of a parcel with a hypothetical tool "track_parcel":',
    ...(withThought ? ['Thought:', 'The customer gave the tracking number, so I can look the parcel up.'] : []),
    'Action:',
    '{"name": "track_parcel", "arguments": {"tracking_number": "ZX123"}}',
    'and to answer the customer:',
    ...(withThought ? ['Thought:', 'I have the status and can tell the customer.'] : []),
    'Action:',
    `{"name": "${RESPOND_ACTION}", "arguments": {"content": "Your parcel is out for delivery today."}}`,
  ].join('\n');
}

/** How a tool result is shown to a text-action agent. */
export function observationMessage(tool: string, observation: string): string {
  return `Result of ${tool}:\n${observation}`;
}

/** What a text-action agent is told when its output could not be parsed. */
export function parseErrorMessage(problem: string, withThought: boolean): string {
  const layout = withThought ? '"Thought:" and then "Action:" followed by one JSON object' : '"Action:" followed by one JSON object';
  return `Your last reply could not be used: ${problem}. Reply again with ${layout} of the form {"name": ..., "arguments": {...}}.`;
}

/** Few-shot system prompt: the policy, then the example conversations. */
export function fewShotSystemPrompt(policy: string, examples: readonly string[]): string {
  if (examples.length === 0) return policy;
  const shown = examples.map((e, i) => `Example ${i + 1}:\n${e}`).join('\n\n');
  return `${policy}\n\n# Example conversations\nThese past conversations show how the tools are used. They are examples only: the customer and the data in your conversation are different.\n\n${shown}`;
}
