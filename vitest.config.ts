import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure lib code and React components, fast) and `integration` (starts its
// own devnet: anvil, the contracts, Alto; real UserOps through the bundler). Component tests
// (`*.test.tsx`) ask for a DOM themselves with `// @vitest-environment happy-dom`, so lib tests
// keep running in plain Node, where the agent runs them.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { '@/': root } },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'cli/**/*.test.ts', 'test/unit/**/*.test.ts', 'components/**/*.test.ts', 'components/**/*.test.tsx'],
        },
      },
      {
        resolve: { alias: { '@/': root } },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
