/**
 * The human customer (`--user human`): a person types the customer's side. The task's situation
 * is shown first; each agent message is printed and one typed line is the reply. End of input
 * (Ctrl-D) ends the conversation as if the customer had typed `###STOP###`. Streams are
 * injectable; one line reader is shared by every episode of a run (run them one at a time).
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Task } from '../core/task.js';
import type { UserReply } from '../contract/agent.js';
import { situationOf } from './prompts.js';
import { OUT_OF_SCOPE_TOKEN, STOP_TOKEN, TRANSFER_TOKEN, type UserSimulator, type UserSimulatorContext, type UserSimulatorFactory } from '../contract/user.js';

/** Reads lines one at a time from a stream; `next()` resolves null at end of input. */
export class LineReader {
  readonly #rl: Interface;
  readonly #lines: string[] = [];
  readonly #waiting: Array<(line: string | null) => void> = [];
  #closed = false;

  constructor(input: Readable) {
    this.#rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
    this.#rl.on('line', (line) => {
      const waiter = this.#waiting.shift();
      if (waiter !== undefined) waiter(line);
      else this.#lines.push(line);
    });
    this.#rl.on('close', () => {
      this.#closed = true;
      for (const waiter of this.#waiting.splice(0)) waiter(null);
    });
  }

  /** The next line, or null once the input has ended. */
  next(): Promise<string | null> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#closed) return Promise.resolve(null);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  close(): void {
    this.#rl.close();
  }
}

/** Streams of the human user. */
export interface HumanUserStreams {
  input: Readable;
  output: Writable;
}

class HumanUser implements UserSimulator {
  readonly #context: UserSimulatorContext;
  readonly #reader: LineReader;
  readonly #out: Writable;

  constructor(context: UserSimulatorContext, reader: LineReader, output: Writable) {
    this.#context = context;
    this.#reader = reader;
    this.#out = output;
  }

  async start(task: Task): Promise<string | null> {
    const tokens = this.#context.semantics === 'tau2' ? `${STOP_TOKEN}, ${TRANSFER_TOKEN} or ${OUT_OF_SCOPE_TOKEN}` : STOP_TOKEN;
    this.#out.write(
      `\n=== Task ${task.id} (trial ${this.#context.trial}) ===\nYou are the customer. Your situation:\n${situationOf(task)}\n` +
        `Type one message per line. End the conversation with ${tokens}, or Ctrl-D.\n`,
    );
    if (this.#context.semantics === 'tau2') return null;
    const line = await this.#ask();
    return line ?? STOP_TOKEN;
  }

  async reply(agentText: string): Promise<UserReply> {
    this.#out.write(`\nagent> ${agentText}\n`);
    const line = await this.#ask();
    if (line === null) return { text: STOP_TOKEN, done: true, reason: 'user_stop' };
    return { text: line, done: false };
  }

  async #ask(): Promise<string | null> {
    this.#out.write('you> ');
    for (;;) {
      const line = await this.#reader.next();
      if (line === null) return null;
      if (line.trim() !== '') return line.trim();
      this.#out.write('you> ');
    }
  }
}

/**
 * A factory of human users over the given streams (default: the terminal). The line reader is
 * created on first use and shared by the episodes of the run.
 */
export function humanUserFactory(streams?: HumanUserStreams): UserSimulatorFactory {
  let reader: LineReader | undefined;
  return (context) => {
    const input = streams?.input ?? process.stdin;
    const output = streams?.output ?? process.stderr;
    reader ??= new LineReader(input);
    return new HumanUser(context, reader, output);
  };
}
