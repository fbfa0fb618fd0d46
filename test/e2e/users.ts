/** Directory accounts the end-to-end stack loads into slapd. Test data only. */
export const E2E_USERS = {
  alice: { username: 'alice', displayName: 'Alice Example', password: 'Correct horse (battery) staple' },
  bob: { username: 'bob', displayName: 'Bob Example', password: 'pässwörd with spaces & $ymbols*' },
} as const;
