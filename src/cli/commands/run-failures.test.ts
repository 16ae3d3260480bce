/**
 * `taubp run` fails loudly and keeps secrets: each failure of issue 10's "Loud failures" (wrong
 * URL, all-500s, a hung server, 401, replay cache miss, --max-errors, a 400 counted as the
 * agent's failure) and each case of "Secrets and input" (keys in the base URL, a key echoed
 * in a reply, --api-key, non-UTF-8 input files, an empty policy, the simulated model as the
 * LLM customer), run in process against the fake servers on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createModel, type CreateModelOptions } from '../../models/create-model.js';
import { LimiterRegistry } from '../../models/limiter.js';
import { closedPort, faults, FakeOpenAIServer, type FakeHandler } from '../../models/fake/index.js';
import { readEpisodes, readManifest } from '../../runner/results.js';
import { runRun } from './run.js';
import { bankData, bankRunIo } from './testing/bank.js';

// The bank domain (./testing/bank.ts): 4 tasks, task i deposits i + 1 into A1.
const data = bankData();

interface Outcome {
  code: number;
  out: string;
  err: string;
  dir: string;
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'taubp-fail-out-'));

/** Fast retries, no keys from the real environment, a private limiter registry. */
const testModelOptions = (): CreateModelOptions => ({ env: {}, retry: { baseDelayMs: 1, maxDelayMs: 2 }, limiters: new LimiterRegistry(), warn: () => {} });

async function run(args: string[], modelOptions: CreateModelOptions = testModelOptions()): Promise<Outcome> {
  const dir = args.includes('--out') ? (args[args.indexOf('--out') + 1] as string) : join(tmp(), 'run');
  const io = bankRunIo(createModel, { modelOptions });
  const code = await runRun([...args, ...(args.includes('--out') ? [] : ['--out', dir])], io.io);
  return { code, out: io.out(), err: io.err(), dir };
}

const base = (url: string, ...extra: string[]): string[] => ['--domain', 'bank', '--data', data, '--model', 'openai-compatible:foo', '--base-url', url, '--user', 'scripted', ...extra];

let servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function fake(handler: FakeHandler): Promise<FakeOpenAIServer> {
  const s = await FakeOpenAIServer.start(handler);
  servers.push(s);
  return s;
}

/** Every file under `dir` (recursively) with its text. */
function filesUnder(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push([path, readFileSync(path, 'utf8')]);
  }
  return out;
}

