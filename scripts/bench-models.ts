/**
 * Model-layer overhead benchmark (`npm run bench:models`).
 *
 * Against a local zero-latency fake server, times the same request sent (a) with a bare
 * `fetch` + JSON parse and (b) through `createModel(...).complete()` (SDK, limiter, retry
 * wrapper, pricing, response mapping; cache off). Calls alternate between the two so drift
 * affects both alike. Prints the medians and the overhead, and exits 1 when the median
 * overhead per call is 1 ms or more.
 *
 * Options: `--calls N` (default 1500 per side), `--warmup N` (default 200).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createModel, LimiterRegistry, toAnthropicBody, toOpenAIBody, type ChatRequest } from '../src/models/index.js';
import { FakeAnthropicServer, FakeOpenAIServer, type FakeLlmServer } from '../src/models/fake/index.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '1500' }, warmup: { type: 'string', default: '200' } } });
const CALLS = Number(values.calls);
const WARMUP = Number(values.warmup);
const LIMIT_MS = 1;
const API_KEY = 'sk-bench-not-a-real-key';

const request: ChatRequest = {
  system: 'You are a helpful retail agent. Follow the policy.',
  messages: [
    { role: 'user', content: 'Where is my order #W1234567?' },
    { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'get_order_details', arguments: '{"order_id":"#W1234567"}' }] },
    { role: 'tool', toolCallId: 'call_1', name: 'get_order_details', content: '{"status":"delivered"}' },
  ],
  tools: [{ name: 'get_order_details', description: 'Get the status and details of an order.', parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] } }],
  temperature: 0,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

interface Case {
  name: string;
  spec: string;
  server: FakeLlmServer;
  rawUrl: string;
  rawHeaders: Record<string, string>;
  rawBody: string;
}

async function bench(c: Case): Promise<{ raw: number; layer: number; overhead: number }> {
  const model = createModel(c.spec, { apiKey: API_KEY, baseUrl: c.server.url, limiters: new LimiterRegistry(), warn: () => {} });
  const raw = async (): Promise<void> => {
    const res = await fetch(c.rawUrl, { method: 'POST', headers: c.rawHeaders, body: c.rawBody });
    if (!res.ok) throw new Error(`raw fetch failed: ${res.status}`);
    await res.json();
  };
  const layer = async (): Promise<void> => {
    const res = await model.complete(request);
    if (res.text === null && res.toolCalls.length === 0) throw new Error('empty response');
  };
  for (let i = 0; i < WARMUP; i++) {
    await raw();
    await layer();
  }
  const rawMs: number[] = [];
  const layerMs: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    let t = performance.now();
    await raw();
    rawMs.push(performance.now() - t);
    t = performance.now();
    await layer();
    layerMs.push(performance.now() - t);
  }
  const r = median(rawMs);
  const l = median(layerMs);
  return { raw: r, layer: l, overhead: l - r };
}

const reply = { text: 'Your order #W1234567 was delivered.', usage: { input: 120, cacheRead: 0, output: 12 } };
const openai = await FakeOpenAIServer.start(() => reply);
const anthropic = await FakeAnthropicServer.start(() => reply);
const started = performance.now();
let failed = false;
try {
  const cases: Case[] = [
    {
      name: 'openai chat-completions',
      spec: 'openai:gpt-4o-mini',
      server: openai,
      rawUrl: `${openai.url}/chat/completions`,
      rawHeaders: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      rawBody: JSON.stringify(toOpenAIBody('gpt-4o-mini', request, { maxTokensParam: 'max_completion_tokens', defaultMaxTokens: 4096 })),
    },
    {
      name: 'anthropic messages',
      spec: 'anthropic:claude-haiku-4-5',
      server: anthropic,
      rawUrl: `${anthropic.url}/v1/messages`,
      rawHeaders: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, 'anthropic-version': '2026-10-21' },
      rawBody: JSON.stringify(toAnthropicBody('claude-haiku-4-5', request, 4096)),
    },
  ];
  console.log(`model-layer overhead, ${CALLS} sequential calls per side after ${WARMUP} warm-up calls, local zero-latency server`);
  for (const c of cases) {
    const r = await bench(c);
    const ok = r.overhead < LIMIT_MS;
    failed ||= !ok;
    console.log(
      `${c.name.padEnd(24)} median raw fetch ${r.raw.toFixed(3)} ms | median layer ${r.layer.toFixed(3)} ms | overhead ${r.overhead.toFixed(3)} ms ${ok ? 'OK' : 'FAIL'} (limit < ${LIMIT_MS} ms)`,
    );
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await openai.close();
  await anthropic.close();
}
if (failed) process.exitCode = 1;
