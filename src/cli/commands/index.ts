/** All CLI commands by name. Add a command by importing its module here. */
import type { Command } from './command.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: Record<string, Command> = {
  verify: verifyCommand,
};
