import { describe, expect, it } from 'vitest';
import {
  checkPassword,
  foldName,
  normalizeLoginName,
  type LoginNameRules,
} from '../../../../main/core/directory/login-name';

const rules: LoginNameRules = {
  maxUsernameLength: 40,
  netbiosDomains: ['WALKUP'],
  upnSuffixes: ['walkup.test', 'corp.walkup.test'],
};

const login = (typed: string, custom: LoginNameRules = rules) => {
  const result = normalizeLoginName(typed, custom);
  if (!result.ok) throw new Error(`unexpected ${result.problem}`);
  return result.login;
};

describe('normalizeLoginName', () => {
  it('keeps a plain name and derives the UPN from the first configured suffix', () => {
    expect(login('alice')).toEqual({
      name: 'alice',
      upn: 'alice@walkup.test',
      form: 'plain',
      throttleKey: 'alice',
    });
  });

  it('strips a configured NetBIOS domain, whatever its case', () => {
    expect(login('WALKUP\\alice')).toMatchObject({ name: 'alice', form: 'down-level' });
    expect(login('walkup\\Alice')).toMatchObject({ name: 'Alice', throttleKey: 'alice' });
  });

  it('keeps an unknown domain prefix, so it matches no account name', () => {
    expect(login('OTHER\\alice')).toMatchObject({ name: 'OTHER\\alice', form: 'plain' });
  });

  it('strips a configured UPN suffix but keeps the UPN as typed', () => {
    expect(login('alice@Corp.Walkup.Test')).toEqual({
      name: 'alice',
      upn: 'alice@Corp.Walkup.Test',
      form: 'upn',
      throttleKey: 'alice',
    });
  });

  it('keeps a UPN with an unknown suffix whole (AD may still know it)', () => {
    expect(login('alice@elsewhere.test')).toMatchObject({
      name: 'alice@elsewhere.test',
      upn: 'alice@elsewhere.test',
    });
  });

  it('gives every form of one account the same throttle key', () => {
    const keys = ['alice', 'ALICE', 'WALKUP\\alice', 'alice@walkup.test', ' alice '].map(
      (typed) => login(typed).throttleKey,
    );
    expect(new Set(keys)).toEqual(new Set(['alice']));
  });

  it('uses the bare name as UPN when no suffix is configured', () => {
    expect(login('alice', { ...rules, upnSuffixes: [] }).upn).toBe('alice');
  });

  it('ignores surrounding whitespace but nothing inside the name', () => {
    expect(login('  o*d()\\name  ').name).toBe('o*d()\\name');
  });

  it.each([
    ['', 'username-empty'],
    ['   ', 'username-empty'],
    ['a'.repeat(41), 'username-too-long'],
    ['alice\u0000', 'username-control-characters'],
    ['al\nice', 'username-control-characters'],
    ['alice\u007f', 'username-control-characters'],
    ['alice\u0085', 'username-control-characters'],
    ['alice\u2028', 'username-control-characters'],
  ])('refuses %j with %s', (typed, problem) => {
    expect(normalizeLoginName(typed, rules)).toEqual({ ok: false, problem });
  });

  it('counts the length in characters, not UTF-16 units', () => {
    expect(normalizeLoginName('🔑'.repeat(40), rules).ok).toBe(true);
  });
});

describe('Unicode spellings of one name (NFKC and case folding)', () => {
  it.each([
    ['fullwidth letters', 'ｅrin'],
    ['all fullwidth, capitals', 'ＥＲＩＮ'],
    ['mathematical bold', '𝐞rin'],
    ['a trailing ideographic space', 'erin\u3000'],
    ['capitals', 'ERIN'],
  ])('gives %s (%j) the key of erin and searches for the NFKC form', (_what, typed) => {
    const result = login(typed);
    expect(result.throttleKey).toBe('erin');
    expect(result.name.toLowerCase()).toBe('erin');
    expect(result.upn.toLowerCase()).toBe('erin@walkup.test');
  });

  it('recognises a fullwidth domain prefix, backslash and at sign', () => {
    expect(login('ＷＡＬＫＵＰ＼erin')).toMatchObject({
      name: 'erin',
      form: 'down-level',
      throttleKey: 'erin',
    });
    expect(login('erin＠ｗａｌｋｕｐ.test')).toMatchObject({
      name: 'erin',
      upn: 'erin@walkup.test',
      form: 'upn',
      throttleKey: 'erin',
    });
  });

  it('folds case beyond lower-casing (ß and ẞ as ss, final sigma)', () => {
    expect(login('STRAẞE').throttleKey).toBe(login('strasse').throttleKey);
    expect(login('straße').throttleKey).toBe('strasse');
    expect(login('ΟΔΟΣ').throttleKey).toBe(login('οδος').throttleKey);
  });

  it('gives a precomposed and a decomposed é the same key and search form', () => {
    expect(login('ren\u00e9')).toEqual(login('rene\u0301'));
  });

  it('keeps characters that are not compatibility spellings apart (zero-width space)', () => {
    // slapd does not match uid=er\u200bin to erin either: no entry, no bind, no lockout.
    expect(login('er\u200bin').throttleKey).not.toBe('erin');
  });

  it('checks control characters and length on the normalised name too', () => {
    expect(normalizeLoginName('\u3000\u3000', rules)).toEqual({ ok: false, problem: 'username-empty' });
    // U+FDFA is one character that NFKC spells out in 18.
    expect(normalizeLoginName('\ufdfa'.repeat(3), rules)).toEqual({
      ok: false,
      problem: 'username-too-long',
    });
  });
});

describe('foldName', () => {
  it('is deterministic and idempotent', () => {
    for (const value of ['İstanbul', 'ǅ', 'ﬁle', 'Straße', 'ｅｒｉｎ']) {
      expect(foldName(foldName(value))).toBe(foldName(value));
    }
    expect(foldName('ﬁle')).toBe('file');
  });
});

describe('checkPassword', () => {
  it.each(['', ' ', '\t', '\r\n', '\u00a0\u2003'])(
    'refuses the empty or whitespace-only password %j',
    (password) => {
      expect(checkPassword(password)).toBe('password-empty');
    },
  );

  it.each(['  spaces around  ', '()*\\$&', 'Pässwörd-密码-🔑', 'a\u0000b'])(
    'accepts %j unchanged',
    (password) => {
      expect(checkPassword(password)).toBeUndefined();
    },
  );

  it('refuses a password longer than 1024 characters', () => {
    expect(checkPassword('x'.repeat(1025))).toBe('password-too-long');
    expect(checkPassword('x'.repeat(1024))).toBeUndefined();
  });
});
