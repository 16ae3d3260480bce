import { describe, expect, it } from 'vitest';
import { ProviderError, ReplayDivergenceError } from '../core/errors.js';
import { EPISODE_TAG_KEY, ReplayBook, ReplayModel, episodeTagOf, type EpisodeTag } from './replay-model.js';
import { recordedResponseOf, requestHashOf, withRole } from './role.js';
import type { CallRecord, ChatModel, ChatRequest, ChatResponse } from './types.js';

const ask = (text: string, tag: EpisodeTag, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  system: 'policy',
  messages: [{ role: 'user', content: text }],
  ...extra,
  privileged: { [EPISODE_TAG_KEY]: tag },
});

/** A model answering `<text> #<n>` with the n-th call overall: identical requests get different answers. */
function counting(): ChatModel {
  let n = 0;
  return {
    id: 'test:counting',
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const last = request.messages.at(-1);
      const text = `${last?.role === 'user' ? last.content : ''} #${++n}`;
      return { text, toolCalls: [], finishReason: 'stop', usage: { input: 10, output: n }, latencyMs: 3, costUsd: 0.01, retries: n % 2, retryWaitMs: 5, model: 'test:counting' };
    },
  };
}

async function record(model: ChatModel, requests: Array<[EpisodeTag, ChatRequest]>): Promise<Map<string, CallRecord[]>> {
  const byEpisode = new Map<string, CallRecord[]>();
  for (const [tag, request] of requests) {
    const key = `${tag.taskId}#${tag.trial}`;
    const sink = byEpisode.get(key) ?? [];
    byEpisode.set(key, sink);
    await withRole(model, tag.role, sink, () => 0, { replayable: true }).complete(request);
  }
  return byEpisode;
}

