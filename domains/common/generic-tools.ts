/**
 * Tools both domains share: `calculate`, `think` and `transfer_to_human_agents`, as factories so
 * each domain picks the variant's behaviour:
 * - v1 (τ-bench): invalid characters → `Error: invalid characters in expression`; `think`
 *   exists; `transfer_to_human_agents` ends the episode.
 * - τ²: `Error: Invalid characters in expression`; no `think`; transferring does not end the
 *   episode by itself (the user simulator does).
 */
import { z } from 'zod';
import type { ToolVariant } from '../../src/env/domain.js';
import { defineTool, type ToolDef } from '../../src/env/tool.js';
import { PyCalcError, pythonCalculate } from './py-calc.js';

/** The characters τ-bench's calculator accepts. */
export const CALCULATOR_CHARS = '0123456789+-*/(). ';

const calculateSchema = z.strictObject({
  expression: z
    .string()
    .describe('Arithmetic to evaluate, for example "(129.99 + 45.5) * 2". Allowed: digits, decimal points, spaces, + - * / and parentheses.'),
});

/**
 * `calculate(expression)`: evaluates the expression as Python would and answers
 * `str(round(float(value), 2))` (e.g. `"255.0"`), or `Error: <Python's message>`.
 */
export function calculateTool(variant: ToolVariant = 'v1'): ToolDef<typeof calculateSchema> {
  const invalidChars = variant === 'tau2' ? 'Invalid characters in expression' : 'invalid characters in expression';
  return defineTool({
    name: 'calculate',
    description: 'Evaluate an arithmetic expression and get the result rounded to two decimal places. Use it for sums, differences and price arithmetic instead of computing by hand.',
    schema: calculateSchema,
    kind: 'generic',
    invoke(_db, { expression }) {
      for (const ch of expression) if (!CALCULATOR_CHARS.includes(ch)) return `Error: ${invalidChars}`;
      try {
        return pythonCalculate(expression);
      } catch (e) {
        if (e instanceof PyCalcError) return `Error: ${e.message}`;
        // Our own stack running out on absurdly nested input: CPython gives up there too.
        if (e instanceof RangeError) return 'Error: maximum recursion depth exceeded during compilation';
        throw e;
      }
    },
  });
}

const thinkSchema = z.strictObject({
  thought: z.string().describe('The reasoning to write down.'),
});

/** `think(thought)` (v1 only): a scratchpad; changes nothing and answers the empty string. */
export function thinkTool(): ToolDef<typeof thinkSchema> {
  return defineTool({
    name: 'think',
    description:
      'Write down reasoning without looking anything up or changing anything; the thought is only kept in the conversation log. Useful for planning several steps or checking a computation.',
    schema: thinkSchema,
    kind: 'think',
    invoke: () => '',
  });
}

const transferSchema = z.strictObject({
  summary: z.string().describe("A short summary of the customer's problem for the human agent."),
});

/**
 * `transfer_to_human_agents(summary)`: answers `Transfer successful`. In v1 it ends the episode
 * (`terminate: true`); in τ² it does not.
 */
export function transferToHumanAgentsTool(variant: ToolVariant = 'v1'): ToolDef<typeof transferSchema> {
  return defineTool({
    name: 'transfer_to_human_agents',
    description:
      'Hand the customer over to a human agent together with a summary of their issue. Only do this when the customer explicitly asks for a human, or when the request cannot be handled with the available tools under the policy.',
    schema: transferSchema,
    kind: 'generic',
    terminate: variant === 'v1',
    invoke: () => 'Transfer successful',
  });
}

/** The generic tools of a variant, by name (`think` is absent in τ²). */
export function genericTools(variant: ToolVariant = 'v1'): {
  calculate: ToolDef;
  think?: ToolDef;
  transfer_to_human_agents: ToolDef;
} {
  const out = { calculate: calculateTool(variant) as ToolDef, transfer_to_human_agents: transferToHumanAgentsTool(variant) as ToolDef };
  return variant === 'v1' ? { ...out, think: thinkTool() as ToolDef } : out;
}

/**
 * The observation for a call to a tool that does not exist: v1 `Unknown action <name>` (the
 * Environment's default), τ² `Error: Tool '<name>' not found.`. Pass it as the Environment's
 * `unknownTool` option for τ² episodes.
 */
export function unknownToolObservation(variant: ToolVariant = 'v1'): (name: string) => string {
  return variant === 'tau2' ? (name) => `Error: Tool '${name}' not found.` : (name) => `Unknown action ${name}`;
}
