import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPlugin, loadPlugins, pluginArgs, resolvePluginSpec } from './load.js';
import type { PluginDefinition } from './types.js';

const root = mkdtempSync(join(tmpdir(), 'taubp-plugin-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('pluginArgs', () => {
  it('takes every --plugin out of the arguments, in order', () => {
    expect(pluginArgs(['--domain', 'retail', '--plugin', 'a.ts', '--plugin=b', '--trials', '2'])).toEqual({ specs: ['a.ts', 'b'], rest: ['--domain', 'retail', '--trials', '2'] });
    expect(() => pluginArgs(['--plugin'])).toThrow('--plugin needs a path or a package name');
  });

  it('adds a config file\'s "plugins", paths relative to the config file', () => {
    const config = write('cfg/run.json', JSON.stringify({ trials: 2, plugins: ['./p.ts', 'some-package'] }));
    expect(pluginArgs(['--plugin', 'x.ts', '--config', config])).toEqual({ specs: ['x.ts', join(root, 'cfg', 'p.ts'), 'some-package'], rest: ['--config', config] });
    const bad = write('cfg/bad.json', JSON.stringify({ plugins: [3] }));
    expect(() => pluginArgs(['--config', bad])).toThrow(`config ${bad}: "plugins" must be a list of paths or package names, got [3]`);
  });
});

describe('resolvePluginSpec', () => {
  it('resolves files, directories (package entry or index) and packages in node_modules upwards', () => {
    const file = write('one/plugin.js', 'export default { name: "one" };');
    expect(resolvePluginSpec('./one/plugin.js', root)).toBe(file);
    const index = write('two/index.ts', 'export default { name: "two" };');
    expect(resolvePluginSpec('./two', root)).toBe(index);
    write('node_modules/my-plugin/package.json', JSON.stringify({ name: 'my-plugin', exports: { '.': { types: './x.d.ts', import: './dist/main.js' } } }));
    const entry = write('node_modules/my-plugin/dist/main.js', 'export default { name: "pkg" };');
    mkdirSync(join(root, 'deep', 'er'), { recursive: true });
    expect(resolvePluginSpec('my-plugin', join(root, 'deep', 'er'))).toBe(entry);
  });

  it('says what is missing', () => {
    expect(() => resolvePluginSpec('./nope.ts', root)).toThrow(`plug-in ./nope.ts: no such file or directory (${join(root, 'nope.ts')})`);
    expect(() => resolvePluginSpec('no-such-package', root)).toThrow('plug-in no-such-package: not a file and no package of that name in node_modules');
    mkdirSync(join(root, 'empty'), { recursive: true });
    expect(() => resolvePluginSpec('./empty', root)).toThrow('has no package.json entry and no index.ts');
  });
});

describe('importPlugin / loadPlugins', () => {
  it('loads JavaScript and TypeScript plug-ins (default export) and installs each once', async () => {
    write('js/plugin.mjs', 'export default { name: "js-plugin", agents: {} };');
    write('ts/plugin.ts', 'interface P { name: string }\nconst p: P = { name: "ts-plugin" };\nexport default p;\n');
    const installed: Array<[string, string]> = [];
    const plugins = await loadPlugins(['./js/plugin.mjs', './ts/plugin.ts', './js/plugin.mjs'], (p: PluginDefinition, source) => void installed.push([p.name, source]), root);
    expect(plugins.map((p) => p.name)).toEqual(['js-plugin', 'ts-plugin']);
    expect(installed).toEqual([
      ['js-plugin', `plug-in "js-plugin" (${join(root, 'js', 'plugin.mjs')})`],
      ['ts-plugin', `plug-in "ts-plugin" (${join(root, 'ts', 'plugin.ts')})`],
    ]);
  });

  it('refuses a module without a plug-in default export, and reports a module that fails to load', async () => {
    const none = write('bad/none.mjs', 'export const x = 1;');
    await expect(importPlugin(none, root)).rejects.toThrow(`${none} has no default export made with definePlugin({ name, … })`);
    const broken = write('bad/broken.mjs', 'throw new Error("boom");');
    await expect(importPlugin(broken, root)).rejects.toThrow(`loading ${broken} failed: boom`);
  });
});
