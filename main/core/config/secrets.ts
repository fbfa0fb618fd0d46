/**
 * Resolves the configuration's secret references (inline, `{ env }`, `{ file }`) to values.
 * Errors say which reference failed and why, never what the value was or looked like.
 */
import { readFile, stat } from 'node:fs/promises';
import type { DuoSecrets } from '../duo';
import type { SecretRef, WalkupConfig } from './schema';

/** How secrets are read; tests pass their own. */
export interface SecretIo {
  env: Record<string, string | undefined>;
  readFile(path: string): Promise<string>;
  /** File mode, for the permission warning. Absent: no check (Windows uses ACLs instead). */
  stat?(path: string): Promise<{ mode: number }>;
}

export type SecretResult =
  | {
      ok: true;
      value: string;
      /** Set when a secret file can be read by its group or by everyone (should be 0600). */
      readableByOthers?: true;
    }
  | { ok: false; error: string };

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
  return 'env' in ref ? `environment variable ${ref.env}` : `file ${ref.file}`;
}

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

  let readableByOthers = false;
  if (io.stat) {
    try {
      readableByOthers = ((await io.stat(ref.file)).mode & 0o077) !== 0;
    } catch (error) {
      return { ok: false, error: `${name} ${ioErrorText(error)}` };
    }
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
  return readableByOthers ? { ok: true, value, readableByOthers: true } : { ok: true, value };
}

/** The warning for a secret file other users can read, naming the key (the station still starts). */
export function readableSecretWarning(key: string, ref: SecretRef): string {
  return `${key}: ${describeSecretRef(ref)} is readable by other users; make it mode 0600`;
}

/** Every secret a station needs, resolved. */
export interface StationSecrets {
  bindPassword?: string;
  duo: DuoSecrets;
  /** `audit.usernameHashKey`, when configured. */
  auditUsernameHashKey?: string;
}

export type StationSecretsResult =
  | { ok: true; secrets: StationSecrets; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] };

/**
 * Resolves the directory and Duo secrets of a configuration. Errors and warnings name the key,
 * e.g. `duo.skey: environment variable WALKUP_DUO_SKEY is not set`.
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
  if (config.duo.sdk === 'v4') {
    wanted.push(['duo.clientSecret', config.duo.clientSecret, (value) => (secrets.duo.clientSecret = value)]);
  } else {
    wanted.push(['duo.skey', config.duo.skey, (value) => (secrets.duo.skey = value)]);
    wanted.push(['duo.akey', config.duo.akey, (value) => (secrets.duo.akey = value)]);
  }

  wanted.push([
    'audit.usernameHashKey',
    config.audit.usernameHashKey,
    (value) => (secrets.auditUsernameHashKey = value),
  ]);

  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [key, ref, assign] of wanted) {
    if (ref === undefined) continue;
    const result = await resolveSecret(ref, io);
    if (!result.ok) {
      errors.push(`${key}: ${result.error}`);
      continue;
    }
    if (result.readableByOthers) warnings.push(readableSecretWarning(key, ref));
    assign(result.value);
  }
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, secrets, warnings };
}
