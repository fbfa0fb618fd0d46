/**
 * Constant-time comparison, the one place Walkup compares secrets, signatures, CSRF tokens and
 * OAuth `state` values (a plain `===` returns at the first differing character, which leaks how
 * much of a guess was right: CWE-208).
 */
import { timingSafeEqual } from 'node:crypto';

/**
 * True when both byte strings are equal, compared in time that depends only on their lengths
 * (Node's `crypto.timingSafeEqual`). Different lengths are unequal, at once: every caller
 * compares values whose length is public (fixed-size digests, tokens of a known size).
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * True when `received` equals `expected` as UTF-8, compared with `bytesEqual`. `undefined`
 * (a value that was not sent) is never equal.
 */
export function constantTimeEquals(received: string | undefined, expected: string): boolean {
  if (received === undefined) return false;
  return bytesEqual(Buffer.from(received, 'utf8'), Buffer.from(expected, 'utf8'));
}
