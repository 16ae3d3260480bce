/**
 * The `harness` prompt pack: the project's own words, for the built-in suite and for data without
 * a τ-bench checkout. Tool schemas are the domain's own (`toolSpec` of its zod schemas); the agent
 * texts are the baselines' (written for this project, not copied from τ-bench); the behaviour is
 * today's, including the fixes of τ-bench's quirks listed in docs/comparability-agents.md.
 */
import type { ToolSpec } from '../models/types.js';
import { toolsJson, type AgentPrompts, type PackBehaviour, type PromptPack } from './pack.js';

/** The harness's act/react action format lines (with or without a thought). */
function formatLines(withThought: boolean): string[] {
  return withThought
    ? [
        'Every reply you write has exactly two parts, in this order:',
        'Thought:',
        '<one line: what you know so far and what to do next>',
        'Action:',
        '{"name": "<tool name or respond>", "arguments": {<arguments as JSON>}}',
      ]
    : ['Every reply you write is exactly one action, in this form:', 'Action:', '{"name": "<tool name or respond>", "arguments": {<arguments as JSON>}}'];
}

function instruction(withThought: boolean): string {
  return [
    'You work one action at a time. An action either calls one of the tools above or sends a message to the customer.',
    ...formatLines(withThought),
    'To message the customer use the name "respond" with arguments {"content": "<your message>"}.',
    'The text after "Action:" must be a single valid JSON object and nothing else. After a tool call you will be shown its result; after a message you will be shown the customer\'s answer.',
    'For example, to look up the status of a parcel with a hypothetical tool "track_parcel":',
    ...(withThought ? ['Thought:', 'The customer gave the tracking number, so I can look the parcel up.'] : []),
    'Action:',
    '{"name": "track_parcel", "arguments": {"tracking_number": "ZX123"}}',
    'and to answer the customer:',
    ...(withThought ? ['Thought:', 'I have the status and can tell the customer.'] : []),
    'Action:',
    '{"name": "respond", "arguments": {"content": "Your parcel is out for delivery today."}}',
  ].join('\n');
}

/** The harness's parse-error element: JSON text of {@link HarnessParseError}. */
export interface HarnessParseError {
  /** Placeholders `problem`, `layout`. */
  template: string;
  layout: { act: string; react: string };
}

/** The harness's agent texts. */
export const HARNESS_AGENT_PROMPTS: AgentPrompts = {
  toolCallingSystem: '{{policy}}',
  textActionSystem: '{{policy}}\n\n# Tools you can use\n{{tools}}\n\n# How to act\n{{instruction}}',
  actInstruction: instruction(false),
  reactInstruction: instruction(true),
  toolListFormat: JSON.stringify({ style: 'json', indent: 1, shape: 'spec' }),
  toolObservation: 'Result of {{tool}}:\n{{observation}}',
  parseError: JSON.stringify({
    template: 'Your last reply could not be used: {{problem}}. Reply again with {{layout}} of the form {"name": ..., "arguments": {...}}.',
    layout: { act: '"Action:" followed by one JSON object', react: '"Thought:" and then "Action:" followed by one JSON object' },
  } satisfies HarnessParseError),
  fewShotSystem:
    '{{policy}}\n\n# Example conversations\nThese past conversations show how the tools are used. They are examples only: the customer and the data in your conversation are different.\n\n{{examples}}',
  fewShotExample: 'Example {{n}}:\n{{display}}',
  fewShotSeparator: '\n\n',
  actionMarker: 'Action:',
  respondAction: 'respond',
  respondField: 'content',
};

/** The harness's behaviour (today's: see {@link PackBehaviour}). */
export const HARNESS_BEHAVIOUR: PackBehaviour = {
  defaultMaxTokens: true,
  toolMessageName: false,
  textActionParseFailure: 'retry',
  malformedToolArguments: 'error-observation',
  fewShotDraw: 'once-in-file-order',
  fewShotCount: 5,
  userTemperature: null,
};

/**
 * The harness pack for a domain's tools.
 * @param tools the domain registry's specs, in registration order
 * @param users user-simulator prompts (empty: the simulators' built-in text)
 */
export function harnessPack(tools: readonly ToolSpec[], users: Readonly<Record<string, string>> = {}): PromptPack {
  return { kind: 'harness', source: 'harness', tools: toolsJson(tools), agent: HARNESS_AGENT_PROMPTS, users, behaviour: HARNESS_BEHAVIOUR };
}
