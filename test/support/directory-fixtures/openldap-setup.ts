/**
 * The throwaway slapd as integration test files use it: skipped with a printed reason where slapd
 * cannot run, otherwise started with the OpenLDAP fixtures loaded for the tests of the enclosing
 * `describe`, and stopped at the end.
 */
import { afterAll, beforeAll } from 'vitest';
import { skipUnlessServer } from '../server-skip';
import { slapdUnavailableReason, startSlapd, type SlapdServer } from '../slapd';
import { loadOpenLdapFixtures, type fixtureDns } from './openldap';

/** The fixtures' DNs in the running server's suffix. */
export type FixtureDns = ReturnType<typeof fixtureDns>;

/**
 * Why slapd cannot run here (then printed as "skipped: `suite`: reason"), or undefined; never
 * skips in CI (see `skipUnlessServer`).
 * Pass the result to `describe.skipIf`.
 */
export function openLdapSkipReason(suite: string): string | undefined {
  return skipUnlessServer(suite, slapdUnavailableReason());
}

/** A running slapd with the fixtures loaded, readable once `beforeAll` has run. */
export interface OpenLdapFixtureServer {
  readonly slapd: SlapdServer;
  readonly dns: FixtureDns;
}

/**
 * Registers hooks that start slapd and load the fixtures before the tests of the enclosing
 * `describe`, and stop it after them (stopping twice is fine: a test may stop it early).
 * Call it before any `beforeAll` of your own that uses the server: hooks run in order.
 */
export function useOpenLdapFixtures(): OpenLdapFixtureServer {
  let slapd: SlapdServer | undefined;
  let dns: FixtureDns | undefined;
  const outside = () => new Error('slapd is used outside the tests (before beforeAll or after afterAll)');
  beforeAll(async () => {
    slapd = await startSlapd();
    dns = await loadOpenLdapFixtures(slapd);
  });
  afterAll(async () => {
    await slapd?.stop();
    slapd = undefined;
    dns = undefined;
  });
  return {
    get slapd() {
      if (!slapd) throw outside();
      return slapd;
    },
    get dns() {
      if (!dns) throw outside();
      return dns;
    },
  };
}
