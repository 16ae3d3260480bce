/**
 * Request conformance with τ-bench v1: every request τ-bench made in the scripted conversations of
 * `$TAU_SHARED/conformance/requests/*.jsonl` must be what `taubp run --data $TAU_SHARED/tau-bench`
 * sends, through the real openai SDK to the fake OpenAI server answering with the recorded
 * responses, after only the normalisations that folder's README lists:
 * - `None`-valued keys dropped (null and absent are the same on the wire);
 * - tool-call ids compared by order of appearance;
 * - the throw-away user-simulator calls made while τ-bench constructs environments (no
 *   `Instruction:` line in the system prompt) are not expected.
 * The Anthropic provider must carry the same system text, messages and tool descriptions for the
 * same files in its own wire format (compared after mapping its body back to the chat form).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRun } from '../cli/commands/run.js';
import { FakeAnthropicServer } from '../models/fake/fake-anthropic-server.js';
import { FakeOpenAIServer } from '../models/fake/fake-openai-server.js';
import { faults, type FakeReply, type FakeResponse, type RecordedRequest } from '../models/fake/fake-server.js';
import { readEpisodes, readManifest } from '../runner/results.js';
import { sharedPath } from '../../test/shared-data.js';
import { quietRunIo } from '../../test/quiet-run-io.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Case {
  case: string;
  domain: string;
  split: string;
  task_index: number;
  agent: string;
  user: string;
  seed: number;
}

interface Call {
  seq: number;
  request: { [k: string]: Json };
  response: { content: string | null; tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> | null };
}

const DIR = sharedPath('conformance', 'requests');
const CHECKOUT = sharedPath('tau-bench');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();

function load(file: string): { meta: Case; calls: Call[] } {
  const lines = readFileSync(join(DIR, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const [first, ...rest] = lines;
  return { meta: JSON.parse(first as string) as Case, calls: rest.map((l) => JSON.parse(l) as Call) };
}

/**
 * A τ-bench call made while constructing environments, before the task is known: a
 * user-simulator call (no tools, no agent tool list) whose first message has no `Instruction:`
 * line. Not expected of a port.
 */
function isThrowAway(call: Call): boolean {
  const messages = call.request['messages'] as Array<{ role: string; content: string | null }>;
  const first = messages[0]?.content ?? '';
  const agent = call.request['tools'] !== undefined || first.includes('#Available tools');
  return !agent && !/^Instruction:/m.test(first);
}

/** Drops null-valued keys, recursively. */
function dropNulls(v: Json): Json {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
    return out;
  }
  return v;
}

/** Renames tool-call ids (`tool_calls[].id`, `tool_call_id`) by order of first appearance. */
function renumberIds(v: Json): Json {
  const ids = new Map<string, string>();
  const rename = (id: string): string => {
    if (!ids.has(id)) ids.set(id, `id_${ids.size}`);
    return ids.get(id) as string;
  };
  const walk = (x: Json, key?: string): Json => {
    if (Array.isArray(x)) return x.map((e) => walk(e, key));
    if (x !== null && typeof x === 'object') {
      const out: { [k: string]: Json } = {};
      for (const [k, y] of Object.entries(x)) {
        if (k === 'tool_call_id' && typeof y === 'string') out[k] = rename(y);
        else if (k === 'id' && key === 'tool_calls' && typeof y === 'string') out[k] = rename(y);
        else out[k] = walk(y, k);
      }
      return out;
    }
    return x;
  };
  return walk(v);
}

function normalise(request: Json): Json {
  return renumberIds(dropNulls(request));
}

function openAIReply(call: Call): FakeReply {
  const calls = call.response.tool_calls ?? [];
  return {
    text: call.response.content,
    ...(calls.length === 0 ? {} : { toolCalls: calls.map((c) => ({ id: c.id, name: c.function.name, rawArguments: c.function.arguments })) }),
  };
}

