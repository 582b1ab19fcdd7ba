import { defineConfig } from '@playwright/test';

// Real Chromium (Debian's, at /usr/bin/chromium: Playwright cannot download browsers here) with the
// built extension loaded (see e2e/fixtures.ts), and one devnet for the run (e2e/globalSetup.ts).
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/globalSetup.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: { trace: 'off' },
});
