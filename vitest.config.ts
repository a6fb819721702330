import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds. Node loads the CJS one for every dependency (yoga,
    // Pothos, graphql-ws); Vite would give our own sources the ESM one. Two copies break `instanceof` checks,
    // so everything gets the copy Node loads, as it does in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests bind real ports and start child processes; two cores run them best in a few forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