describe('loud failures', () => {
  it('a wrong --base-url (connection refused) exits 1 and prints the cause with the endpoint', async () => {
    const port = await closedPort();
    const r = await run(base(`http://127.0.0.1:${port}/v1`, '--max-retries', '1', '--tasks', '0-1'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`First infrastructure error \\(task 0, trial 0\\): openai-compatible:foo at http://127\\.0\\.0\\.1:${port}/v1: connection error: .*ECONNREFUSED.*\\(after 1 retry\\)`));
    expect(r.err).toMatch(/error: no episode was counted: every episode failed \(first: .*ECONNREFUSED/);
    expect(r.err).toContain(`taubp run --resume --out ${r.dir}`);
    // --max-retries and --request-timeout are recorded in run.json (not identity settings)
    expect(readManifest(r.dir).config).toMatchObject({ maxRetries: 1, requestTimeout: null });
  });

  it('all-500s stop new episodes after 5 infrastructure errors in a row, say why, point to --resume and exit 1', async () => {
    const server = await fake(() => faults.serverError(500));
    const r = await run(base(server.url, '--max-retries', '0', '--trials', '2', '--concurrency', '1'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: 5 infrastructure errors in a row \(last: openai-compatible:foo at http:\/\/127\.0\.0\.1:\d+\/v1: HTTP 500: The server had an error\); not starting new episodes/);
    expect(r.err).toMatch(/the run stopped: .* 3 episode\(s\) were not started\. .*taubp run --resume --out/);
    expect(readEpisodes(join(r.dir, 'episodes.jsonl')).records).toHaveLength(5);
    expect(server.requestCount).toBe(5);
    expect(r.out).toMatch(/infrastructure errors 5/);
    expect(r.out).toMatch(/First infrastructure error \(task 0, trial 0\): .*HTTP 500/);
  });

  it('--max-errors stops once more infrastructure errors than allowed, with --max-consecutive-errors 0', async () => {
    const server = await fake((_b, i) => (i % 2 === 0 ? faults.serverError(503) : { text: 'Done.' }));
    const r = await run(base(server.url, '--max-retries', '0', '--trials', '2', '--concurrency', '1', '--max-errors', '1', '--max-consecutive-errors', '0'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: 2 infrastructure errors, more than --max-errors 1/);
    expect(readManifest(r.dir).config).toMatchObject({ maxErrors: 1, maxConsecutiveErrors: 0 });
  });

  it('a hung server with --request-timeout 1 ends in infrastructure errors and exits 1', async () => {
    const server = await fake(() => faults.hang());
    const r = await run(base(server.url, '--request-timeout', '1', '--max-retries', '0', '--tasks', '0'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/First infrastructure error .*: openai-compatible:foo at .*: request timed out after 1000 ms/);
    expect(readManifest(r.dir).config.requestTimeout).toBe(1);
  });

  it('401 stops the run at once (authentication failed) and exits 1', async () => {
    const server = await fake(() => faults.status(401, 'Incorrect API key provided'));
    const r = await run(base(server.url, '--concurrency', '1'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: authentication failed: .*HTTP 401: Incorrect API key provided; not starting new episodes/);
    expect(server.requestCount).toBe(1);
  });

  it('a replay cache miss ends the run with exit 1 and says what is missing', async () => {
    const server = await fake(() => ({ text: 'never asked' }));
    const cacheDir = join(tmp(), 'empty-cache');
    const r = await run(base(server.url, '--cache', 'replay', '--cache-dir', cacheDir, '--tasks', '0-1'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/First infrastructure error .*: replay cache has no response for openai-compatible:foo request [0-9a-f]{64}/);
    expect(server.requestCount).toBe(0);
  });

  it('a 400 (context length exceeded) later in the conversation is the agent failing: scored 0, counted, exit 0, not rerun by --resume', async () => {
    // Each episode: the agent's first call asks for a tool; the next one (with the tool result) is refused.
    const server = await fake((body) => {
      const messages = body['messages'] as Array<{ role: string }>;
      return messages.at(-1)?.role === 'tool'
        ? faults.status(400, "This model's maximum context length is 8192 tokens")
        : { toolCalls: [{ name: 'get_balance', arguments: { account_id: 'A1' } }] };
    });
    const r = await run(base(server.url, '--tasks', '0-1'));
    expect(r.code).toBe(0);
    const records = readEpisodes(join(r.dir, 'episodes.jsonl')).records;
    expect(records).toHaveLength(2);
    for (const e of records) {
      expect(e.termination).toMatchObject({ reason: 'agent_error', code: 'provider_rejected' });
      expect(e.termination.message).toMatch(/HTTP 400: This model's maximum context length is 8192 tokens/);
      expect(e.reward).toBe(0);
      expect(e.toolCalls).toBe(1);
    }
    const summary = JSON.parse(readFileSync(join(r.dir, 'summary.json'), 'utf8'));
    expect(summary.results).toMatchObject({ counted: 2, infrastructureErrors: 0, passHatK: { '1': 0 } });
    expect(server.requestCount).toBe(4);
    const again = await run(['--resume', '--out', r.dir]);
    expect(again.code).toBe(0);
    expect(server.requestCount).toBe(4);
  });

  it('a 400 on the first request of every episode is a configuration problem: infrastructure errors, stop, exit 1', async () => {
    const server = await fake(() => faults.status(400, "Unsupported parameter: 'max_tokens'"));
    const r = await run(base(server.url, '--trials', '2', '--concurrency', '1'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: 5 infrastructure errors in a row \(last: .*HTTP 400: Unsupported parameter: 'max_tokens' \[on the first request of the episode: a configuration problem, not the conversation\]\)/);
    const records = readEpisodes(join(r.dir, 'episodes.jsonl')).records;
    expect(records.map((e) => [e.termination.reason, e.termination.code])).toEqual(Array(5).fill(['infrastructure_error', 'provider_rejected']));
  });
});

describe('secrets', () => {
  it('a key in --base-url (user:key@ and ?api-key=) is used but written nowhere', async () => {
    const server = await fake(() => ({ text: 'All done.' }));
    const cacheDir = join(tmp(), 'cache');
    const url = `${server.url.replace('http://', 'http://alice:USERINFO-KEY-111@')}?api-key=QUERY-KEY-222&api-version=7`;
    const seen: string[] = [];
    const options = testModelOptions();
    // Node's own fetch refuses URLs with user info: record the URL, then send it without.
    options.fetch = (input, init) => (seen.push(String(input)), globalThis.fetch(String(input).replace('alice:USERINFO-KEY-111@', ''), init));
    const r = await run(base(url, '--cache', 'read-write', '--cache-dir', cacheDir, '--tasks', '0'), options);
    expect(r.code).toBe(0);
    expect(seen[0]).toBe(`${server.url.replace('http://', 'http://alice:USERINFO-KEY-111@')}/chat/completions?api-key=QUERY-KEY-222&api-version=7`);
    const config = readManifest(r.dir).config;
    expect(config.baseUrl).toBe(`${server.url}?api-version=7`);
    const written = [...filesUnder(r.dir), ...filesUnder(cacheDir), ['stdout', r.out] as [string, string], ['stderr', r.err] as [string, string]];
    expect(written.length).toBeGreaterThanOrEqual(6);
    for (const [file, text] of written) {
      for (const secret of ['USERINFO-KEY-111', 'QUERY-KEY-222', 'alice']) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
    }
  });

  it('a key echoed back in a 200 reply reaches neither episodes.jsonl, the cache, run.json nor the console; --api-key is never stored', async () => {
    const KEY = 'sk-echoed-secret-0123456789';
    const server = await fake((_b, _i, req) => ({ text: `Your key is ${String(req.headers.authorization).replace('Bearer ', '')}. Done.` }));
    const cacheDir = join(tmp(), 'cache');
    const r = await run(['--domain', 'bank', '--data', data, '--model', 'openai:gpt-4o', '--base-url', server.url, '--api-key', KEY, '--user', 'scripted', '--tasks', '0', '--cache', 'read-write', '--cache-dir', cacheDir]);
    expect(r.code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    const episodes = readFileSync(join(r.dir, 'episodes.jsonl'), 'utf8');
    expect(episodes).toContain('Your key is [redacted]. Done.');
    const written = [...filesUnder(r.dir), ...filesUnder(cacheDir), ['stdout', r.out] as [string, string], ['stderr', r.err] as [string, string]];
    expect(filesUnder(cacheDir).length).toBeGreaterThan(0);
    for (const [file, text] of written) expect(text.includes(KEY), `key in ${file}`).toBe(false);
    expect(JSON.stringify(readManifest(r.dir).config)).not.toMatch(/api-?key/i);
  });

  it('an error message carrying a key from the environment is scrubbed before it is printed', async () => {
    const KEY = 'sk-env-secret-abcdef98765';
    const server = await fake(() => faults.status(401, `Incorrect API key provided: ${KEY}`));
    const r = await run(['--domain', 'bank', '--data', data, '--model', 'openai:gpt-4o', '--base-url', server.url, '--user', 'scripted', '--tasks', '0'], {
      ...testModelOptions(),
      env: { OPENAI_API_KEY: KEY },
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain('Incorrect API key provided: [redacted]');
    const written: Array<[string, string]> = [...filesUnder(r.dir), ['stdout', r.out], ['stderr', r.err]];
    for (const [file, text] of written) expect(text.includes(KEY), `key in ${file}`).toBe(false);
  });

  it('--pricing prices an unknown model and is recorded in run.json; a missing pricing file fails before any episode', async () => {
    const server = await fake(() => ({ text: 'Done.', usage: { input: 1_000_000, output: 0 } }));
    const pricing = join(tmp(), 'prices.json');
    writeFileSync(pricing, JSON.stringify({ 'openai-compatible:foo': { input: 2, output: 4 } }));
    const r = await run(base(server.url, '--tasks', '0', '--pricing', pricing));
    expect(r.code).toBe(0);
    expect(readManifest(r.dir).config.pricing).toBe(pricing);
    const summary = JSON.parse(readFileSync(join(r.dir, 'summary.json'), 'utf8'));
    expect(summary.usage.total.costUsd).toBe(2);
    // the same from a --config file
    const config = join(tmp(), 'config.json');
    writeFileSync(config, JSON.stringify({ pricing }));
    const viaConfig = await run(base(server.url, '--tasks', '0', '--config', config));
    expect(JSON.parse(readFileSync(join(viaConfig.dir, 'summary.json'), 'utf8')).usage.total.costUsd).toBe(2);
    await expect(run(base(server.url, '--tasks', '0', '--pricing', join(tmp(), 'missing.json')))).rejects.toThrow(/cannot read pricing file/);
  });
});

describe('bad input', () => {
  const cases: Array<[string, Record<string, string | Buffer>, RegExp]> = [
    ['task file', { 'tasks_test.json': Buffer.concat([Buffer.from('[{"user_id": "u0", "instruction": "caf'), Buffer.from([0xe9]), Buffer.from('", "actions": [], "outputs": []}]')]) }, /tasks_test\.json: not valid UTF-8 at byte 38 \(line 1, column 39: e9/],
    ['data file', { 'accounts.json': Buffer.concat([Buffer.from('{"A1": {"id": "A1",\n "balance": 10, "n": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]) }, /accounts\.json: not valid UTF-8 at byte 42 \(line 2, column 23: ff fe/],
    ['policy', { 'wiki.md': Buffer.concat([Buffer.from('# Policy\n\nBe '), Buffer.from([0xc3, 0x28]), Buffer.from('nice')]) }, /wiki\.md: not valid UTF-8 at byte 13 \(line 3, column 4: c3 28/],
    ['empty policy', { 'wiki.md': '' }, /policy file .*wiki\.md is empty/],
    ['whitespace-only policy', { 'wiki.md': ' \n\t\n' }, /policy file .*wiki\.md is empty/],
  ];
  it.each(cases)('non-UTF-8 or empty %s is an error naming the file and place', async (_what, overrides, message) => {
    const dir = bankData({ files: overrides });
    const out = join(tmp(), 'run');
    await expect(run(['--domain', 'bank', '--data', dir, '--model', 'sim', '--user', 'scripted', '--out', out])).rejects.toThrow(message);
    expect(() => statSync(join(out, 'episodes.jsonl'))).toThrow();
  });

  it('a --config file with non-UTF-8 bytes is an error naming the file and place', async () => {
    const config = join(tmp(), 'run.json');
    writeFileSync(config, Buffer.concat([Buffer.from('{\n  "trials": 2,\n  "seed": "'), Buffer.from([0x80]), Buffer.from('"\n}')]));
    await expect(run(['--domain', 'bank', '--data', data, '--model', 'sim', '--user', 'scripted', '--config', config])).rejects.toThrow(/not valid UTF-8 at byte 28 \(line 3, column 12: 80/);
  });

  it('a few-shot file or a pricing file with non-UTF-8 bytes is an error naming the file and place', async () => {
    const fewShot = join(tmp(), 'examples.jsonl');
    writeFileSync(fewShot, Buffer.concat([Buffer.from('{"messages_display": "ok"}\n{"messages_display": "'), Buffer.from([0xfe]), Buffer.from('"}\n')]));
    await expect(run(['--domain', 'bank', '--data', data, '--model', 'sim', '--user', 'scripted', '--agent', 'few-shot', '--few-shot', fewShot])).rejects.toThrow(
      /examples\.jsonl: not valid UTF-8 at byte 49 \(line 2, column 23: fe/,
    );
    const pricing = join(tmp(), 'prices.json');
    writeFileSync(pricing, Buffer.concat([Buffer.from('{"m\u00e9": '), Buffer.from([0xe9]), Buffer.from('}')]));
    await expect(run(base('http://127.0.0.1:1/v1', '--pricing', pricing))).rejects.toThrow(/prices\.json: not valid UTF-8 at byte 8 \(line 1, column 8: e9/ /* é is 2 bytes, 1 column */);
  });

  it('--model sim with an LLM user played by sim is a usage error suggesting --user scripted', async () => {
    const dir = join(tmp(), 'never');
    mkdirSync(dir);
    await expect(run(['--domain', 'bank', '--data', data, '--model', 'sim', '--out', join(dir, 'run')])).rejects.toThrow(/the "llm" user simulator needs a language model.*sim, the simulated model.*pass --user scripted/);
    await expect(run(['--domain', 'bank', '--data', data, '--model', 'openai:gpt-4o', '--api-key', 'sk-whatever-123', '--user-model', 'sim:0.1', '--out', join(dir, 'run')])).rejects.toThrow(/--user scripted/);
    // nothing was run or written (the run directory's lock may have been taken and released)
    const left = readdirSync(dir).flatMap((d) => readdirSync(join(dir, d)));
    expect(left.filter((f) => f === 'run.json' || f === 'episodes.jsonl')).toEqual([]);
  });
});
