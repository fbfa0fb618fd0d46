/**
 * Directory accounts of the end-to-end stack: the OpenLDAP fixtures (test/support). alice is a
 * direct member of the allowed group; bob is a member through a nested group and has a password
 * full of filter and shell metacharacters, which must reach the directory byte for byte.
 */
import { FIXTURE_USERS } from '../support/directory-fixtures/openldap';

export const E2E_USERS = {
  alice: { username: FIXTURE_USERS.alice.uid, password: FIXTURE_USERS.alice.password },
  bob: { username: FIXTURE_USERS.bob.uid, password: FIXTURE_USERS.bob.password },
  mallory: { username: FIXTURE_USERS.mallory.uid, password: FIXTURE_USERS.mallory.password },
} as const;
