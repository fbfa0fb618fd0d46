/**
 * Provisioning secrets into the kiosk vault without a terminal on the kiosk and without Electron
 * on the admin machine. There is no safeStorage outside the kiosk (its key belongs to the kiosk
 * account's keyring, Keychain or DPAPI profile), so `walkup import-secrets` cannot encrypt for
 * it. Instead it writes a *pending import*: `secrets-import.json` (mode 0600, written atomically)
 * in the kiosk's userData folder. At its next start the kiosk moves every entry into its vault
 * (encrypted with safeStorage) and deletes the file; until then the values sit in that file in
 * plain text, protected by its mode alone, exactly like a `{ "file": … }` secret.
 *
 * The provisioning file is one JSON object of vault entry names to values:
 * `{ "duo.clientSecret": "…", "directory.bindPassword": "…" }`. Names follow the one rule in
 * `./names`. Errors name entries, never values (a JSON syntax error is reported without the
 * parser's message, which quotes the text).
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isReservedSecretName, RESERVED_SECRET_NAMES, SECRET_NAME, SECRET_NAME_RULE } from './names';
import { writePrivateFileAtomically } from '../private-file';
import type { Vault } from './vault';

/** The pending import in the kiosk's userData folder. */
export const SECRETS_IMPORT_FILE = 'secrets-import.json';
/** The vault's folder in the kiosk's userData folder (one 0600 blob file per entry). */
export const VAULT_FOLDER = 'vault';

/** A value longer than this is surely not a secret (the limit of a `{ file }` secret too). */
const MAX_SECRET_BYTES = 64 * 1024;

/** The one schema of a provisioning file (and of the pending import, which has the same shape). */
export const provisioningSchema = z
  .record(
    z.string().regex(SECRET_NAME, SECRET_NAME_RULE),
    z
      .string()
      .min(1, 'is empty')
      .refine(
        (value) => Buffer.byteLength(value, 'utf8') <= MAX_SECRET_BYTES,
        'is too large to hold a secret',
      ),
  )
  .refine((entries) => Object.keys(entries).length > 0, 'names no secret');

export type ProvisionedSecrets = Record<string, string>;

export type ProvisioningResult = { ok: true; secrets: ProvisionedSecrets } | { ok: false; errors: string[] };

/**
 * Parses a provisioning file's text. Errors are one line per problem naming the entry
 * (`duo.clientSecret: is empty`), never a value.
 */
export function parseProvisioning(text: string): ProvisioningResult {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, errors: ['(file): is not valid JSON'] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return {
      ok: false,
      errors: [
        '(file): must be a JSON object of vault entry names to values, e.g. { "duo.clientSecret": "…" }',
      ],
    };
  }
  const parsed = provisioningSchema.safeParse(json);
  if (parsed.success) return { ok: true, secrets: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(file)';
      // zod reports a bad name under the key itself ('invalid_key'); messages never quote a value.
      const message =
        issue.code === 'invalid_key'
          ? SECRET_NAME_RULE
          : issue.code === 'invalid_type'
            ? 'must be a string'
            : issue.message;
      return `${where}: ${message}`;
    }),
  };
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export type PendingWriteResult =
  | { ok: true; file: string; names: string[]; replaced: string[] }
  | { ok: false; file: string; error: string };

/**
 * Adds `secrets` to the pending import in `stateDir` (creating it with mode 0600, or merging
 * into one the kiosk has not imported yet: an entry given again replaces the pending one).
 * A pending import that cannot be parsed is left alone and reported. The read-merge-write holds
 * `secrets-import.json.lock` (created exclusively), so two runs at once never lose an entry: the
 * second is refused and says so.
 */
export async function writePendingImport(
  stateDir: string,
  secrets: ProvisionedSecrets,
): Promise<PendingWriteResult> {
  const file = path.join(stateDir, SECRETS_IMPORT_FILE);
  const lockFile = `${file}.lock`;
  let lock;
  try {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    lock = await open(lockFile, 'wx', 0o600);
  } catch (error) {
    return {
      ok: false,
      file,
      error:
        errorCode(error) === 'EEXIST'
          ? `another walkup import-secrets is writing it (if none is, delete ${lockFile})`
          : `cannot be written (${errorCode(error) ?? 'error'})`,
    };
  }
  try {
    return await mergeIntoPending(file, secrets);
  } finally {
    await lock.close();
    await rm(lockFile, { force: true });
  }
}

