/**
 * The one function that makes text Duo (or whoever posed as Duo) sent fit for the audit log and
 * the operational log: the detail of a Web SDK v2 `ERR|…` frame message and the OAuth `error` /
 * `error_description` of a Web SDK v4 callback (RFC 6749 section 4.1.2.1). Both arrive through
 * the person's browser, so they are attacker-controlled.
 */

/** Longest Duo text kept, in code points. */
export const MAX_DUO_TEXT_LENGTH = 200;

/**
 * Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
 * overrides and isolates (Unicode TR #9), which could forge or hide log lines when shown.
 */
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
/** A UTF-16 surrogate without its pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `value` with each unsafe character replaced by a space, each lone surrogate by U+FFFD, and cut
 * to `maxLength` code points (never inside a surrogate pair). `undefined` gives ''.
 */
export function duoText(value: string | undefined, maxLength = MAX_DUO_TEXT_LENGTH): string {
  const cleaned = (value ?? '').replace(LONE_SURROGATE, '\uFFFD').replace(UNSAFE, ' ');
  return [...cleaned].slice(0, maxLength).join('');
}
