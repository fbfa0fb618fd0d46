/**
 * The admin PIN's stored form, made by `walkup hash-pin` and the admin screen's PIN creation:
 * `scrypt$N$r$p$<salt>$<hash>` with standard base64 salt (16 random bytes) and hash (32 bytes),
 * e.g. `scrypt$16384$8$5$…$…`. scrypt (RFC 7914) with N = 2^14, r = 8, p = 5: one of the
 * equivalent settings OWASP's Password Storage Cheat Sheet gives for scrypt, and within Node's
 * default scrypt memory limit. The same form as the demo directory's password hashes, so one
 * verifier (`verifyScryptHash`) checks both. A PIN is short: the admin screen's throttling and
 * lockout (`core/admin/pin-gate.ts`) are what stop guessing; the hash keeps the PIN out of the vault and settings.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { bytesEqual } from '../constant-time';

/** scrypt parameters of a new PIN hash. */
export const PIN_SCRYPT = { N: 16_384, r: 8, p: 5, saltBytes: 16, hashBytes: 32 } as const;

/** A PIN: 6 to 16 digits (the admin screen shows a PIN pad). */
export const PIN_RULE = /^[0-9]{6,16}$/;
export const PIN_RULE_TEXT = 'a PIN is 6 to 16 digits';

/** Hashes a PIN (callers check `PIN_RULE` first). */
export async function hashPin(pin: string): Promise<string> {
  const { N, r, p, saltBytes, hashBytes } = PIN_SCRYPT;
  const salt = randomBytes(saltBytes);
  const hash = await new Promise<Buffer>((resolve, reject) =>
    scrypt(pin, salt, hashBytes, { N, r, p }, (error, key) => (error ? reject(error) : resolve(key))),
  );
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * Verifies `secret` (a PIN, a demo password) against a stored `scrypt$N$r$p$salt$hash` in
 * constant time (`bytesEqual`). A stored value of another form, or with missing parts, is false
 * (never an error); scrypt's own refusal of the parameters (memory limit) rejects.
 */
export async function verifyScryptHash(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  if (expected.length === 0) return false;
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      secret,
      Buffer.from(salt, 'base64'),
      expected.length,
      { N: Number(n), r: Number(r), p: Number(p) },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
  return bytesEqual(actual, expected);
}
