/**
 * Resolves the configuration's secret references (inline, `{ env }`, `{ file }`, `{ vault }`) to
 * values. Errors say which reference failed and why, never what the value was or looked like.
 *
 * A `{ file }` secret must be a regular file (a symlink is followed: the file it points to counts)
 * that neither its group nor others can read: mode 0600 or 0400, else it is refused with the path
 * and the mode. A `{ vault }` secret is read from the kiosk's encrypted vault (`core/secrets`);
 * portal mode and the CLI have no vault and refuse it.
 */
import { readFile, stat } from 'node:fs/promises';
import type { DuoSecrets } from '../duo';
import { duoSecretKeys } from '../duo/registry';
import type { SecretRef, WalkupConfig } from './schema';

/** How secrets are read; tests pass their own. */
export interface SecretIo {
  env: Record<string, string | undefined>;
  readFile(path: string): Promise<string>;
  /**
   * File type and mode (`fs.stat`, following symlinks), for the 0600 rule. Absent: no check
   * (Windows uses ACLs instead).
   */
  stat?(path: string): Promise<{ mode: number }>;
  /**
   * The kiosk's vault: reads a `{ vault }` entry, or says why not (`error` names the cause, never
   * the value). Absent (portal mode, the CLI): `{ vault }` references are refused.
   */
  vault?(name: string): Promise<SecretResult>;
}

export type SecretResult = { ok: true; value: string } | { ok: false; error: string };

/** The process environment and the file system. */
export const defaultSecretIo: SecretIo = {
  env: process.env,
  readFile: (path) => readFile(path, 'utf8'),
  ...(process.platform === 'win32' ? {} : { stat: (path: string) => stat(path) }),
};

/** Secret files larger than this are surely not a secret (a wrong path, say). */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** Names a reference for messages: `environment variable DUO_SECRET`, `file /etc/walkup/skey`. */
export function describeSecretRef(ref: SecretRef): string {
  if (typeof ref === 'string') return 'inline value';
  if ('env' in ref) return `environment variable ${ref.env}`;
  return 'vault' in ref ? `vault entry ${ref.vault}` : `file ${ref.file}`;
}

/** The file-type bits of a stat mode (POSIX `S_IFMT`), and those of a regular file and a directory. */
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** A mode's permission bits as an admin writes them: `0644`. */
export function formatFileMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/**
 * Why a secret file's type or mode is refused, or undefined when it is a regular file its group
 * and others cannot read (0600, 0400). `described` is `describeSecretRef`'s name of the file.
 */
export function secretFileModeProblem(described: string, mode: number): string | undefined {
  const type = mode & S_IFMT;
  if (type === S_IFDIR) return `${described} is a directory`;
  if (type !== 0 && type !== S_IFREG) return `${described} is not a regular file`;
  if ((mode & 0o077) === 0) return undefined;
  return `${described} is readable by other users (mode ${formatFileMode(mode)}); make it mode 0600`;
}

/** What portal mode and the CLI say about a `{ vault }` reference. */
export const VAULT_ONLY_IN_KIOSK =
  'is kept in the kiosk vault, which only the kiosk can read; portal mode and the CLI take { "env": … } or { "file": … }';

function ioErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'EISDIR') return 'is a directory';
  return `cannot be read (${code ?? 'error'})`;
}

/** Resolves one secret reference. */
export async function resolveSecret(ref: SecretRef, io: SecretIo = defaultSecretIo): Promise<SecretResult> {
  const name = describeSecretRef(ref);
  if (typeof ref === 'string') {
    return ref.length > 0 ? { ok: true, value: ref } : { ok: false, error: `${name} is empty` };
  }
  if ('env' in ref) {
    const value = io.env[ref.env];
    if (value === undefined) return { ok: false, error: `${name} is not set` };
    if (value.length === 0) return { ok: false, error: `${name} is empty` };
    return { ok: true, value };
  }
  if ('vault' in ref) {
    if (!io.vault) return { ok: false, error: `${name} ${VAULT_ONLY_IN_KIOSK}` };
    return io.vault(ref.vault);
  }

  if (io.stat) {
    let problem: string | undefined;
    try {
      problem = secretFileModeProblem(name, (await io.stat(ref.file)).mode);
    } catch (error) {
      return { ok: false, error: `${name} ${ioErrorText(error)}` };
    }
    if (problem !== undefined) return { ok: false, error: problem };
  }
  let text: string;
  try {
    text = await io.readFile(ref.file);
  } catch (error) {
    return { ok: false, error: `${name} ${ioErrorText(error)}` };
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_SECRET_FILE_BYTES) {
    return { ok: false, error: `${name} is too large to hold a secret` };
  }
  // `echo secret > file` leaves a newline that is not part of the secret.
  const value = text.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
  if (value.length === 0) return { ok: false, error: `${name} is empty` };
  return { ok: true, value };
}

/** Every secret a station needs, resolved. */
export interface StationSecrets {
  bindPassword?: string;
  duo: DuoSecrets;
  /** `audit.usernameHashKey`, when configured. */
  auditUsernameHashKey?: string;
}

export type StationSecretsResult = { ok: true; secrets: StationSecrets } | { ok: false; errors: string[] };

/**
 * Resolves the directory and Duo secrets of a configuration. Errors name the key, e.g.
 * `duo.skey: environment variable WALKUP_DUO_SKEY is not set`,
 * `duo.skey: file /etc/walkup/skey is readable by other users (mode 0644); make it mode 0600`.
 */
export async function resolveStationSecrets(
  config: WalkupConfig,
  io: SecretIo = defaultSecretIo,
): Promise<StationSecretsResult> {
  const wanted: [key: string, ref: SecretRef | undefined, assign: (value: string) => void][] = [];
  const secrets: StationSecrets = { duo: {} };
  wanted.push([
    'directory.bindPassword',
    config.directory.bindPassword,
    (value) => (secrets.bindPassword = value),
  ]);
  // The integration's entry lists its own secrets: a new SDK never inherits another's.
  for (const { key, ref, as } of duoSecretKeys(config.duo)) {
    wanted.push([key, ref, (value) => (secrets.duo[as] = value)]);
  }

  wanted.push([
    'audit.usernameHashKey',
    config.audit.usernameHashKey,
    (value) => (secrets.auditUsernameHashKey = value),
  ]);

  const errors: string[] = [];
  for (const [key, ref, assign] of wanted) {
    if (ref === undefined) continue;
    const result = await resolveSecret(ref, io);
    if (!result.ok) {
      errors.push(`${key}: ${result.error}`);
      continue;
    }
    assign(result.value);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, secrets };
}
