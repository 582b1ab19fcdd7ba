import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure lib code, fast) and `integration` (starts its own devnet: anvil, the
// contracts, Alto; real UserOps through the bundler).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['lib/**/*.test.ts', 'test/unit/**/*.test.ts'] } },
      {
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
