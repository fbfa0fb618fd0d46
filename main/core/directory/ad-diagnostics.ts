/**
 * Active Directory bind diagnostics. AD answers a failed simple bind with result code 49 and a
 * diagnostic message such as
 * `80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563`;
 * the `data` sub-code says why.
 */
import type { DirectoryFailureReason } from './types';

/** AD bind sub-codes and what they mean for Walkup. */
export const AD_SUB_CODES: Readonly<Record<string, DirectoryFailureReason>> = {
  /** ERROR_NO_SUCH_USER */
  '525': 'invalid-credentials',
  /** ERROR_LOGON_FAILURE: bad password (also masks most other errors). */
  '52e': 'invalid-credentials',
  /** ERROR_INVALID_LOGON_HOURS */
  '530': 'not-permitted-now',
  /** ERROR_INVALID_WORKSTATION (userWorkstations) */
  '531': 'not-permitted-here',
  /** ERROR_PASSWORD_EXPIRED */
  '532': 'password-expired',
  /** ERROR_ACCOUNT_DISABLED */
  '533': 'account-disabled',
  /** ERROR_ACCOUNT_EXPIRED */
  '701': 'account-expired',
  /** ERROR_PASSWORD_MUST_CHANGE (pwdLastSet = 0) */
  '773': 'password-must-change',
  /** ERROR_ACCOUNT_LOCKED_OUT (returned even for a wrong password) */
  '775': 'account-locked',
};

/**
 * Extracts the `data XXX` sub-code from an AD diagnostic message, lower-cased, or undefined when
 * the message carries none (OpenLDAP, other servers).
 */
export function parseAdSubCode(diagnostic: string): string | undefined {
  const match = /\bdata\s+([0-9a-f]+)\b/i.exec(diagnostic);
  return match?.[1]?.toLowerCase();
}

/**
 * The failure reason for an invalid-credentials (49) bind answer. Unknown and missing sub-codes
 * are plain invalid credentials: the safe, generic answer.
 */
export function reasonForBindFailure(diagnostic: string): {
  reason: DirectoryFailureReason;
  subCode?: string;
} {
  const subCode = parseAdSubCode(diagnostic);
  const reason = (subCode && AD_SUB_CODES[subCode]) || 'invalid-credentials';
  return subCode ? { reason, subCode } : { reason };
}
