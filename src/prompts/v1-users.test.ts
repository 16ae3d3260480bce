import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test/shared-data.js';
import { DataError } from '../core/errors.js';
import { parseV1UserPrompts, readV1UserPrompts, V1_USER_KEYS, V1_USER_STRATEGIES, v1UserPromptsOf } from './v1-users.js';

const USER_PY = (): string => sharedPath('tau-bench', 'tau_bench', 'envs', 'user.py');
const source = (): string => readFileSync(USER_PY(), 'utf8');

/** The first recorded user-simulator request with an instruction, from the conformance vectors. */
function recordedSystemPrompt(strategy: string): string {
  const lines = readFileSync(sharedPath('conformance', 'requests', `retail_t1_tool-calling_${strategy}.jsonl`), 'utf8').trim().split('\n').slice(1);
  for (const l of lines) {
    const m = (JSON.parse(l) as { request: { messages: Array<{ role: string; content: string }> } }).request.messages[0];
    if (m?.role === 'system' && m.content.includes('\nInstruction: ')) return m.content;
  }
  throw new Error('no system prompt with an instruction');
}

function parseModified(edit: (text: string) => string): Record<string, string> {
  const text = source();
  const changed = edit(text);
  expect(changed).not.toBe(text);
  return parseV1UserPrompts(changed, '/x/tau_bench/envs/user.py');
}

describe('readV1UserPrompts', () => {
  it('reads every element from the checkout, as templates the recorded prompts instantiate', () => {
    const users = readV1UserPrompts(sharedPath('tau-bench', 'tau_bench'));
    const prompts = v1UserPromptsOf(users);
    if (prompts === undefined) throw new Error('not recognised');
    for (const s of V1_USER_STRATEGIES) {
      expect(prompts.system[s].match(/\{\{\w+\}\}/g)).toEqual(['{{instruction}}']);
      const [before, after] = prompts.system[s].split('{{instruction}}') as [string, string];
      const recorded = recordedSystemPrompt(s);
      expect(recorded.startsWith(before)).toBe(true);
      expect(recorded.endsWith(after)).toBe(true);
      expect(prompts.greeting[s].length).toBeGreaterThan(0);
    }
    expect(prompts.system.react).not.toBe(prompts.system.llm);
    expect(prompts.check.match(/\{\{\w+\}\}/g)).toEqual(['{{transcript}}', '{{response}}']);
    expect(prompts.reflect.match(/\{\{\w+\}\}/g)).toEqual(['{{transcript}}', '{{response}}']);
    expect(prompts.transcriptLine).toBe('{{role}}: {{content}}');
    expect(prompts.transcriptSeparator).toBe('\n');
    expect(prompts.mechanics).toEqual({
      roleLabels: { user: 'Customer', assistant: 'Agent' },
      verdictToken: 'true',
      reflectMarker: 'Response:',
      react: {
        stop: '###STOP###',
        stopReply: '###STOP###',
        markers: [
          { test: 'Thought:', split: 'Thought:' },
          { test: 'User Response:', split: 'User Response:' },
        ],
      },
      verifyAttempts: 3,
      reflectionAttempts: 2,
    });
  });

  it('follows the checkout: changed text, markers and attempt counts are read, not assumed', () => {
    const users = parseModified((t) =>
      t
        .replace('You are a user interacting with an agent.{instruction_display}', 'Play a shopper.{instruction_display}')
        .replaceAll('"User Response:"', '"Reply:"')
        .replace('max_attempts: int = 3', 'max_attempts: int = 5')
        .replace('("\\n\\nInstruction: " + instruction + "\\n")', '("\\nTask: " + instruction)'),
    );
    const p = v1UserPromptsOf(users);
    expect(p?.system.llm.startsWith('Play a shopper.\nTask: {{instruction}}\nRules:')).toBe(true);
    expect(p?.mechanics.react.markers[1]).toEqual({ test: 'Reply:', split: 'Reply:' });
    expect(p?.mechanics.verifyAttempts).toBe(5);
  });

  it('fails naming the file and the function when the behaviour code differs', () => {
    const err = (() => {
      try {
        parseModified((t) => t.replace('_, user_response = response.split("Thought:")', '_, user_response = response.split("Thought:", 1)'));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toMatch(/\/x\/tau_bench\/envs\/user\.py:\d+: ReactUserSimulationEnv\.parse_response differs from τ-bench v1's code.*--prompts harness/);
    expect(() => parseModified((t) => t.replace('return cur_message.content\n\n    def reset', 'return None\n\n    def reset'))).toThrow(
      /VerifyUserSimulationEnv\.generate_next_message/,
    );
    expect(() => parseModified((t) => t.replace('"Agent"', '"Agent"\n    elif role == "system":\n        return "Sys"'))).toThrow(/map_role_label/);
  });

  it('fails naming the file for a missing file, unreadable Python, a missing class or an unknown prompt shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'v1-users-'));
    expect(() => readV1UserPrompts(dir)).toThrow(new RegExp(`${join(dir, 'envs', 'user.py').replace(/[/.]/g, '\\$&')} not found`));
    mkdirSync(join(dir, 'envs'));
    writeFileSync(join(dir, 'envs', 'user.py'), 'x = """never closed\n');
    expect(() => readV1UserPrompts(dir)).toThrow(/user\.py:1:5: unterminated string literal/);
    expect(() => parseModified((t) => t.replaceAll('ReflectionUserSimulationEnv', 'ReflectingUser'))).toThrow(/user\.py: no class ReflectionUserSimulationEnv/);
    expect(() =>
      parseModified((t) => t.replace('        return f"""You are a user interacting with an agent.', '        print(instruction)\n        return f"""You are a user interacting with an agent.')),
    ).toThrow(/LLMUserSimulationEnv\.build_system_prompt: unsupported statement/);
    expect(() => parseModified((t) => t.replace('{instruction_display}\nRules:\n- Just', '{instruction_display!r}\nRules:\n- Just'))).toThrow(
      /unsupported f-string field \{instruction_display!r\}/,
    );
    // Python's `{{{{x}}}}` is the text `{{x}}`, which a pack template would read as a placeholder.
    expect(() => parseModified((t) => t.replace('{instruction_display}\nRules:\n- Just', '{instruction_display}{{{{x}}}}\nRules:\n- Just'))).toThrow(
      /build_system_prompt contains "\{\{name\}\}" text/,
    );
  });
});

describe('v1UserPromptsOf', () => {
  it('is undefined for packs without v1 user text and rejects an incomplete slot', () => {
    expect(v1UserPromptsOf(undefined)).toBeUndefined();
    expect(v1UserPromptsOf({})).toBeUndefined();
    expect(v1UserPromptsOf({ 'tau2.system': 'x' })).toBeUndefined();
    const users = readV1UserPrompts(sharedPath('tau-bench', 'tau_bench'));
    const { [V1_USER_KEYS.check]: _gone, ...partial } = users;
    expect(() => v1UserPromptsOf(partial)).toThrow(/lacks v1\.check/);
    expect(() => v1UserPromptsOf({ ...users, [V1_USER_KEYS.mechanics]: '{' })).toThrow(/v1\.mechanics is not JSON/);
  });
});
