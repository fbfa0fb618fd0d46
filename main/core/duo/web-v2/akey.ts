/**
 * A new Duo Web SDK v2 application key (`duo.akey`): 43 characters of base64url from 32 random
 * bytes (256 bits) of Node's CSPRNG. Duo's Web SDK v2 documentation asks for a random string of
 * at least 40 characters that the application keeps secret (`AKEY_LEN`); Duo never sees it.
 * `walkup generate-akey` prints one; the admin screen stores one when a v2 station has none.
 */
import { randomBytes } from 'node:crypto';
import { AKEY_LEN } from './signature';

/** A new akey: base64url of 32 random bytes (43 characters, at least `AKEY_LEN`). */
export function generateAkey(): string {
  const akey = randomBytes(32).toString('base64url');
  if (akey.length < AKEY_LEN) throw new Error('akey too short');
  return akey;
}
