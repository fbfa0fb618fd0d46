/**
 * Input rules and login-name normalisation. Pure functions: they run before any network I/O, so
 * a rejected input never reaches a directory server.
 */
import { MAX_PASSWORD_LENGTH, type InputProblem } from '../../contract';

/** Configuration the login-name rules need (a subset of the directory configuration). */
export interface LoginNameRules {
  maxUsernameLength: number;
  /** NetBIOS names accepted in `DOMAIN\user` (case-insensitive). */
  netbiosDomains: string[];
  /** UPN suffixes accepted in `user@suffix` (case-insensitive, without `@`). */
  upnSuffixes: string[];
}

/** A login name the directory can search for. */
export interface LoginName {
  /**
   * The name in NFKC with a configured `DOMAIN\` prefix or `@suffix` removed: what `{username}`
   * in the search filter becomes.
   */
  name: string;
  /**
   * The user principal name: as typed when the person typed `user@suffix`, otherwise
   * `name@<first configured suffix>`, otherwise the bare name. What `{upn}` becomes.
   */
  upn: string;
  /** Which form the person typed. */
  form: 'plain' | 'down-level' | 'upn';
  /**
   * Key for the per-name throttle before the directory is asked: `name` case-folded (see
   * `foldName`), so `Alice`, `WALKUP\alice`, `alice@suffix` and `ａｌｉｃｅ` share it. The
   * account's own identity joins the other forms once the search has found the entry.
   */
  throttleKey: string;
}

export type LoginNameResult = { ok: true; login: LoginName } | { ok: false; problem: InputProblem };

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators. NUL included.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/**
 * Checks a typed username against the input rules and normalises it:
 * - Unicode NFKC (UAX #15), so compatibility spellings (fullwidth `ｅrin`, `𝐞rin`, a trailing
 *   ideographic space) become the name they stand for. OpenLDAP's matching rules already treat
 *   them as that name (slapd finds `uid=erin` for `ｅrin`), as does AD's width-insensitive
 *   comparison; the search uses the NFKC form so every server agrees with the throttle key;
 * - leading and trailing whitespace is ignored (LDAP matching ignores it too);
 * - `DOMAIN\user` and `user@suffix` with the configured NetBIOS names and UPN suffixes,
 *   compared with case folding.
 * The case is kept for the search (the directory matches case-insensitively); the throttle key
 * is case-folded.
 */
export function normalizeLoginName(typed: string, rules: LoginNameRules): LoginNameResult {
  if (CONTROL_CHARACTERS.test(typed)) return { ok: false, problem: 'username-control-characters' };
  // Length is checked on the typed text first, so normalisation never works on an oversized value.
  if ([...typed.trim()].length > rules.maxUsernameLength) return { ok: false, problem: 'username-too-long' };
  const trimmed = typed.normalize('NFKC').trim();
  if (CONTROL_CHARACTERS.test(trimmed)) return { ok: false, problem: 'username-control-characters' };
  if (trimmed.length === 0) return { ok: false, problem: 'username-empty' };
  if ([...trimmed].length > rules.maxUsernameLength) return { ok: false, problem: 'username-too-long' };

  const firstSuffix = rules.upnSuffixes[0];
  const defaultUpn = (name: string) => (firstSuffix ? `${name}@${firstSuffix}` : name);

  const backslash = trimmed.indexOf('\\');
  if (backslash > 0) {
    const domain = trimmed.slice(0, backslash);
    const rest = trimmed.slice(backslash + 1);
    if (rest.length > 0 && includesFolded(rules.netbiosDomains, domain)) {
      return { ok: true, login: login(rest, defaultUpn(rest), 'down-level') };
    }
  }

  const at = trimmed.lastIndexOf('@');
  if (at > 0 && at < trimmed.length - 1) {
    const prefix = trimmed.slice(0, at);
    const suffix = trimmed.slice(at + 1);
    // An unknown suffix is kept whole: AD forests often have more UPN suffixes than configured,
    // and the default AD filter matches userPrincipalName as typed.
    const name = includesFolded(rules.upnSuffixes, suffix) ? prefix : trimmed;
    return { ok: true, login: login(name, trimmed, 'upn') };
  }

  return { ok: true, login: login(trimmed, defaultUpn(trimmed), 'plain') };
}

/**
 * The form two spellings of one name share: NFKC, then case folding. Full case folding
 * (Unicode CaseFolding.txt) is approximated locale-independently by upper- then lower-casing,
 * which also folds `ß`/`ẞ` to `ss` and gives every sigma the same form; NFKC again because case mapping can
 * leave a string unnormalised (`İ` lower-cases to `i` + U+0307). Where it merges more than full
 * case folding would (dotless `ı` with `i`), two names share a throttle counter: the safe side.
 */
export function foldName(value: string): string {
  // Twice: `ẞ` upper-cases to itself and lower-cases to `ß`, which only the second round folds.
  const round = (text: string) => text.toUpperCase().toLowerCase();
  return round(round(value.normalize('NFKC'))).normalize('NFKC');
}

/**
 * Checks a password before any network I/O. Empty and whitespace-only passwords are refused:
 * a simple bind with an empty password is an *unauthenticated* bind (RFC 4513 §5.1.2) that some
 * servers answer with success. The password is otherwise never altered.
 */
export function checkPassword(password: string): InputProblem | undefined {
  if (password.trim().length === 0) return 'password-empty';
  if ([...password].length > MAX_PASSWORD_LENGTH) return 'password-too-long';
  return undefined;
}

function login(name: string, upn: string, form: LoginName['form']): LoginName {
  return { name, upn, form, throttleKey: foldName(name) };
}

function includesFolded(list: string[], value: string): boolean {
  const wanted = foldName(value);
  return list.some((entry) => foldName(entry) === wanted);
}
