import type { Plugin } from 'esbuild';

/** See scripts/esbuild-settings-store.mjs. */
export function settingsStoreWithoutUnusedParts(): Plugin;
