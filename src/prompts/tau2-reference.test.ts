import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../test/shared-data.js';
import { DataError, UsageError } from '../core/errors.js';
import { detectTaskSource, loadTasksFrom } from '../env/tasks/source.js';
import { packIdentity, packToolSpecs, renderTemplate, type PackTool } from './pack.js';
import { loadTau2ReferencePack, pyFormat, tau2ReferenceReader, TAU2_USER_KEYS } from './tau2-reference.js';
import { loadTau2Tools } from './tau2-tools.js';
import { buildPromptPack, defaultPackKind } from './select.js';
import { DOMAINS } from '../cli/registry.js';
import { ScriptedModel, toyBase, toyRegistry } from '../runner/testing/fixtures.js';
import { BUILT_IN_USERS } from '../users/index.js';
import { LlmUser } from '../users/llm-user.js';
import type { UserSimulatorContext } from '../contract/user.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * sha256 of what τ² builds from ../shared/tau2-bench (commit a2c0247): the agent system prompt
 * with the domain's policy.md, the user system prompt for the first task (id "0"), and the tool
 * list as compact JSON (`json.dumps(tools, separators=(',', ':'), ensure_ascii=False)` of
 * `[tool.openai_schema for tool in env.get_tools()]`). The same hashes came out of τ²'s own
 * code run under Python (pydantic 2.13.4, docstring_parser 0.18.0) — see the README,
 * "Comparability" — so a change in this assembly fails here.
 */
const PINNED = {
  retail: {
    agent: '4cf6e44236a35dda69511c196e882c7465b547e942bd9d26984ab6eb4d28ef83',
    user: '4cd0c91d5866dc92c70b54557b97c85fafff3f95bec5663a231ba6121876f1ab',
    tools: '1e50c1f85a5a6ba344581813b5a9eb673d40aa87f85b3907d4c492fb1f5d3b78',
    toolNames: [
      'calculate',
      'cancel_pending_order',
      'exchange_delivered_order_items',
      'find_user_id_by_name_zip',
      'find_user_id_by_email',
      'get_order_details',
      'get_product_details',
      'get_item_details',
      'get_user_details',
      'list_all_product_types',
      'modify_pending_order_address',
      'modify_pending_order_items',
      'modify_pending_order_payment',
      'modify_user_address',
      'return_delivered_order_items',
      'transfer_to_human_agents',
    ],
  },
  airline: {
    agent: '54c8a8153c0f9fe4d2bc4d57a3698221d09388d84245afdcc253378ee4238cb2',
    user: 'eced4aec39adece7cbbf67d01be543956c60e63b3c58b245cc94e6c6588c0a2f',
    tools: '00cb3fea26cad6959a4623319b67dbfd7c9f62b9fa6d30fa37f10a00217c54b0',
    toolNames: [
      'book_reservation',
      'calculate',
      'cancel_reservation',
      'get_reservation_details',
      'get_user_details',
      'list_all_airports',
      'search_direct_flight',
      'search_onestop_flight',
      'send_certificate',
      'transfer_to_human_agents',
      'update_reservation_baggages',
      'update_reservation_flights',
      'update_reservation_passengers',
      'get_flight_status',
    ],
  },
} as const;

const checkout = (): string => sharedPath('tau2-bench');

function assembled(domain: 'retail' | 'airline'): { agent: string; user: string; tools: string; list: PackTool[] } {
  const source = detectTaskSource(checkout(), domain);
  expect(source.kind).toBe('tau2');
  expect(source.checkout).toBe(checkout());
  const pack = tau2ReferenceReader(source, domain);
  const policy = readFileSync(source.policyFile as string, 'utf8');
  const task = loadTasksFrom(source, 'base').find((t) => t.id === '0');
  if (task === undefined) throw new Error('task 0 missing');
  const userTemplate = pack.users[TAU2_USER_KEYS.system] as string;
  return {
    agent: renderTemplate(pack.agent.toolCallingSystem, { policy }),
    user: renderTemplate(userTemplate, { instructions: task.instruction }),
    tools: pack.tools,
    list: JSON.parse(pack.tools) as PackTool[],
  };
}

