import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

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
    // Fixtures are small vitest projects that test/teardown.test.ts runs on their own; they fail on purpose.
    exclude: [...configDefaults.exclude, 'test/fixtures/**'],
    // Marks the run; afterwards ends every process the run left behind (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests bind real ports and start child processes; two cores run them best in a few forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
