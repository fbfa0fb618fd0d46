/**
 * Reads a repository file as text. Renderer tests are type-checked without Node types (the
 * renderer has no Node), but they run in Node, so fs is taken from the runtime here, in one
 * place, with the one signature needed. (Under jsdom, import.meta.url is an http: URL, so paths
 * are taken from the repository root, where vitest runs.)
 */
interface NodeRuntime {
  cwd(): string;
  getBuiltinModule(id: 'node:fs'): { readFileSync(path: string, encoding: 'utf8'): string };
}

const runtime = (globalThis as unknown as { process: NodeRuntime }).process;

/** The text of `path`, relative to the repository root (e.g. `renderer/styles.css`). */
export function readSourceFile(path: string): string {
  return runtime.getBuiltinModule('node:fs').readFileSync(`${runtime.cwd()}/${path}`, 'utf8');
}
