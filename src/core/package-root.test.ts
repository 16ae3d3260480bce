import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPackageRoot, PACKAGE_ROOT, packagePath } from './package-root.js';

describe('package root', () => {
  it('is the nearest folder holding package.json, from any depth (src/ or dist/src/)', () => {
    const root = mkdtempSync(join(tmpdir(), 'taubp-root-'));
    writeFileSync(join(root, 'package.json'), '{}');
    const deep = join(root, 'dist', 'src', 'core');
    mkdirSync(deep, { recursive: true });
    expect(findPackageRoot(deep)).toBe(root);
    expect(findPackageRoot(root)).toBe(root);
  });

  it('finds this package and the files it ships beside its sources', () => {
    expect((JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name: string }).name).toBe('tau-blueprint');
    expect(readFileSync(packagePath('domains', 'retail', 'policy.md'), 'utf8').length).toBeGreaterThan(100);
    expect(PACKAGE_ROOT).toBe(packagePath());
  });
});
