/**
 * `taubp view <runs…>`: the report page of stored runs, written to a fresh temporary folder
 * (its path printed), or served on 127.0.0.1 with `--serve [port]` until Ctrl-C.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { findRunDirs } from '../../report/load.js';
import type { RunConfig } from '../../runner/config.js';
import { parseFlags, str } from '../args.js';
import { loadGradingSetup } from '../grading-setup.js';
import { DOMAINS, type DomainMap } from '../registry.js';
import { processSignals, type OnInterrupt } from '../run-signals.js';
import type { Command } from './command.js';

const USAGE = `Usage: taubp view <run or results dir>... [--serve [port]] [--out <dir>]

Writes the report page of the runs (run metadata, pass^k curves with 95% intervals, cost and
tokens against pass^1, the per-task heat map, and a trajectory viewer with the conversation,
the blueprint's node path and sub-task calls, and the diff against the gold actions) to a new
temporary folder and prints the page's path. The page is one self-contained HTML file (no
network); the charts' Vega-Lite specs are written beside it in specs/.

  --serve [port]    serve the page on http://127.0.0.1:<port>/ instead (default port: any free
                    one; the URL is printed); Ctrl-C stops the server
  --out <dir>       write the page there instead of a temporary folder
  --max-embed-mb <n>  megabytes of trajectories embedded in the page (default 24); episodes
                    beyond it are counted in the page, not shown`;

/**
 * The tasks of a run's data source (its domain, `--data`, `--db`, split: the built-in suite, or a
 * τ-bench / τ² checkout or data directory), loaded as `taubp verify` and `import` do, for the
 * page's diff against the gold actions.
 */
export function runTasksLoader(domains: DomainMap = DOMAINS): (config: RunConfig) => readonly Task[] {
  return (config) => {
    const data = config.data;
    if (data === null || data === undefined) throw new UsageError('the run does not record its data source');
    return loadGradingSetup({ domain: config.domain, data, db: config.db ?? undefined, split: config.split }, domains).tasks;
  };
}

/** What `view` needs from its surroundings. */
export interface ViewIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Where the temporary folder is made. Default the OS temp dir. */
  tmpdir?: string;
  /** Called with Ctrl-C's handler while serving; returns its remover. */
  onInterrupt: OnInterrupt;
  /** Domains for the gold actions. Default the registry's. */
  domains?: DomainMap;
  /** Told the URL once the server listens (tests). */
  onServe?: (url: string) => void;
}

const defaultIo: ViewIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  onInterrupt: processSignals,
};

/** `--serve` takes an optional port: `--serve 8080` and `--serve=8080` become `--port 8080`. */
function splitServe(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = /^--serve=(.*)$/.exec(a);
    if (eq !== null) out.push('--serve', '--port', eq[1] ?? '');
    else if (a === '--serve' && /^\d+$/.test(argv[i + 1] ?? '')) {
      out.push('--serve', '--port', argv[i + 1] as string);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Serves exactly the page and its specs (nothing else from the folder) on 127.0.0.1. */
function serve(dir: string, files: { page: string; specs: string[] }, port: number): Promise<Server> {
  const routes = new Map<string, { file: string; type: string }>([
    ['/', { file: files.page, type: 'text/html; charset=utf-8' }],
    ['/report.html', { file: files.page, type: 'text/html; charset=utf-8' }],
    ...files.specs.map((f): [string, { file: string; type: string }] => [`/specs/${basename(f)}`, { file: f, type: 'application/json; charset=utf-8' }]),
  ]);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = req.method === 'GET' || req.method === 'HEAD' ? routes.get(path) : undefined;
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${path} (this server shows the report page of ${dir})\n`);
      return;
    }
    const body = readFileSync(route.file);
    res.writeHead(200, { 'content-type': route.type, 'content-length': body.length, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new UsageError(`view: cannot serve on 127.0.0.1:${port} (${e.code === 'EADDRINUSE' ? 'the port is in use: pick another with --serve <port>' : e.message})`)),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Runs `taubp view`; resolves to the exit status (after Ctrl-C when serving). */
export async function runView(argv: string[], io: ViewIo = defaultIo): Promise<number> {
  const { flags, positionals } = parseFlags(
    splitServe(argv),
    { serve: { type: 'boolean' }, port: { type: 'string' }, out: { type: 'string' }, 'max-embed-mb': { type: 'string' } },
    'view',
  );
  if (positionals.length === 0) throw new UsageError('view: give at least one run or results directory');
  const portText = str(flags, 'port');
  if (portText !== undefined && flags.serve !== true) throw new UsageError('view: --port needs --serve');
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`view: --serve ${portText}: not a port number (0-65535)`);
  const mbText = str(flags, 'max-embed-mb');
  const mb = mbText === undefined ? 24 : Number(mbText);
  if (!(mb > 0)) throw new UsageError(`view: --max-embed-mb ${mbText}: give a positive number of megabytes`);
  const dirs = findRunDirs(positionals);
  const out = str(flags, 'out') ?? mkdtempSync(join(io.tmpdir ?? tmpdir(), 'taubp-view-'));
  const { writeReportPage } = await import('../../report/page/write-page.js');
  const files = await writeReportPage(out, dirs, { loadTasks: runTasksLoader(io.domains), maxEmbedChars: Math.round(mb * 1_000_000), note: io.stderr });
  if (flags.serve !== true) {
    io.stdout(`${files.page}\n`);
    return 0;
  }
  const server = await serve(out, files, port);
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}/`;
  io.stdout(`${url}\n`);
  io.stderr(`view: serving ${files.page} on ${url} (Ctrl-C stops)\n`);
  io.onServe?.(url);
  await new Promise<void>((resolve) => {
    const off = io.onInterrupt(() => {
      off();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  });
  io.stderr('view: stopped\n');
  return 0;
}

export const viewCommand: Command = {
  summary: 'the report page of stored runs (charts, heat map, trajectory viewer) in a temporary folder or on 127.0.0.1',
  usage: USAGE,
  run: (argv) => runView(argv),
};
