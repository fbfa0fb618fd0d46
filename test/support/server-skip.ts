/**
 * Whether a suite that needs a real server (slapd, Samba AD DC, Chromium) may skip. On a
 * developer's machine a missing server skips the suite with one printed line saying why. In CI
 * (`CI` set) nothing is skipped for lack of a server: `.ci/run` installs every one, so the suite
 * runs and fails loudly if one is missing.
 *
 * Returns the reason to pass to `describe.skipIf`, or undefined to run.
 */
export function skipUnlessServer(suite: string, unavailable: string | undefined): string | undefined {
  if (!unavailable) return undefined;
  if (process.env.CI) {
    console.warn(`${suite}: ${unavailable}; CI installs every server, so the suite runs and will fail`);
    return undefined;
  }
  console.warn(`skipped: ${suite}: ${unavailable}`);
  return unavailable;
}
