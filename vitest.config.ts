import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure logic, Node or jsdom, fast) and `integration` (real slapd, Samba AD DC
 * and the Duo emulator on loopback; servers are started and stopped by the tests themselves).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // electron-store imports `electron`; inlined, that import reaches the tests' vi.mock fake
          // instead of the real package (which has no binary here).
          server: { deps: { inline: ['electron-store'] } },
        },
        esbuild: { jsx: 'automatic' },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Samba AD binds fixed ports 389/636: integration files run one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
