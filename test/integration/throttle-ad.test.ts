/**
 * The README's promise as a test, on a real Samba AD DC: with AD's lockout threshold at 3 and
 * `perUser.maxFailures: 2`, wrong passwords through every login form of one account (lee, whose
 * UPN is lee.smith@walkup.test), one after another and twenty at once through portal mode, leave
 * AD's own badPwdCount below 3 and the account usable. AD is the witness: badPwdCount is what AD
 * counted, whatever Walkup answered.
 *
 * Also in portal mode: one stranger's failures pause only the stranger's client address (taken
 * from X-Forwarded-For with portal.trustProxy), and a person from another address who meets a
 * paused address is told the station is paused, not that they tried too often.
 *
 * Its own domain (lockout threshold 3), so the other AD tests keep theirs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'ldapts';
import { createMemoryAuditLog } from '../../main/core/audit';
import { directorySchema, parseConfig } from '../../main/core/config/schema';
import { createDirectory, type AuthResult } from '../../main/core/directory';
import { silentLogger, systemClock } from '../../main/core/ports';
import { buildStation, type Station } from '../../main/core/station';
import { portalRedirectUri, reserveFreePort, startPortal } from '../../main/portal';
import type { RunningPortal } from '../../main/portal/start';
import { createFakeClock } from '../support/directory-fixtures/fake-clock';
import { useDuoEmulator } from '../support/duo-emulator/test-setup';
import { PortalBrowser } from '../support/portal-browser';
import {
  AD_DNS_DOMAIN,
  AD_NETBIOS_DOMAIN,
  AD_USERS,
  sambaUnavailableReason,
  startSambaAd,
  type SambaAd,
} from '../support/samba-ad';
import { skipUnlessServer } from '../support/server-skip';

const unavailable = skipUnlessServer('Active Directory throttling tests', sambaUnavailableReason());

/** msDS-User-Account-Control-Computed bit UF_LOCKOUT. */
const UF_LOCKOUT = 0x10;
const LOCKOUT_THRESHOLD = 3;
const MAX_FAILURES = 2;

/** Every way lee can be typed: sAMAccountName, down-level, UPN, and spellings of them. */
const LEE_FORMS = [
  'lee',
  `${AD_NETBIOS_DOMAIN}\\lee`,
  AD_USERS.lee.upn,
  'LEE',
  `${AD_NETBIOS_DOMAIN.toLowerCase()}\\Lee`,
  AD_USERS.lee.upn.toUpperCase(),
  'ｌｅｅ',
];

