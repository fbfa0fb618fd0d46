import { describe, expect, it } from 'vitest';
import {
  createPartitionNamer,
  decideClientCertificate,
  downloadLogFields,
  isInMemoryVisitPartition,
  VISIT_WIPE_STEPS,
  visitAcceptLanguages,
} from '../../../main/electron/session-policy';

describe('createPartitionNamer', () => {
  it('names each visit partition once: unique, in memory, never persist:', () => {
    let n = 0;
    const namer = createPartitionNamer(() => `nonce${(n++).toString().padStart(8, '0')}`);
    const names = Array.from({ length: 50 }, (_, index) => namer.next(index % 2 ? 'duo-v2' : 'duo-v4'));
    expect(new Set(names).size).toBe(50);
    for (const name of names) {
      expect(isInMemoryVisitPartition(name)).toBe(true);
      expect(name.startsWith('persist:')).toBe(false);
    }
    expect(names[0]).toMatch(/^walkup-visit-duo-v4-1-nonce/);
  });
  it('stays unique even when the nonce source repeats itself (the counter differs)', () => {
    const namer = createPartitionNamer(() => 'samesamesame');
    expect(namer.next('duo-v4')).not.toBe(namer.next('duo-v4'));
  });
  it('refuses a nonce too short to be unguessable, and strips anything but letters and digits', () => {
    expect(() => createPartitionNamer(() => 'short').next('duo-v4')).toThrow(/nonce/);
    expect(createPartitionNamer(() => 'persist:abcdefgh/..').next('duo-v2')).toBe(
      'walkup-visit-duo-v2-1-persistabcdefgh',
    );
  });
});

describe('isInMemoryVisitPartition', () => {
  it('accepts only our in-memory names', () => {
    expect(isInMemoryVisitPartition('walkup-visit-duo-v4-1-abc')).toBe(true);
    expect(isInMemoryVisitPartition('persist:walkup-visit-duo-v4-1-abc')).toBe(false);
    expect(isInMemoryVisitPartition('')).toBe(false);
  });
});

describe('VISIT_WIPE_STEPS', () => {
  it('closes connections first, then clears storage, caches and HTTP auth', () => {
    expect(VISIT_WIPE_STEPS[0]).toBe('closeAllConnections');
    expect(VISIT_WIPE_STEPS).toEqual(
      expect.arrayContaining([
        'clearStorageData',
        'clearCache',
        'clearAuthCache',
        'clearHostResolverCache',
        'clearCodeCaches',
      ]),
    );
  });
});

describe('downloadLogFields', () => {
  it('keeps the origin only: queries and paths may carry tokens', () => {
    expect(downloadLogFields('https://duo.test/a/b.pdf?code=SECRET', 'application/pdf')).toEqual({
      origin: 'https://duo.test',
      mimeType: 'application/pdf',
    });
    expect(downloadLogFields('blob:https://duo.test/1234', 'x').origin).toBe('blob:');
    expect(downloadLogFields('data:text/plain,SECRET', 'x').origin).toBe('data:');
    expect(downloadLogFields('not a url', 'x').origin).toBe('(unparseable)');
  });
});

describe('decideClientCertificate', () => {
  it('sends none, however many are offered', () => {
    expect(decideClientCertificate(3)).toEqual({ send: 'none', offered: 3 });
    expect(decideClientCertificate(0)).toEqual({ send: 'none', offered: 0 });
  });
});

describe('visitAcceptLanguages', () => {
  it.each([
    ['fr', 'de-CH', 'fr'],
    ['de', 'de-CH', 'de-CH,de'],
    ['de', 'de', 'de'],
    ['de', 'DE', 'de'],
    [undefined, 'de-CH', 'de-CH'],
    ['es', undefined, 'es'],
    [undefined, undefined, ''],
  ])('asks for %j at a %j station as %j', (language, station, expected) => {
    expect(visitAcceptLanguages(language, station)).toBe(expected);
  });
});