async function mergeIntoPending(file: string, secrets: ProvisionedSecrets): Promise<PendingWriteResult> {
  let pending: ProvisionedSecrets = {};
  try {
    const parsed = parseProvisioning(await readFile(file, 'utf8'));
    if (!parsed.ok) {
      return {
        ok: false,
        file,
        error: `a pending import that is not valid is already there (${parsed.errors.join('; ')})`,
      };
    }
    pending = parsed.secrets;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') {
      return { ok: false, file, error: `the pending import cannot be read (${errorCode(error) ?? 'error'})` };
    }
  }
  const replaced = Object.keys(secrets).filter((name) => Object.hasOwn(pending, name));
  const merged = { ...pending, ...secrets };
  try {
    await writePrivateFileAtomically(file, `${JSON.stringify(merged, null, 2)}\n`);
  } catch (error) {
    return { ok: false, file, error: `cannot be written (${errorCode(error) ?? 'error'})` };
  }
  return { ok: true, file, names: Object.keys(merged).sort(), replaced: replaced.sort() };
}

/** The pending import once the kiosk has claimed it (renamed), until every entry is stored. */
export const CLAIMED_IMPORT_FILE = `${SECRETS_IMPORT_FILE}.importing`;

export type PendingImportResult =
  /** Every claimed entry is in the vault (none when nothing was pending); its file is deleted. */
  | { ok: true; imported: string[] }
  /** The claimed file stays for the next start; `problem` says why (names entries, never values). */
  | { ok: false; problem: string };

/**
 * Reserved entries an import may not write (`names.ts`): never the settings key or another
 * `admin.*` / `settings.*` name; the PIN hash only into a vault that has neither a PIN nor a
 * settings key yet (a station never administered). One line per refused entry.
 */
async function reservedImportProblems(secrets: ProvisionedSecrets, vault: Vault): Promise<string[]> {
  const problems: string[] = [];
  for (const name of Object.keys(secrets)) {
    if (!isReservedSecretName(name)) continue;
    if (name !== RESERVED_SECRET_NAMES.pinHash) {
      problems.push(`${name}: belongs to the admin screen and is never imported`);
    } else if (
      (await vault.has(RESERVED_SECRET_NAMES.pinHash)) ||
      (await vault.has(RESERVED_SECRET_NAMES.settingsKey))
    ) {
      problems.push(`${name}: this station already has an admin PIN; change it in the admin screen`);
    }
  }
  return problems;
}

/** Imports the claimed file into `vault`, then deletes it; undefined when there is none. */
async function importClaimed(claimed: string, vault: Vault): Promise<PendingImportResult | undefined> {
  let text: string;
  try {
    text = await readFile(claimed, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    return {
      ok: false,
      problem: `the pending import ${claimed} cannot be read (${errorCode(error) ?? 'error'})`,
    };
  }
  const parsed = parseProvisioning(text);
  if (!parsed.ok) {
    return { ok: false, problem: `the pending import ${claimed} is not valid: ${parsed.errors.join('; ')}` };
  }
  const refused = await reservedImportProblems(parsed.secrets, vault);
  if (refused.length > 0) {
    return { ok: false, problem: `the pending import ${claimed} is refused: ${refused.join('; ')}` };
  }
  const failed: string[] = [];
  for (const [name, value] of Object.entries(parsed.secrets)) {
    const stored = await vault.put(name, value);
    if (!stored.ok) failed.push(`${name} (${stored.reason})`);
  }
  if (failed.length > 0) {
    return { ok: false, problem: `the pending import ${claimed} could not store ${failed.join(', ')}` };
  }
  try {
    await rm(claimed);
  } catch (error) {
    return {
      ok: false,
      problem: `the pending import ${claimed} was stored but cannot be deleted (${errorCode(error) ?? 'error'}); delete it`,
    };
  }
  return { ok: true, imported: Object.keys(parsed.secrets).sort() };
}

/**
 * Moves a pending import from `stateDir` into `vault` (the kiosk, at start). The file is first
 * claimed by renaming it (`CLAIMED_IMPORT_FILE`), so an import written meanwhile by
 * `walkup import-secrets` is a new file left for the next start, never deleted unread; a claim
 * left by an interrupted start is imported first. A claimed file is deleted once every entry is
 * stored, else kept for the next start. Never throws.
 */
export async function importPendingSecrets(stateDir: string, vault: Vault): Promise<PendingImportResult> {
  const file = path.join(stateDir, SECRETS_IMPORT_FILE);
  const claimed = path.join(stateDir, CLAIMED_IMPORT_FILE);
  const imported = new Set<string>();
  const earlier = await importClaimed(claimed, vault);
  if (earlier && !earlier.ok) return earlier;
  for (const name of earlier?.imported ?? []) imported.add(name);
  try {
    await rename(file, claimed);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { ok: true, imported: [...imported].sort() };
    return {
      ok: false,
      problem: `the pending import ${file} cannot be claimed (${errorCode(error) ?? 'error'})`,
    };
  }
  const latest = await importClaimed(claimed, vault);
  if (latest && !latest.ok) return latest;
  for (const name of latest?.imported ?? []) imported.add(name);
  return { ok: true, imported: [...imported].sort() };
}
