/** All CLI commands by name. Add a command by importing its module here. */
import type { Command } from './command.js';
import { mergeCommand } from './merge.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: Record<string, Command> = {
  run: runCommand,
  merge: mergeCommand,
  verify: verifyCommand,
  report: reportCommand,
};
