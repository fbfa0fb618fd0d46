/**
 * Applies the private-CA rule of `certificate-policy` to a session: each visit's Duo partitions
 * (v2 frame and v4 view). A no-op in effect for real Duo, whose certificates Chromium already
 * trusts.
 */
import type { Session } from 'electron';
import type { Logger } from '../core/ports';
import { chainToPem, USE_CHROMIUM_RESULT, verifyPrivateCaChain } from './certificate-policy';

/** Installs the verify proc on `target` (nothing when no private CA is configured). */
export function applyDuoCertificateTrust(
  target: Session,
  duoOrigin: () => string | undefined,
  caPem: string | undefined,
  logger?: Logger,
): void {
  if (caPem === undefined) return;
  // eng-disable CERTIFICATE_VERIFY_PROC_JS_CHECK -- opts out of nothing: only a chain Chromium refused, for the Duo host only, is trusted, and only after RFC 5280 path validation to the one configured CA (certificate-policy.ts); otherwise Chromium's own result stands
  target.setCertificateVerifyProc((request, callback) => {
    const origin = duoOrigin();
    // `URL.hostname` keeps brackets around IPv6 literals; Chromium's hostname does not.
    const duoHostname = origin ? new URL(origin).hostname.replace(/^\[|\]$/g, '') : undefined;
    verifyPrivateCaChain(
      {
        hostname: request.hostname,
        chainPem: chainToPem(request.certificate),
        chromiumResult: request.verificationResult,
      },
      { duoHostname, caPem, now: new Date() },
    )
      .then((verdict) => {
        if (!verdict.trust && verdict.reason !== 'chromium-trusts' && verdict.reason !== 'other-host') {
          logger?.warn('private-ca-refused', { reason: verdict.reason });
        }
        callback(verdict.trust ? 0 : USE_CHROMIUM_RESULT);
      })
      .catch(() => callback(USE_CHROMIUM_RESULT));
  });
}
