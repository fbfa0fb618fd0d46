/**
 * A sample configuration profile (`.mobileconfig`) that delivers the example policy as managed
 * preferences for Walkup's bundle id: one `com.apple.ManagedClient.preferences` payload (Apple,
 * "ManagedPreferences" / Custom Settings in Profile Manager) whose content is
 * `{ <bundle id>: { Forced: [ { mcx_preference_settings: <policy> } ] } }`, scoped to the
 * System. macOS then writes `/Library/Managed Preferences/<bundle id>.plist`, which
 * `policy-sources/macos-managed-preferences.ts` reads.
 *
 * The payload UUIDs are fixed (derived from the identifiers) so the generated file is stable;
 * give a copy you deploy its own identifiers and UUIDs. Unsigned: sign it with your MDM or
 * `security cms` before it leaves your hands.
 */
import { createHash } from 'node:crypto';
// Default import: plist is CommonJS, whose named exports Node's ESM loader cannot see.
import plist from 'plist';
import { WALKUP_BUNDLE_ID } from '../policy-sources/macos-managed-preferences';
import { examplePolicyValue } from './example-policy';

/** A UUID-shaped value derived from a name (stable across runs; SHA-1 like RFC 4122 version 5). */
function stableUuid(name: string): string {
  const hex = createHash('sha1').update(`walkup:${name}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

type PlistInput = Parameters<typeof plist.build>[0];

/** The profile as a value. */
export function mobileconfigValue(
  policy: Record<string, unknown> = examplePolicyValue(),
): Record<string, unknown> {
  const profileId = `${WALKUP_BUNDLE_ID}.policy`;
  const payloadId = `${profileId}.preferences`;
  return {
    PayloadContent: [
      {
        PayloadType: 'com.apple.ManagedClient.preferences',
        PayloadVersion: 1,
        PayloadIdentifier: payloadId,
        PayloadUUID: stableUuid(payloadId),
        PayloadDisplayName: 'Walkup managed preferences',
        PayloadEnabled: true,
        PayloadContent: {
          [WALKUP_BUNDLE_ID]: { Forced: [{ mcx_preference_settings: policy }] },
        },
      },
    ],
    PayloadDisplayName: 'Walkup policy (sample)',
    PayloadDescription:
      'Sample Walkup policy for a kiosk Mac. Secrets are { file } references to files readable by the station alone, never values.',
    PayloadIdentifier: profileId,
    PayloadOrganization: 'Example Organisation',
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: stableUuid(profileId),
    PayloadVersion: 1,
  };
}

/** The profile as the XML property list an MDM uploads. */
export function mobileconfigXml(): string {
  return `${plist.build(mobileconfigValue() as PlistInput, { indent: '  ' })}\n`;
}
