/**
 * What the two small browser-side bundles of the kiosk carry, built in memory with the same
 * esbuild settings as scripts/build-main.mjs: the sandboxed preload imports only `electron` and
 * the contract's channel names (no zod, no schemas: main parses every request), and the v2 host
 * page script takes the contract's Duo formats without zod (the callback schema it does not use
 * is dropped).
 */
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

async function bundle(entry: string, options: { platform: 'node' | 'browser'; format: 'cjs' | 'iife' }) {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['electron'],
    ...options,
  });
  // The files that contribute code to the output (tree-shaken ones are read, but add nothing).
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file)
    .sort();
  const text = result.outputFiles[0]?.text ?? '';
  return { inputs, text };
}

describe('kiosk bundles', () => {
  it('the preload bundles only the contract channel names: no zod, no schemas', async () => {
    const { inputs, text } = await bundle('main/preload/index.ts', { platform: 'node', format: 'cjs' });
    expect(inputs).toEqual(['main/contract/channels.ts', 'main/preload/index.ts']);
    expect(text).not.toMatch(/zod|safeParse/i);
  });

  it("the v2 host page script takes the contract's Duo formats and leaves zod out", async () => {
    const { inputs, text } = await bundle('renderer/duo/kiosk-v2-host.ts', {
      platform: 'browser',
      format: 'iife',
    });
    expect(inputs).toContain('main/contract/duo-formats.ts');
    expect(inputs).toContain('renderer/duo/web-v2-frame.ts');
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
    expect(text).not.toMatch(/ZodError|safeParse/);
    // The one message format, from the contract, is in the script.
    expect(text).toContain('AUTH|ENROLL');
  });
});
