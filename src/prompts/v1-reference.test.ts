import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test/shared-data.js';
import { packIdentity, packToolSpecs, renderTemplate } from './pack.js';
import { pythonCallError, readV1AgentText, readV1Tools, v1ReferencePack } from './v1-reference.js';
import { readV1UserPrompts } from './v1-users.js';

const CHECKOUT = sharedPath('tau-bench');
const PKG = join(CHECKOUT, 'tau_bench');
const source = (root: string, domain: string) => ({ kind: 'taubench-py' as const, dir: join(root, 'tau_bench', 'envs', domain) });

/** A scratch copy of the checkout's package whose files a test may break. */
function scratchCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), 'taubp-v1pack-'));
  cpSync(PKG, join(root, 'tau_bench'), { recursive: true, filter: (src) => !src.includes(`${join('envs', 'retail', 'data')}`) && !src.includes(`${join('envs', 'airline', 'data')}`) });
  return root;
}

describe('reference pack of a τ-bench v1 checkout', () => {
  it('reads every get_info() dict in ALL_TOOLS order, verbatim (key order, empty required kept, nothing added)', () => {
    const { infos, signatures } = readV1Tools(PKG, 'retail');
    const init = readFileSync(join(PKG, 'envs', 'retail', 'tools', '__init__.py'), 'utf8');
    const order = [...init.slice(init.indexOf('ALL_TOOLS')).matchAll(/^\s+(\w+),$/gm)].map((m) => m[1]);
    expect(signatures.map((s) => s.class)).toEqual(order);
    expect(infos).toHaveLength(16);
    const text = JSON.stringify(infos);
    expect(text).not.toContain('additionalProperties');
    const list = infos.find((t) => (t as { function: { name: string } }).function.name === 'list_all_product_types') as { function: { parameters: unknown } };
    expect(list.function.parameters).toEqual({ type: 'object', properties: {}, required: [] });
    expect(Object.keys(infos[0] as object)).toEqual(['type', 'function']);
    expect(readV1Tools(PKG, 'airline').infos).toHaveLength(14);
  });

  it('evaluates the act/react f-strings: {{ }} unescaped, constants substituted without quotes', () => {
    const { prompts, parsing, fewShotCount } = readV1AgentText(PKG);
    expect(parsing).toEqual({ actionMarker: 'Action:', respondName: 'respond', respondField: 'content' });
    expect(fewShotCount).toBe(5);
    expect(prompts.reactInstruction).toContain('{"name": respond, "arguments": {"content": ');
    expect(prompts.actInstruction).not.toContain('{{');
    expect(prompts.textActionSystem).toMatch(/^\{\{policy\}\}.*\{\{tools\}\}\{\{instruction\}\}$/s);
    expect(prompts.toolObservation).toMatch(/^\S.*\{\{observation\}\}$/);
    expect(renderTemplate(prompts.fewShotExample, { n: '2', display: 'D' })).toMatch(/2.*\nD$/s);
  });

  it('gives a pack whose identity changes with the checkout text', () => {
    const root = scratchCheckout();
    const a = v1ReferencePack(source(root, 'retail'), 'retail');
    expect(packToolSpecs(a).map((t) => t.name)).toContain('get_order_details');
    const file = join(root, 'tau_bench', 'envs', 'retail', 'tools', 'calculate.py');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"description": "', '"description": "X'));
    const b = v1ReferencePack(source(root, 'retail'), 'retail');
    expect(packIdentity(b).sha256['tools']).not.toBe(packIdentity(a).sha256['tools']);
    expect(packIdentity(b).sha256['agent.reactInstruction']).toBe(packIdentity(a).sha256['agent.reactInstruction']);
  });

  it('fails with an error naming the file when a checkout file is missing or not in a known shape', () => {
    const root = scratchCheckout();
    const react = join(root, 'tau_bench', 'agents', 'chat_react_agent.py');
    const original = readFileSync(react, 'utf8');
    writeFileSync(react, original.replace(/^REACT_INSTRUCTION\s*=/m, 'REACT_TEXT ='));
    expect(() => v1ReferencePack(source(root, 'retail'), 'retail')).toThrow(/chat_react_agent\.py: no `REACT_INSTRUCTION = f"""\.\.\."""`/);
    writeFileSync(react, original.replace('{RESPOND_ACTION_NAME}', '{SOMETHING_ELSE}'));
    expect(() => v1ReferencePack(source(root, 'retail'), 'retail')).toThrow(/chat_react_agent\.py: .*\{SOMETHING_ELSE\} is not a known string constant/);
    writeFileSync(react, original);
    const tool = join(root, 'tau_bench', 'envs', 'retail', 'tools', 'think.py');
    writeFileSync(tool, readFileSync(tool, 'utf8').replace('def get_info', 'def info'));
    expect(() => v1ReferencePack(source(root, 'retail'), 'retail')).toThrow(/think\.py: no `def get_info/);
    const init = join(root, 'tau_bench', 'envs', 'airline', 'tools', '__init__.py');
    writeFileSync(init, readFileSync(init, 'utf8').replace('ALL_TOOLS', 'TOOLS'));
    expect(() => v1ReferencePack(source(root, 'airline'), 'airline')).toThrow(/airline.tools.__init__\.py: no `ALL_TOOLS = \[\.\.\.\]` list/);
    expect(() => v1ReferencePack(source(root, 'nodomain'), 'nodomain')).toThrow(/nodomain.tools.__init__\.py not found/);
    // Bytes that are not UTF-8 are an error naming the file and place, never U+FFFD in a prompt.
    const calc = join(root, 'tau_bench', 'envs', 'retail', 'tools', 'calculate.py');
    writeFileSync(calc, Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n'), readFileSync(join(PKG, 'envs', 'retail', 'tools', 'calculate.py'))]));
    expect(() => v1ReferencePack(source(root, 'retail'), 'retail')).toThrow(/calculate\.py: not valid UTF-8 .*line 1/);
    const user = join(root, 'tau_bench', 'envs', 'user.py');
    writeFileSync(user, Buffer.concat([readFileSync(join(PKG, 'envs', 'user.py')), Buffer.from([0xff, 0x0a])]));
    expect(() => readV1UserPrompts(join(root, 'tau_bench'))).toThrow(/user\.py: not valid UTF-8/);
  });
});

describe('pythonCallError (the TypeError of invoke(data=..., **kwargs))', () => {
  const sig = { name: 't', class: 'FindUser', params: [{ name: 'a', required: true }, { name: 'b', required: true }, { name: 'c', required: true }, { name: 'd', required: false }] };
  it('reports the first unexpected keyword, then the missing required arguments as CPython words them', () => {
    expect(pythonCallError(sig, ['a', 'x', 'y'])).toBe("FindUser.invoke() got an unexpected keyword argument 'x'");
    expect(pythonCallError(sig, ['data'])).toBe("FindUser.invoke() got multiple values for argument 'data'");
    expect(pythonCallError(sig, ['a', 'b'])).toBe("FindUser.invoke() missing 1 required positional argument: 'c'");
    expect(pythonCallError(sig, ['c'])).toBe("FindUser.invoke() missing 2 required positional arguments: 'a' and 'b'");
    expect(pythonCallError(sig, [])).toBe("FindUser.invoke() missing 3 required positional arguments: 'a', 'b', and 'c'");
    expect(pythonCallError(sig, ['c', 'b', 'a'])).toBeUndefined();
  });
});
