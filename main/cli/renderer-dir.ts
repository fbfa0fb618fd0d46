/**
 * Where the built renderer is, for portal mode: `WALKUP_RENDERER_DIR` if set, else `out/renderer`
 * of the checkout (running from source) or next to the bundled CLI (`out/cli` → `out/renderer`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The renderer folder to serve (the first candidate holding an index.html, else the first one). */
export function findRendererDir(env: NodeJS.ProcessEnv): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    ...(env.WALKUP_RENDERER_DIR ? [path.resolve(env.WALKUP_RENDERER_DIR)] : []),
    path.resolve(here, '..', '..', 'out', 'renderer'),
    path.resolve(here, '..', 'renderer'),
  ];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? (candidates[0] as string);
}
