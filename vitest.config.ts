import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,domains,baselines,blueprints,scripts,test}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    reporters: ['default', './test/plain-summary-reporter.ts'],
  },
});
