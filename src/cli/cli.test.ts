import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { COMMANDS } from './commands/index.js';
import type { Command } from './commands/command.js';
import type { CommandEntry } from './commands/index.js';

function capture(): { io: { stdout: (t: string) => void; stderr: (t: string) => void }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t) }, out: () => out, err: () => err };
}

/** Commands whose loads are counted, to show that help and version load none. */
function counting(): { commands: Record<string, CommandEntry>; loads: string[] } {
  const loads: string[] = [];
  const commands: Record<string, CommandEntry> = {};
  for (const [name, entry] of Object.entries(COMMANDS)) {
    commands[name] = { summary: entry.summary, load: () => (loads.push(name), entry.load()) };
  }
  return { commands, loads };
}

describe('taubp dispatcher', () => {
  it('prints the version from package.json, loading no command', async () => {
    const { io, out } = capture();
    const { commands, loads } = counting();
    expect(await runCli(['--version'], io, commands)).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(out()).toContain(`taubp ${pkg.version}`);
    expect(loads).toEqual([]);
  });

  it('lists the commands on --help without loading them', async () => {
    const { io, out } = capture();
    const { commands, loads } = counting();
    expect(await runCli(['--help'], io, commands)).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(out()).toContain(`  ${name} `);
    expect(out()).toContain('help <command>');
    expect(loads).toEqual([]);
  });

  it('help <command> prints that command’s usage, like <command> --help', async () => {
    const a = capture();
    expect(await runCli(['help', 'run'], a.io)).toBe(0);
    const b = capture();
    expect(await runCli(['run', '--help'], b.io)).toBe(0);
    expect(a.out()).toContain('Usage: taubp run');
    expect(a.out()).toBe(b.out());
  });

  it('suggests the nearest command for an unknown one (exit 2)', async () => {
    const { io, err } = capture();
    expect(await runCli(['reprot', 'results'], io)).toBe(2);
    expect(err()).toContain('unknown command "reprot" (did you mean "report"?)');
    const h = capture();
    expect(await runCli(['help', 'rn'], h.io)).toBe(2);
    expect(h.err()).toContain('(did you mean "run"?)');
  });

  it('prints errors and maps usage errors to exit 2', async () => {
    const { io, err } = capture();
    expect(await runCli(['run', '--trails', '3'], io)).toBe(2);
    expect(err()).toMatch(/--trails.*did you mean --trials\?/);
  });

  it('each entry’s summary is the loaded command’s summary', async () => {
    for (const entry of Object.values(COMMANDS)) {
      const command: Command = await entry.load();
      expect(command.summary).toBe(entry.summary);
    }
  });
});
