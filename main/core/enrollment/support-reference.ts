/**
 * Short support references ("K7F3-9QX2") shown with every failure and written to the audit log,
 * so the helpdesk can find the precise reason without the kiosk revealing it (ASVS 7.4.1).
 */
import { randomBytes } from 'node:crypto';

/** Crockford base32: no I, L, O or U, so a reference read aloud is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh random reference, two groups of four characters (40 bits). */
export function newSupportReference(): string {
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  const chars = [...randomBytes(8)].map((byte) => ALPHABET[byte % 32]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** Random id of one visit, for correlating audit records (never the session cookie). */
export function newVisitId(): string {
  return `v-${randomBytes(6).toString('hex')}`;
}
