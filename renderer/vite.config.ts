import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the renderer into out/renderer. `base: './'` keeps every asset URL relative, so the same
 * build loads from `app://walkup/` in Electron and from `/` in portal mode. The output has no
 * inline scripts or styles, which the strict CSP (`default-src 'self'`) requires.
 */
export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Chromium (Electron 45, Playwright's Chromium) supports modulepreload natively; the polyfill
    // would only add code.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs: the CSP allows only 'self'.
    assetsInlineLimit: 0,
  },
});
