/**
 * The `taubp` dispatcher: `--help`, `--version`, `help <command>`, and one module per command in
 * `./commands/`, imported only when that command runs (the SDKs, tokenizer and domains load with
 * the commands that use them, so `taubp --help` starts fast).
 */
import { readFileSync } from 'node:fs';
import { formatError, HarnessError } from '../core/errors.js';
import { packagePath } from '../core/package-root.js';
import { didYouMean } from '../core/suggest.js';
import { COMMANDS, type CommandEntry } from './commands/index.js';

/** Commands that load `--plugin` modules (and a config file's `plugins`) before anything else. */
export const PLUGIN_COMMANDS: readonly string[] = ['run', 'verify', 'report', 'replay'];

const PLUGIN_USAGE = `

Plug-ins:
  --plugin <path|package>    load a plug-in (agents, blueprints, users, domains, providers,
                             report formats) before anything else; repeatable; also
                             "plugins": [...] in --config (docs/writing-an-agent.md)`;

/**
 * Loads the plug-ins an argument list names into the harness registry (only when there are any,
 * so that commands without plug-ins load no domain here); returns the arguments without them.
 */
async function loadCommandPlugins(argv: string[]): Promise<string[]> {
  const { pluginArgs, loadPlugins } = await import('../plugin/load.js');
  const { specs, rest } = pluginArgs(argv);
  if (specs.length > 0) {
    const { installPlugin } = await import('./registry.js');
    await loadPlugins(specs, installPlugin);
  }
  return rest;
}

/** Where the dispatcher writes. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: CliIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

/** The top-level help text. */
export function helpText(commands: Readonly<Record<string, CommandEntry>> = COMMANDS): string {
  return `taubp — tau-bench style harness: baselines vs Source Code Agent blueprints

Usage: taubp <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

  help <command>  a command's options (also: taubp <command> --help)
  --version       the harness version`;
}

/** The package version (`package.json`). */
export function harnessVersionText(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name?: string; version?: string };
  return `taubp ${pkg.version ?? 'unknown'} (${pkg.name ?? 'tau-blueprint'}, Node ${process.version})`;
}

function unknownCommand(name: string, commands: Readonly<Record<string, CommandEntry>>): string {
  const what = name.startsWith('-') ? `unknown option "${name}" before a command` : `unknown command "${name}"`;
  return `taubp: ${what}${didYouMean(name, Object.keys(commands))}; commands: ${Object.keys(commands).join(', ')} (taubp --help)\n`;
}

/**
 * Runs the CLI on `argv` (without `node` and the script); resolves to the exit status: 0, 1 on an
 * error, 2 on a usage error, or what the command returns. Errors are printed, never thrown.
 */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo, commands: Readonly<Record<string, CommandEntry>> = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      io.stdout(`${helpText(commands)}\n`);
      return 0;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      io.stdout(`${harnessVersionText()}\n`);
      return 0;
    }
    if (name === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout(`${helpText(commands)}\n`);
        return 0;
      }
      const entry = Object.prototype.hasOwnProperty.call(commands, topic) ? commands[topic] : undefined;
      if (entry === undefined) {
        io.stderr(unknownCommand(topic, commands));
        return 2;
      }
      io.stdout(`${(await entry.load()).usage}${PLUGIN_COMMANDS.includes(topic) ? PLUGIN_USAGE : ''}\n`);
      return 0;
    }
    const entry = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
    if (entry === undefined) {
      io.stderr(unknownCommand(name, commands));
      return 2;
    }
    let args = [...rest];
    const takesPlugins = PLUGIN_COMMANDS.includes(name);
    if (takesPlugins) args = await loadCommandPlugins(args);
    const command = await entry.load();
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(`${command.usage}${takesPlugins ? PLUGIN_USAGE : ''}\n`);
      return 0;
    }
    return await command.run(args);
  } catch (err) {
    io.stderr(`taubp: ${formatError(err)}\n`);
    return err instanceof HarnessError && err.code === 'usage_error' ? 2 : 1;
  }
}
