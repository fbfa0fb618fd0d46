import { defineConfig } from '@playwright/test';
import { E2E_PORTS } from './test/e2e/ports';

/**
 * End-to-end: Debian's Chromium drives the real renderer against portal mode, backed by a real
 * slapd and the Duo emulator (test/e2e/stack.ts starts them all). Browsers are never downloaded.
 */
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  forbidOnly: true,
  use: {
    headless: true,
    // Portal mode starts in the browser's own language: every spec's browser is English unless
    // it asks for another (test.use / newContext({ locale })), whatever the machine's locale.
    locale: 'en-US',
    // The Duo emulator's certificate comes from a CA made at start; Chromium is told to accept it.
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.WALKUP_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'node --import tsx test/e2e/stack.ts',
    url: `http://127.0.0.1:${E2E_PORTS.v4Portal}/api/station`,
    timeout: 120_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
