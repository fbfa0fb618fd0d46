import { describe, expect, it } from 'vitest';
import { parseAdSubCode, reasonForBindFailure } from '../../../../main/core/directory/ad-diagnostics';

const diagnostic = (code: string) =>
  `80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data ${code}, v4563\u0000`;

describe('AD bind diagnostics', () => {
  it.each([
    ['525', 'invalid-credentials'],
    ['52e', 'invalid-credentials'],
    ['530', 'not-permitted-now'],
    ['531', 'not-permitted-here'],
    ['532', 'password-expired'],
    ['533', 'account-disabled'],
    ['701', 'account-expired'],
    ['773', 'password-must-change'],
    ['775', 'account-locked'],
  ])('maps data %s to %s', (code, reason) => {
    expect(reasonForBindFailure(diagnostic(code))).toEqual({ reason, subCode: code });
  });

  it('reads upper-case sub-codes and older DSIDs', () => {
    expect(
      reasonForBindFailure(
        '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52E, v1db1',
      ),
    ).toEqual({ reason: 'invalid-credentials', subCode: '52e' });
  });

  it('treats an unknown sub-code as invalid credentials', () => {
    expect(reasonForBindFailure(diagnostic('9999'))).toEqual({
      reason: 'invalid-credentials',
      subCode: '9999',
    });
  });

  it('treats a message without a sub-code (OpenLDAP) as invalid credentials', () => {
    expect(reasonForBindFailure('Invalid credentials')).toEqual({ reason: 'invalid-credentials' });
    expect(parseAdSubCode('')).toBeUndefined();
  });

  it('does not mistake other words for the data field', () => {
    expect(parseAdSubCode('metadata 533 missing')).toBeUndefined();
  });
});
