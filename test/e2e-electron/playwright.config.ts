import { defineConfig } from '@playwright/test';

/**
 * The desktop shell end to end: Playwright's `_electron` launches the built app (npm run build)
 * with a demo directory and the Duo emulator. It runs wherever an Electron binary exists
 * (ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/dist after a normal install) and
 * otherwise skips with "skipped: no Electron binary".
 *
 *   npm run build && npx playwright test --config test/e2e-electron/playwright.config.ts
 *
 * Not part of the default Playwright project (test/e2e, Chromium against portal mode).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/e2e-electron',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  forbidOnly: true,
  reporter: [['./reporter.ts']],
});
