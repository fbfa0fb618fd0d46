/**
 * The last line of defence between an event and the audit file: any field whose name looks like a
 * credential is dropped, however deep. The engine never puts one there; this guard makes a slip
 * visible (`redacted`) instead of permanent.
 */
import { duoFailureCodes, type DuoFailureCode } from '../duo/types';

const SECRET_FIELD = /password|passwd|passphrase|secret|skey|akey|token|code|pin$/i;

/**
 * Failure codes that may travel in a field called `code` (`duo-rejected`): short, fixed words.
 * Any other value in a `code` field (an OAuth authorization code, say) is dropped.
 */
const KNOWN_FAILURE_CODES: ReadonlySet<string> = new Set<DuoFailureCode | 'malformed' | 'no-visit'>([
  ...duoFailureCodes,
  'malformed',
  'no-visit',
]);

function isAllowed(key: string, value: unknown): boolean {
  if (!SECRET_FIELD.test(key)) return true;
  return key === 'code' && typeof value === 'string' && KNOWN_FAILURE_CODES.has(value);
}

/** Returns a copy of `value` without credential-like fields, and the paths it dropped. */
export function redactSecrets(value: unknown): { value: unknown; redacted: string[] } {
  const redacted: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${path}[${index}]`));
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        const childPath = path ? `${path}.${key}` : key;
        if (isAllowed(key, child)) out[key] = walk(child, childPath);
        else redacted.push(childPath);
      }
      return out;
    }
    return node;
  };
  return { value: walk(value, ''), redacted };
}
