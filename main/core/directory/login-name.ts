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
   * The name with a configured `DOMAIN\` prefix or `@suffix` removed: what `{username}` in the
   * search filter becomes.
   */
  name: string;
  /**
   * The user principal name: as typed when the person typed `user@suffix`, otherwise
   * `name@<first configured suffix>`, otherwise the bare name. What `{upn}` becomes.
   */
  upn: string;
  /** Which form the person typed. */
  form: 'plain' | 'down-level' | 'upn';
  /** Key for per-user throttling: every form of one account maps to the same key. */
  throttleKey: string;
}

export type LoginNameResult = { ok: true; login: LoginName } | { ok: false; problem: InputProblem };

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators. NUL included.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/**
 * Checks a typed username against the input rules and normalises `DOMAIN\user` and
 * `user@suffix` with the configured NetBIOS names and UPN suffixes. Leading and trailing
 * whitespace is ignored (LDAP matching ignores it too); nothing else is changed.
 */
export function normalizeLoginName(typed: string, rules: LoginNameRules): LoginNameResult {
  if (CONTROL_CHARACTERS.test(typed)) return { ok: false, problem: 'username-control-characters' };
  const trimmed = typed.trim();
  if (trimmed.length === 0) return { ok: false, problem: 'username-empty' };
  if ([...trimmed].length > rules.maxUsernameLength) return { ok: false, problem: 'username-too-long' };

  const firstSuffix = rules.upnSuffixes[0];
  const defaultUpn = (name: string) => (firstSuffix ? `${name}@${firstSuffix}` : name);

  const backslash = trimmed.indexOf('\\');
  if (backslash > 0) {
    const domain = trimmed.slice(0, backslash);
    const rest = trimmed.slice(backslash + 1);
    if (rest.length > 0 && includesIgnoringCase(rules.netbiosDomains, domain)) {
      return { ok: true, login: login(rest, defaultUpn(rest), 'down-level') };
    }
  }

  const at = trimmed.lastIndexOf('@');
  if (at > 0 && at < trimmed.length - 1) {
    const prefix = trimmed.slice(0, at);
    const suffix = trimmed.slice(at + 1);
    // An unknown suffix is kept whole: AD forests often have more UPN suffixes than configured,
    // and the default AD filter matches userPrincipalName as typed.
    const name = includesIgnoringCase(rules.upnSuffixes, suffix) ? prefix : trimmed;
    return { ok: true, login: login(name, trimmed, 'upn') };
  }

  return { ok: true, login: login(trimmed, defaultUpn(trimmed), 'plain') };
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
  return { name, upn, form, throttleKey: name.toLowerCase() };
}

function includesIgnoringCase(list: string[], value: string): boolean {
  const wanted = value.toLowerCase();
  return list.some((entry) => entry.toLowerCase() === wanted);
}
