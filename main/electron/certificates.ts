/**
 * Applies the private-CA rule of `certificate-policy` to a session: the default session (Duo's
 * v2 iframe) and each visit's Duo partition (v4). A no-op in effect for real Duo, whose
 * certificates Chromium already trusts.
 */
import type { Session } from 'electron';
import { chainToPem, decidePrivateCaTrust } from './certificate-policy';

/** Installs the verify proc on `target`. */
export function applyDuoCertificateTrust(
  target: Session,
  duoOrigin: () => string | undefined,
  caPem: string | undefined,
): void {
  if (caPem === undefined) return;
  target.setCertificateVerifyProc((request, callback) => {
    const origin = duoOrigin();
    // `URL.hostname` keeps brackets around IPv6 literals; Chromium's hostname does not.
    const duoHostname = origin ? new URL(origin).hostname.replace(/^\[|\]$/g, '') : undefined;
    callback(
      decidePrivateCaTrust(
        {
          hostname: request.hostname,
          chainPem: chainToPem(request.certificate),
          chromiumResult: request.verificationResult,
        },
        { duoHostname, caPem, now: new Date() },
      ),
    );
  });
}