describe('τ² reference pack from ../shared/tau2-bench', () => {
  for (const domain of ['retail', 'airline'] as const) {
    it(`${domain}: agent prompt, user prompt and tool schemas are the pinned assembly`, () => {
      const a = assembled(domain);
      const pin = PINNED[domain];
      expect(sha256(a.agent)).toBe(pin.agent);
      expect(sha256(a.user)).toBe(pin.user);
      expect(sha256(a.tools)).toBe(pin.tools);
      expect(a.list.map((t) => t.function.name)).toEqual(pin.toolNames);
      // Structure: instruction block, then the policy verbatim.
      expect(a.agent.startsWith('<instructions>\n')).toBe(true);
      expect(a.agent.endsWith(`<policy>\n${readFileSync(join(checkout(), 'data/tau2/domains', domain, 'policy.md'), 'utf8')}\n</policy>`)).toBe(true);
      expect(a.user.endsWith(`<scenario>\n${loadTasksFrom(detectTaskSource(checkout(), domain), 'base').find((t) => t.id === '0')?.instruction}\n</scenario>`)).toBe(true);
      expect(a.user).not.toContain('<PERSONA_GUIDELINES>');
      for (const t of a.list) {
        expect(t.type).toBe('function');
        expect(t.function.parameters.title).toBe('parameters');
        expect(t.function.parameters.type).toBe('object');
        expect(t.function.parameters).not.toHaveProperty('additionalProperties');
      }
    });
  }

  it('retail: a multi-line Args entry, a list parameter and a tool without parameters', () => {
    const { list } = assembled('retail');
    const exchange = list.find((t) => t.function.name === 'exchange_delivered_order_items')?.function;
    const params = exchange?.parameters as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(Object.keys(params.properties)).toEqual(['order_id', 'item_ids', 'new_item_ids', 'payment_method_id']);
    expect(params.required).toEqual(['order_id', 'item_ids', 'new_item_ids', 'payment_method_id']);
    expect(params.properties.item_ids).toMatchObject({ type: 'array', items: { type: 'string' }, title: 'Item Ids' });
    // Continuation lines are dedented and joined with newlines, as docstring_parser does.
    expect(String(params.properties.new_item_ids?.description).split('\n')).toHaveLength(3);
    // Short description, blank line, long description.
    expect(exchange?.description.split('\n')[1]).toBe('');
    const list_all = list.find((t) => t.function.name === 'list_all_product_types')?.function.parameters;
    expect(list_all).toEqual({ properties: {}, title: 'parameters', type: 'object' });
  });

  it('airline: Literal aliases become enums, models become $defs, dict unions stay open', () => {
    const { list } = assembled('airline');
    const book = list.find((t) => t.function.name === 'book_reservation')?.function.parameters as {
      $defs: Record<string, { required: string[]; title: string }>;
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(Object.keys(book.$defs)).toEqual(['FlightInfo', 'Passenger', 'Payment']);
    expect(book.$defs.Passenger?.required).toEqual(['first_name', 'last_name', 'dob']);
    expect(book.properties.cabin).toMatchObject({ enum: ['business', 'economy', 'basic_economy'], type: 'string', title: 'Cabin' });
    expect(book.properties.total_baggages).toMatchObject({ type: 'integer' });
    expect(book.properties.flights?.items).toEqual({ anyOf: [{ $ref: '#/$defs/FlightInfo' }, { additionalProperties: true, type: 'object' }] });
    expect(book.required).toHaveLength(11);
    expect(Object.keys(book)).toEqual(['$defs', 'properties', 'required', 'title', 'type']);
  });

  it('the pack is a reference pack with τ²’s behaviour and a stable identity', () => {
    const pack = loadTau2ReferencePack(checkout(), 'retail');
    expect(pack.kind).toBe('reference');
    expect(pack.source).toContain('τ² checkout');
    expect(pack.behaviour).toMatchObject({ defaultMaxTokens: false, toolMessageName: false, malformedToolArguments: 'end-episode', userTemperature: 0 });
    expect(packToolSpecs(pack).map((t) => t.name)).toEqual(PINNED.retail.toolNames);
    const id = packIdentity(pack);
    expect(id.sha256.tools).toBe(PINNED.retail.tools);
    expect(Object.keys(id.sha256)).toContain(`users.${TAU2_USER_KEYS.system}`);
    expect(packIdentity(loadTau2ReferencePack(checkout(), 'airline')).sha256['agent.toolCallingSystem']).toBe(id.sha256['agent.toolCallingSystem']);
  });
});

describe('the τ² user simulator with the τ² pack', () => {
  it('the llm user sends τ²’s system prompt for the task and the role-flipped conversation', async () => {
    const source = detectTaskSource(checkout(), 'airline');
    const pack = tau2ReferenceReader(source, 'airline');
    const task = loadTasksFrom(source, 'base').find((t) => t.id === '0');
    if (task === undefined) throw new Error('task 0 missing');
    const model = new ScriptedModel(() => ({ text: 'I want to cancel a trip.' }));
    const context: UserSimulatorContext = {
      semantics: 'tau2',
      model,
      trial: 0,
      seed: 1,
      random: () => 0.5,
      signal: new AbortController().signal,
      note: () => {},
      environment: { actions: () => [], db: toyBase().fork(), registry: toyRegistry() },
      pack,
    };
    const user = BUILT_IN_USERS.llm?.create(context);
    expect(user).toBeInstanceOf(LlmUser);
    expect(await user?.start(task)).toBeNull();
    await user?.reply('Hi! How can I help you today?');
    expect(sha256(model.requests[0]?.system ?? '')).toBe(PINNED.airline.user);
    expect(model.requests[0]?.messages).toEqual([{ role: 'user', content: 'Hi! How can I help you today?' }]);
  });
});

describe('pack selection on τ² data', () => {
  it('the pack names the tools and parameters the τ² tool variant implements, in the same order', () => {
    for (const domain of ['retail', 'airline'] as const) {
      const registry = DOMAINS[domain]?.registry('tau2').specs() ?? [];
      const pack = packToolSpecs(loadTau2ReferencePack(checkout(), domain));
      expect(pack.map((t) => t.name)).toEqual(registry.map((t) => t.name));
      const params = (specs: typeof pack): string[][] => specs.map((t) => Object.keys((t.parameters as { properties: object }).properties));
      expect(params(pack)).toEqual(params(registry));
    }
  });

  it('a τ² checkout defaults to its reference pack; a bare τ² domain directory to the harness pack', () => {
    const inCheckout = detectTaskSource(checkout(), 'retail');
    const bare = detectTaskSource(sharedPath('tau2'), 'retail');
    expect(defaultPackKind(inCheckout)).toBe('reference');
    expect(defaultPackKind(bare)).toBe('harness');
    const pack = buildPromptPack({ kind: null, source: inCheckout, domain: 'retail', tools: [] });
    expect(packIdentity(pack).sha256.tools).toBe(PINNED.retail.tools);
    expect(buildPromptPack({ kind: null, source: bare, domain: 'retail', tools: [] }).kind).toBe('harness');
    expect(buildPromptPack({ kind: 'harness', source: inCheckout, domain: 'retail', tools: [] }).kind).toBe('harness');
    expect(() => buildPromptPack({ kind: 'reference', source: bare, domain: 'retail', tools: [] })).toThrow(/τ² checkout/);
  });
});

describe('τ² reference pack: sources and shapes it refuses', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function copyCheckout(): string {
    const dir = mkdtempSync(join(tmpdir(), 'tau2-checkout-'));
    dirs.push(dir);
    cpSync(join(checkout(), 'src'), join(dir, 'src'), { recursive: true });
    cpSync(join(checkout(), 'data', 'tau2', 'user_simulator'), join(dir, 'data', 'tau2', 'user_simulator'), { recursive: true });
    cpSync(join(checkout(), 'data', 'tau2', 'domains', 'airline'), join(dir, 'data', 'tau2', 'domains', 'airline'), { recursive: true });
    return dir;
  }

  it('a bare τ² domain directory has no reference pack (usage error naming the layout)', () => {
    const source = detectTaskSource(sharedPath('tau2'), 'retail');
    expect(source.checkout).toBeUndefined();
    expect(() => tau2ReferenceReader(source, 'retail')).toThrow(UsageError);
    expect(() => tau2ReferenceReader(source, 'retail')).toThrow(/τ² checkout/);
  });

  it('finds the checkout from its domain directory too', () => {
    const source = detectTaskSource(join(checkout(), 'data', 'tau2', 'domains'), 'airline');
    expect(source.checkout).toBe(checkout());
  });

  it('a tool annotated with a type it does not know fails naming tools.py and the line', () => {
    const dir = copyCheckout();
    const file = join(dir, 'src/tau2/domains/airline/tools.py');
    writeFileSync(file, readFileSync(file, 'utf8').replace('def send_certificate(self, user_id: str, amount: int)', 'def send_certificate(self, user_id: str, amount: Decimal)'));
    expect(() => loadTau2Tools(dir, 'airline')).toThrow(DataError);
    expect(() => loadTau2Tools(dir, 'airline')).toThrow(/airline\/tools\.py:\d+:\d+: unsupported type Decimal/);
  });

  it('a reST docstring is refused rather than read differently', () => {
    const dir = copyCheckout();
    const file = join(dir, 'src/tau2/domains/airline/tools.py');
    const text = readFileSync(file, 'utf8');
    const changed = text.replace('            flight_number: The flight number.\n', '            flight_number: The flight number.\n\n        :param date: the date\n');
    expect(changed).not.toBe(text);
    writeFileSync(file, changed);
    expect(() => loadTau2Tools(dir, 'airline')).toThrow(/docstring of get_flight_status: .*reST/);
  });

  it('a missing agent module or an unknown template field fails naming the file', () => {
    const dir = copyCheckout();
    const agent = join(dir, 'src/tau2/agent/llm_agent.py');
    const text = readFileSync(agent, 'utf8');
    writeFileSync(agent, text.replace('{domain_policy}', '{domain_policy}\n{tools}'));
    expect(() => loadTau2ReferencePack(dir, 'airline')).toThrow(/llm_agent\.py: template field \{tools\}/);
    rmSync(agent);
    expect(() => loadTau2ReferencePack(dir, 'airline')).toThrow(/llm_agent\.py/);
  });
});

describe('pyFormat', () => {
  it('fills named fields and unescapes doubled braces', () => {
    expect(pyFormat('{a} {{b}} }}{a}', { a: 'x' }, 't')).toBe('x {b} }x');
  });
  it('refuses positional, formatted and unknown fields and lone braces', () => {
    expect(() => pyFormat('{0}', {}, 't')).toThrow(/unsupported format field/);
    expect(() => pyFormat('{a!r}', { a: 'x' }, 't')).toThrow(/unsupported format field/);
    expect(() => pyFormat('{b}', { a: 'x' }, 't')).toThrow(/not one τ² fills/);
    expect(() => pyFormat('a } b', {}, 't')).toThrow(/single '}'/);
  });
});