describe.skipIf(unavailable)('the kiosk alone can never lock an account (real Samba AD DC)', () => {
  const emulator = useDuoEmulator();
  let ad: SambaAd;

  beforeAll(async () => {
    ad = await startSambaAd({ lockoutThreshold: LOCKOUT_THRESHOLD });
  });
  afterAll(async () => {
    await ad?.stop();
  });

  const directoryConfig = () => ({
    type: 'ad',
    servers: [ad.url],
    baseDN: ad.baseDN,
    bindDN: ad.serviceDN,
    bindPassword: { env: 'WALKUP_AD_SERVICE_PASSWORD' },
    tls: { caFile: ad.caFile, useSystemCA: false, servername: ad.servername },
    upnSuffixes: [AD_DNS_DOMAIN],
    netbiosDomains: [AD_NETBIOS_DOMAIN],
    throttling: {
      minFailureMs: 0,
      perUser: { maxFailures: MAX_FAILURES, windowSeconds: 1800, lockoutSeconds: 900 },
    },
  });

  /** A fresh Walkup directory (a fresh throttle) over the DC. */
  const directory = (clock = createFakeClock()) =>
    createDirectory(directorySchema.parse(directoryConfig()), {
      bindPassword: ad.servicePassword,
      clock,
      logger: silentLogger,
    });

  const badPwdCount = async (): Promise<number> =>
    Number((await ad.readUser('lee', ['badPwdCount'])).badPwdCount ?? 0);

  /** AD's view: below the threshold, not locked out, and the right password binds. */
  async function expectLeeUsable(): Promise<void> {
    expect(await badPwdCount()).toBeLessThan(LOCKOUT_THRESHOLD);
    const entry = await ad.readUser('lee', ['msDS-User-Account-Control-Computed']);
    expect(Number(entry['msDS-User-Account-Control-Computed']) & UF_LOCKOUT).toBe(0);
    const client = new Client({
      url: ad.url,
      connectTimeout: 3000,
      timeout: 5000,
      tlsOptions: { ca: [ad.caPem], servername: ad.servername },
    });
    try {
      await client.bind(AD_USERS.lee.dn, ad.userPassword);
    } finally {
      await client.unbind().catch(() => undefined);
    }
    // A successful logon resets AD's count, so each test starts from 0.
    expect(await badPwdCount()).toBe(0);
  }

  const reasonOf = (result: AuthResult) => (result.ok ? `ok:${result.user.username}` : result.reason);

  it('one after another: two wrong passwords, then every other form of lee is stopped before AD', async () => {
    expect(await badPwdCount()).toBe(0);
    const clock = createFakeClock();
    const dir = directory(clock);
    expect(reasonOf(await dir.authenticate('lee', 'Wrong-1'))).toBe('invalid-credentials');
    expect(reasonOf(await dir.authenticate(`${AD_NETBIOS_DOMAIN}\\lee`, 'Wrong-2'))).toBe(
      'invalid-credentials',
    );
    expect(await badPwdCount()).toBe(2);

    // The case: lee is throttled, and the UPN (a name the throttle never saw) is stopped
    // by the account's own counter (objectGUID) after the search, before any bind.
    for (const form of LEE_FORMS) {
      expect(await dir.authenticate(form, 'Wrong-3')).toMatchObject({ ok: false, reason: 'throttled-user' });
    }
    expect(await badPwdCount()).toBe(2);

    // Once the window has passed, the right password signs lee in through Walkup itself.
    clock.advance(1801 * 1000);
    expect(reasonOf(await dir.authenticate(AD_USERS.lee.upn, ad.userPassword))).toBe('ok:lee');
    await expectLeeUsable();
  });

  it('the UPN first, then the sAMAccountName: the account counter joins them either way', async () => {
    const dir = directory();
    expect(reasonOf(await dir.authenticate(AD_USERS.lee.upn, 'Wrong-1'))).toBe('invalid-credentials');
    expect(reasonOf(await dir.authenticate(AD_USERS.lee.upn, 'Wrong-2'))).toBe('invalid-credentials');
    expect(await dir.authenticate('lee', 'Wrong-3')).toMatchObject({ reason: 'throttled-user' });
    expect(await dir.authenticate(`${AD_NETBIOS_DOMAIN}\\lee`, 'Wrong-4')).toMatchObject({
      reason: 'throttled-user',
    });
    expect(await badPwdCount()).toBe(2);
    await expectLeeUsable();
  });

  it('searches for the NFKC form: fullwidth ｌｅｅ is lee on Samba too (whose own matching would find nobody)', async () => {
    const search = (name: string) =>
      ad.asAdmin(
        async (client) =>
          (
            await client.search(ad.baseDN, {
              scope: 'sub',
              filter: `(sAMAccountName=${name})`,
              attributes: ['sAMAccountName'],
            })
          ).searchEntries.length,
      );
    expect(await search('ｌｅｅ')).toBe(0);
    expect(await search('lee')).toBe(1);
    expect(reasonOf(await directory().authenticate('ｌｅｅ', ad.userPassword))).toBe('ok:lee');
    await expectLeeUsable();
  });

  describe('portal mode', () => {
    let station: Station | undefined;
    let portal: RunningPortal | undefined;
    afterEach(async () => {
      await portal?.close();
      station?.engine.close();
      portal = undefined;
      station = undefined;
    });

    async function startStation(options: { trustProxy?: boolean } = {}): Promise<RunningPortal> {
      const parsed = parseConfig({
        directory: directoryConfig(),
        duo: {
          sdk: 'v4',
          apiHost: emulator.apiHost,
          clientId: emulator.integrations.v4.clientId,
          clientSecret: emulator.integrations.v4.clientSecret,
          caFile: emulator.caFile,
        },
        portal: { trustProxy: options.trustProxy ?? false },
      });
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      const host = '127.0.0.1';
      const port = await reserveFreePort(host);
      station = await buildStation(parsed.config, {
        clock: systemClock,
        logger: silentLogger,
        audit: createMemoryAuditLog({ clock: systemClock, stationName: 'throttle test' }),
        redirectUri: portalRedirectUri({ host, port }),
        env: { WALKUP_AD_SERVICE_PASSWORD: ad.servicePassword },
      });
      expect(station.problems).toEqual([]);
      portal = await startPortal({
        engine: station.engine,
        rendererDir: '/nonexistent-renderer',
        logger: silentLogger,
        host,
        port,
        trustProxy: parsed.config.portal.trustProxy,
      });
      const first = new PortalBrowser(portal.url);
      for (let attempt = 0; !(await first.station()).inService && attempt < 100; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return portal;
    }

    it('20 wrong passwords at once from 20 browser sessions, every form of lee: AD sees at most 2', async () => {
      const { url } = await startStation();
      const browsers = Array.from({ length: 20 }, () => new PortalBrowser(url));
      await Promise.all(browsers.map((browser) => browser.station()));

      const results = await Promise.all(
        browsers.map((browser, i) => browser.signIn(LEE_FORMS[i % LEE_FORMS.length] ?? 'lee', `Wrong-${i}`)),
      );
      const reasons = results.map((result) => (result.ok ? 'ok' : result.reason));
      const wrong = reasons.filter((reason) => reason === 'invalid-credentials').length;
      expect(wrong).toBeGreaterThan(0);
      expect(wrong).toBeLessThanOrEqual(MAX_FAILURES);
      expect(reasons.filter((reason) => reason === 'throttled')).toHaveLength(20 - wrong);
      for (const result of results) {
        if (!result.ok && result.reason === 'throttled') expect(result.retryAfterSeconds).toBeGreaterThan(0);
      }
      expect(await badPwdCount()).toBe(wrong);

      // The account is usable: the right password signs lee in (a fresh station's throttle).
      expect(reasonOf(await directory().authenticate('lee', ad.userPassword))).toBe('ok:lee');
      await expectLeeUsable();
    });

    it("a stranger's failures pause only the stranger's address; others are told the station is paused only there", async () => {
      const { url } = await startStation({ trustProxy: true });
      const stranger = new PortalBrowser(url, { 'x-forwarded-for': '198.51.100.66' });
      const neighbour = new PortalBrowser(url, { 'x-forwarded-for': '198.51.100.66' });
      const colleague = new PortalBrowser(url, { 'x-forwarded-for': '203.0.113.20' });
      await Promise.all([stranger, neighbour, colleague].map((browser) => browser.station()));

      // Unknown names: no bind at all, so nobody's AD count moves; the per-client window fills.
      const perClient = directorySchema.parse(directoryConfig()).throttling.perStation.maxFailures;
      for (let i = 0; i < perClient; i += 1) {
        expect(await stranger.signIn(`nobody-${i}`, 'Guess')).toMatchObject({
          reason: 'invalid-credentials',
        });
      }
      expect(await stranger.signIn('nobody-else', 'Guess')).toMatchObject({ reason: 'station-paused' });
      // Someone else behind the same address never failed: paused, and told so, not "too many attempts".
      expect(await neighbour.signIn('lee', ad.userPassword)).toMatchObject({
        ok: false,
        reason: 'station-paused',
        retryAfterSeconds: expect.any(Number),
      });
      // From another address lee signs in.
      const signIn = await colleague.signIn('lee', ad.userPassword);
      expect(signIn.ok).toBe(true);
      expect(await badPwdCount()).toBe(0);
    });
  });
});