function argv(meta: Case, spec: (role: 'agent' | 'user') => string, baseUrl: string, out: string): string[] {
  const domainClass = `Mock${meta.domain[0]?.toUpperCase() ?? ''}${meta.domain.slice(1)}DomainEnv`;
  return [
    '--data', CHECKOUT,
    '--domain', meta.domain,
    '--split', meta.split,
    '--tasks', String(meta.task_index),
    '--agent', meta.agent,
    '--user', meta.user,
    '--model', spec('agent'),
    '--user-model', spec('user'),
    '--seed', String(meta.seed),
    '--concurrency', '1',
    '--trials', '1',
    '--max-retries', '0',
    '--base-url', baseUrl,
    '--out', out,
    ...(meta.agent === 'few-shot' ? ['--few-shot', join(CHECKOUT, 'few_shot_data', `${domainClass}-few_shot.jsonl`)] : []),
  ];
}

const servers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('request conformance with τ-bench v1 (OpenAI wire format)', () => {
  it('finds the 11 recorded conversations', () => {
    expect(FILES).toHaveLength(11);
  });

  for (const file of FILES) {
    it(`${file}: every request equals τ-bench's`, async () => {
      const { meta, calls } = load(file);
      const expected = calls.filter((c) => !isThrowAway(c));
      expect(expected.length).toBeGreaterThan(0);
      const server = await FakeOpenAIServer.start((_body, i): FakeResponse => {
        const call = expected[i];
        return call === undefined ? faults.status(400, 'no more recorded responses') : openAIReply(call);
      });
      servers.push(server);
      const out = join(mkdtempSync(join(tmpdir(), 'taubp-conf-')), 'run');
      const code = await runRun(argv(meta, () => 'openai:gpt-4o', server.url, out), quietRunIo({ env: { OPENAI_API_KEY: 'sk-test' } }));
      const sent = server.requests.map((r: RecordedRequest) => r.body as Json);
      for (let i = 0; i < Math.max(sent.length, expected.length); i++) {
        const want = expected[i];
        const got = sent[i];
        expect(got === undefined ? `request ${i} was not sent` : normalise(got), `${file}: request ${i} (τ-bench seq ${want?.seq ?? '–'})`).toEqual(
          want === undefined ? `no request ${i} in τ-bench` : normalise(want.request),
        );
      }
      expect(code).toBe(0);
      const manifest = readManifest(out);
      expect(manifest.config.prompts).toBe('reference');
      expect(manifest.metadata.prompts?.kind).toBe('reference');
      const [episode] = readEpisodes(join(out, 'episodes.jsonl')).records;
      if (file.includes('errors')) {
        // Malformed tool-call JSON: the reference's episode ends with reward 0 as the agent's failure.
        expect(episode?.termination.reason).toBe('agent_error');
        expect(episode?.reward).toBe(0);
      }
    });
  }
});

// ---- Anthropic: the same content in its own wire format ----

