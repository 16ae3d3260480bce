/**
 * Rendering of the baseline agents' prompts from a prompt pack (src/prompts/pack.ts): the
 * `harness` pack (the project's own words, the default) or a `reference` pack read from a
 * τ-bench checkout at run time. The domain policy always comes first and unchanged.
 */
import { pyDumps } from '../src/core/py/py-json.js';
import type { PyValue } from '../src/core/py/py-value.js';
import type { ToolSpec } from '../src/models/types.js';
import { harnessPack, type HarnessParseError } from '../src/prompts/harness.js';
import { packToolSpecs, renderTemplate, toolListFormatOf, type PromptPack } from '../src/prompts/pack.js';

/** The default name of the pseudo-tool that sends a message to the customer in text-action agents. */
export const RESPOND_ACTION = 'respond';

/** The pack an agent uses: the given one, else the harness pack over the session's tools. */
export function packOr(pack: PromptPack | undefined, tools: readonly ToolSpec[]): PromptPack {
  return pack ?? harnessPack(tools);
}

/** The tools the model gets: the pack's (reference packs carry τ-bench's schemas), in pack order. */
export function modelTools(pack: PromptPack): ToolSpec[] {
  return packToolSpecs(pack);
}

/** Tool-calling system prompt. */
export function toolCallingSystemPrompt(policy: string, pack: PromptPack): string {
  return renderTemplate(pack.agent.toolCallingSystem, { policy }, 'agent.toolCallingSystem');
}

/** The act/react tool-list block, in the pack's format. */
export function renderToolList(pack: PromptPack): string {
  const format = toolListFormatOf(pack);
  if (format.style === 'py-json-dumps') return pyDumps(JSON.parse(pack.tools) as PyValue);
  return JSON.stringify(
    packToolSpecs(pack).map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),
    null,
    format.indent,
  );
}

/** The text-action agents' (`act`, `react`) system prompt: policy, tool list, instruction. */
export function textActionSystemPrompt(policy: string, pack: PromptPack, withThought: boolean): string {
  return renderTemplate(
    pack.agent.textActionSystem,
    { policy, tools: renderToolList(pack), instruction: withThought ? pack.agent.reactInstruction : pack.agent.actInstruction },
    'agent.textActionSystem',
  );
}

/** How a tool result is shown to a text-action agent. */
export function observationMessage(pack: PromptPack, tool: string, observation: string): string {
  return renderTemplate(pack.agent.toolObservation, { tool, observation }, 'agent.toolObservation');
}

/** What a text-action agent is told when its output could not be parsed (packs whose parse failure is `retry`). */
export function parseErrorMessage(pack: PromptPack, problem: string, withThought: boolean): string {
  const spec = JSON.parse(pack.agent.parseError) as HarnessParseError;
  return renderTemplate(spec.template, { problem, layout: withThought ? spec.layout.react : spec.layout.act }, 'agent.parseError');
}

/** Few-shot system prompt: the policy, then the example conversations (the policy alone when there are none). */
export function fewShotSystemPrompt(policy: string, examples: readonly string[], pack: PromptPack): string {
  if (examples.length === 0) return policy;
  const shown = examples.map((display, i) => renderTemplate(pack.agent.fewShotExample, { n: String(i + 1), display }, 'agent.fewShotExample')).join(pack.agent.fewShotSeparator);
  return renderTemplate(pack.agent.fewShotSystem, { policy, examples: shown }, 'agent.fewShotSystem');
}
