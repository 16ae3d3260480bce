/**
 * `taubp` entry point: dispatches to one module per command in `./commands/`.
 */
import { formatError, HarnessError } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';

const HELP = `taubp — tau-bench style harness: baselines vs Source Code Agent blueprints

Usage: taubp <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run "taubp <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`taubp: unknown command "${name}"\n\n${HELP}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`taubp: ${formatError(err)}\n`);
    process.exitCode = err instanceof HarnessError && err.code === 'usage_error' ? 2 : 1;
  },
);