describe('withRole (replayable)', () => {
  it('records the response, the request hash and the per-role start order', async () => {
    const sink: CallRecord[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const slowFirst: ChatModel = {
      id: 'test:slow',
      async complete(request) {
        if (calls++ === 0) await gate;
        const text = (request.messages[0] as { content: string }).content;
        return { text: null, toolCalls: [{ id: 'c1', name: 'look', rawArguments: `{"q": "${text}"}`, arguments: { q: text } }], finishReason: 'tool_calls', usage: { input: 1 }, latencyMs: 1, costUsd: null, retries: 0, retryWaitMs: 0, model: 'test:slow' };
      },
    };
    const model = withRole(slowFirst, 'agent', sink, () => 7, { replayable: true });
    const first = model.complete({ messages: [{ role: 'user', content: 'a' }] });
    await model.complete({ messages: [{ role: 'user', content: 'b' }] });
    release();
    await first;
    // Finished in the order b, a; `seq` keeps the order they started in.
    expect(sink.map((c) => [c.seq, c.response?.toolCalls?.[0]?.arguments])).toEqual([
      [1, '{"q": "b"}'],
      [0, '{"q": "a"}'],
    ]);
    expect(sink[1]).toMatchObject({ requestHash: requestHashOf({ messages: [{ role: 'user', content: 'a' }] }), response: { text: null, finishReason: 'tool_calls' } });
    expect(sink[1]?.response?.toolCalls?.[0]).toEqual({ id: 'c1', name: 'look', arguments: '{"q": "a"}' });
  });

  it('hashes what a provider would see: privileged context and endpoint do not count, the trial does', () => {
    const base: ChatRequest = { messages: [{ role: 'user', content: 'x' }], temperature: 0 };
    expect(requestHashOf({ ...base, privileged: { task: 1 } })).toBe(requestHashOf(base));
    expect(requestHashOf({ ...base, trial: 1 })).not.toBe(requestHashOf(base));
    expect(requestHashOf({ ...base, temperature: 1 })).not.toBe(requestHashOf(base));
    expect(requestHashOf(base)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('ReplayBook / ReplayModel', () => {
  const a: EpisodeTag = { taskId: 't1', trial: 0, role: 'agent' };
  const b: EpisodeTag = { taskId: 't2', trial: 0, role: 'agent' };
  const bUser: EpisodeTag = { taskId: 't2', trial: 0, role: 'user' };

  it('answers identical requests of different episodes each from its own episode, per role, in call order', async () => {
    const recorded = await record(counting(), [
      [a, ask('hello', a)],
      [b, ask('hello', b)],
      [bUser, ask('hello', bUser)],
      [a, ask('next', a)],
    ]);
    const book = new ReplayBook([...recorded].map(([key, calls]) => ({ taskId: key.split('#')[0] as string, trial: 0, calls })));
    const model = new ReplayModel('test:counting', book);
    // Asked in another order than recorded: still each episode's own answers.
    const bAnswer = await model.complete(ask('hello', b));
    const bUserAnswer = await model.complete(ask('hello', bUser));
    const aAnswer = await model.complete(ask('hello', a));
    const aNext = await model.complete(ask('next', a));
    expect([aAnswer.text, bAnswer.text, bUserAnswer.text, aNext.text]).toEqual(['hello #1', 'hello #2', 'hello #3', 'next #4']);
    expect(aNext).toMatchObject({ usage: { input: 10, output: 4 }, costUsd: 0, retries: 0, latencyMs: 0, model: 'test:counting' });
    expect(book.divergences).toEqual([]);
    expect(book.unusedCalls('t1', 0)).toEqual([]);
  });

  it('reports a changed request and a call beyond the recorded ones as divergences', async () => {
    const recorded = await record(counting(), [[a, ask('hello', a)]]);
    const book = new ReplayBook([{ taskId: 't1', trial: 0, calls: recorded.get('t1#0') as CallRecord[] }]);
    const model = new ReplayModel('test:counting', book);
    await expect(model.complete(ask('hello there', a))).rejects.toThrow(ReplayDivergenceError);
    await expect(model.complete(ask('more', a))).rejects.toThrow(/agent call 2 of task t1 trial 0 was not made in the recorded run \(it made 1\)/);
    await expect(model.complete(ask('x', { taskId: 'nope', trial: 0, role: 'agent' }))).rejects.toThrow(/task nope trial 0 has no recorded episode/);
    await expect(model.complete({ messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow(/without episode context/);
    expect(book.divergences.map((d) => d.kind)).toEqual(['request_changed', 'extra_call', 'no_episode', 'untagged']);
    expect(book.divergences[0]?.message).toMatch(/agent call 1 of task t1 trial 0 sent a different request \(hash [0-9a-f]{16}, recorded [0-9a-f]{16}\)/);
  });

  it('fails the first call beyond the record the way the recorded episode ended (after retries), then counts divergences', async () => {
    const recorded = await record(counting(), [[a, ask('hello', a)]]);
    const book = new ReplayBook([{ taskId: 't1', trial: 0, calls: recorded.get('t1#0') as CallRecord[], failure: { message: 'test: HTTP 400 context length', code: 'provider_rejected' } }]);
    const model = new ReplayModel('test:counting', book);
    await model.complete(ask('hello', a));
    const err = (await model.complete(ask('again', a)).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect([err.message, err.code]).toEqual(['test: HTTP 400 context length', 'provider_rejected']);
    expect(book.divergences).toEqual([]);
    await expect(model.complete(ask('once more', a))).rejects.toThrow(ReplayDivergenceError);
  });

  it('returns tool calls as the caller first saw them (raw text, parsed value or parse error)', async () => {
    const calls: CallRecord[] = [];
    const tools: ChatModel = {
      id: 'test:tools',
      async complete() {
        return {
          text: null,
          toolCalls: [
            { id: 'c1', name: 'f', rawArguments: '{"n": 1.0}', arguments: { n: 1 } },
            { id: 'c2', name: 'g', rawArguments: '{bad', arguments: undefined, parseError: 'invalid JSON in tool arguments: Expected property name' },
          ],
          finishReason: 'tool_calls',
          usage: {},
          latencyMs: 1,
          costUsd: null,
          retries: 0,
          retryWaitMs: 0,
          model: 'test:tools',
        };
      },
    };
    const original = await withRole(tools, 'agent', calls, () => 0, { replayable: true }).complete(ask('go', a));
    expect(calls[0]?.response).toEqual(recordedResponseOf(original));
    const replayed = await new ReplayModel('test:tools', new ReplayBook([{ taskId: 't1', trial: 0, calls }])).complete(ask('go', a));
    expect(replayed.toolCalls).toEqual(original.toolCalls);
    expect(episodeTagOf(ask('go', a))).toEqual(a);
  });
});
