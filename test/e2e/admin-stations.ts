/**
 * What the admin and first-run specs share with the end-to-end stack (test/e2e/stack.ts): the
 * admin PIN of the prepared stations, and where the stack writes the parts of its servers that
 * change from run to run (the Duo emulator's host, slapd's URL and DNs), which a person would
 * read off their Duo admin panel and directory.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The admin PIN of the stations the stack prepares (`walkup hash-pin`'s hash in their state folder). */
export const E2E_ADMIN_PIN = '246813';
/** `admin.maxPinAttempts` of the prepared stations: the PIN pad locks after this many wrong PINs. */
export const E2E_MAX_PIN_ATTEMPTS = 2;

/** Where the stack writes {@link E2EStackInfo} when it is up. */
export const E2E_STACK_INFO_FILE = path.join(tmpdir(), 'walkup-e2e-stack', 'stack.json');

/** The servers' details a person setting up a station would type. */
export interface E2EStackInfo {
  duo: { apiHost: string; clientId: string; clientSecret: string };
  directory: { url: string; baseDN: string; bindDN: string; bindPassword: string };
}

/** Reads what the running stack wrote. */
export function readStackInfo(): E2EStackInfo {
  return JSON.parse(readFileSync(E2E_STACK_INFO_FILE, 'utf8')) as E2EStackInfo;
}
