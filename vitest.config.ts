import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests bind real ports and start child processes; two cores run them best in a few forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