/** Maps an Anthropic Messages body back to chat form (system first, tool results as tool messages). */
function anthropicToChat(body: { [k: string]: Json }): { [k: string]: Json } {
  const messages: Json[] = [];
  const system = body['system'];
  if (Array.isArray(system)) messages.push({ role: 'system', content: system.map((b) => (b as { text: string }).text).join('') });
  const toolNames = new Map<string, string>();
  for (const m of body['messages'] as Array<{ role: string; content: Json }>) {
    if (typeof m.content === 'string') {
      messages.push({ role: m.role, content: m.content });
      continue;
    }
    const blocks = m.content as Array<{ [k: string]: Json }>;
    if (m.role === 'assistant') {
      // Consecutive assistant messages share one turn: each text block starts a message, the
      // tool_use blocks after it are that message's tool calls.
      let current: { role: 'assistant'; content: string | null; tool_calls?: Json[] } | undefined;
      for (const b of blocks) {
        if (b['type'] === 'text' || current === undefined) {
          current = { role: 'assistant', content: b['type'] === 'text' ? (b['text'] as string) : null };
          messages.push(current as unknown as Json);
        }
        if (b['type'] === 'tool_use') {
          toolNames.set(b['id'] as string, b['name'] as string);
          (current.tool_calls ??= []).push({ id: b['id'] as string, type: 'function', function: { name: b['name'] as string, arguments: b['input'] as Json } });
        }
      }
      continue;
    }
    for (const b of blocks) {
      if (b['type'] === 'text') messages.push({ role: 'user', content: b['text'] as string });
      else if (b['type'] === 'tool_result') {
        messages.push({ role: 'tool', tool_call_id: b['tool_use_id'] as string, name: toolNames.get(b['tool_use_id'] as string) ?? '?', content: b['content'] as Json });
      }
    }
  }
  const out: { [k: string]: Json } = { messages };
  const tools = body['tools'] as Array<{ [k: string]: Json }> | undefined;
  if (tools !== undefined) {
    out['tools'] = tools.map((t) => ({ type: 'function', function: { name: t['name'] as string, description: t['description'] as string, parameters: t['input_schema'] as Json } }));
  }
  if (body['temperature'] !== undefined) out['temperature'] = body['temperature'] as Json;
  return out;
}

/** The recorded request in the same comparable form: no model, tool-call arguments parsed. */
function chatComparable(request: { [k: string]: Json }): Json {
  const copy = dropNulls(request) as { [k: string]: Json };
  delete copy['model'];
  const messages = (copy['messages'] as Array<{ [k: string]: Json }>).map((m) => {
    const calls = m['tool_calls'] as Array<{ [k: string]: Json }> | undefined;
    const content = m['role'] === 'assistant' && (m['content'] === '' || m['content'] === undefined) ? null : m['content'];
    const base: { [k: string]: Json } = { ...m, content: content ?? null };
    if (calls === undefined) return base;
    return {
      ...base,
      tool_calls: calls.map((c) => {
        const fn = c['function'] as { name: string; arguments: string };
        return { id: c['id'] as string, type: 'function', function: { name: fn.name, arguments: JSON.parse(fn.arguments) as Json } };
      }),
    };
  });
  return renumberIds({ ...copy, messages });
}

describe('the Anthropic provider carries the same content (system text, messages, tool descriptions)', () => {
  for (const file of FILES) {
    it(`${file}: every request carries τ-bench's content losslessly`, async () => {
      const { meta, calls } = load(file);
      const expected = calls.filter((c) => !isThrowAway(c));
      // A reply Anthropic cannot express (malformed tool-call JSON: its tool inputs are parsed
      // objects) ends the comparison: the requests before it are compared.
      let comparable = expected.length;
      const server = await FakeAnthropicServer.start((_body, i): FakeResponse => {
        const call = expected[i];
        if (call === undefined || i >= comparable) return faults.status(400, 'no more recorded responses');
        try {
          const toolCalls = (call.response.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: JSON.parse(c.function.arguments) as unknown }));
          return { text: call.response.content, ...(toolCalls.length === 0 ? {} : { toolCalls }) };
        } catch {
          comparable = i + 1;
          return faults.status(400, 'not expressible in the Anthropic wire format');
        }
      });
      servers.push(server);
      const out = join(mkdtempSync(join(tmpdir(), 'taubp-conf-a-')), 'run');
      await runRun(argv(meta, () => 'anthropic:claude-conformance-test', server.url, out), quietRunIo({ env: { ANTHROPIC_API_KEY: 'sk-ant-test' } }));
      const sent = server.requests.map((r: RecordedRequest) => r.body as { [k: string]: Json });
      expect(sent.length).toBeGreaterThanOrEqual(comparable);
      for (let i = 0; i < comparable; i++) {
        const want = expected[i] as Call;
        expect(renumberIds(anthropicToChat(sent[i] as { [k: string]: Json })), `${file}: request ${i} (τ-bench seq ${want.seq})`).toEqual(chatComparable(want.request));
      }
    });
  }
});
