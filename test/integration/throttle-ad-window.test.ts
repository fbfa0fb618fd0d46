/**
 * AD's reset model on a real Samba AD DC: badPwdCount goes back to 0 only after "reset account
 * lockout counter after" has passed since the LAST bad password. With AD's threshold 3 and reset
 * 1 min, and Walkup's `perUser` at 2 failures with `windowSeconds` 60, slow guessing (failures at
 * 0 s and 40 s, then attempts at 61 s, 75 s, 90 s) must not lock the account: a sliding window
 * from the oldest failure would let the 61 s attempt through, and AD would count it as the third.
 *
 * Real time (about 105 s): Samba's clock decides when its count resets. Its own domain, so the
 * other AD tests keep their 30 min reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../main/core/config/schema';
import { createDirectory, type AuthResult } from '../../main/core/directory';
import { silentLogger, systemClock } from '../../main/core/ports';
import { sambaUnavailableReason, startSambaAd, type SambaAd } from '../support/samba-ad';
import { skipUnlessServer } from '../support/server-skip';

const unavailable = skipUnlessServer('Active Directory reset-window test', sambaUnavailableReason());

/** msDS-User-Account-Control-Computed bit UF_LOCKOUT. */
const UF_LOCKOUT = 0x10;
const LOCKOUT_THRESHOLD = 3;
const RESET_SECONDS = 60;

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

describe.skipIf(unavailable)("slow guessing against AD's reset window (real Samba AD DC)", () => {
  let ad: SambaAd;

  beforeAll(async () => {
    ad = await startSambaAd({ lockoutThreshold: LOCKOUT_THRESHOLD });
    await ad.run([
      'domain',
      'passwordsettings',
      'set',
      `--reset-account-lockout-after=${RESET_SECONDS / 60}`,
      '--account-lockout-duration=1',
    ]);
  }, 180_000);
  afterAll(async () => {
    await ad?.stop();
  });

  const badPwdCount = async (): Promise<number> =>
    Number((await ad.readUser('lee', ['badPwdCount'])).badPwdCount ?? 0);
  const lockedOut = async (): Promise<boolean> =>
    (Number(
      (await ad.readUser('lee', ['msDS-User-Account-Control-Computed']))[
        'msDS-User-Account-Control-Computed'
      ],
    ) &
      UF_LOCKOUT) !==
    0;
  const reasonOf = (result: AuthResult) => (result.ok ? 'ok' : result.reason);

  it('failures at 0 s and 40 s, attempts at 61 s, 75 s, 90 s: AD never counts 3, and the account stays usable', async () => {
    const directory = createDirectory(
      directorySchema.parse({
        type: 'ad',
        servers: [ad.url],
        baseDN: ad.baseDN,
        bindDN: ad.serviceDN,
        bindPassword: { env: 'WALKUP_AD_SERVICE_PASSWORD' },
        tls: { caFile: ad.caFile, useSystemCA: false, servername: ad.servername },
        throttling: {
          minFailureMs: 0,
          perUser: { maxFailures: LOCKOUT_THRESHOLD - 1, windowSeconds: RESET_SECONDS, lockoutSeconds: 1 },
        },
      }),
      { bindPassword: ad.servicePassword, clock: systemClock, logger: silentLogger },
    );
    expect(await badPwdCount()).toBe(0);
    const t0 = Date.now();
    expect(reasonOf(await directory.authenticate('lee', 'Wrong-0s'))).toBe('invalid-credentials');
    await sleepUntil(t0 + 40_000);
    expect(reasonOf(await directory.authenticate('lee', 'Wrong-40s'))).toBe('invalid-credentials');
    const lastFailureAnswered = Date.now();
    expect(await badPwdCount()).toBe(2);
    // From here on AD's count is 2 until 60 s after the failure at 40 s; Walkup must hold back.
    for (const at of [61_000, 75_000, 90_000]) {
      await sleepUntil(t0 + at);
      expect(reasonOf(await directory.authenticate('lee', `Wrong-${at / 1000}s`)), `at ${at / 1000} s`).toBe(
        'throttled-user',
      );
      expect(await badPwdCount()).toBe(2);
      expect(await lockedOut()).toBe(false);
    }
    // The refused attempts did not extend the quiet period: a minute after the last failure that
    // reached AD, both counts have reset, and one more wrong password is AD's first again.
    await sleepUntil(lastFailureAnswered + RESET_SECONDS * 1000 + 1000);
    expect(reasonOf(await directory.authenticate('lee', 'Wrong-late'))).toBe('invalid-credentials');
    expect(await badPwdCount()).toBe(1);
    expect(await lockedOut()).toBe(false);
    expect(reasonOf(await directory.authenticate('lee', ad.userPassword))).toBe('ok');
  }, 150_000);
});
