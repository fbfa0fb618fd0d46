import { describe, expect, it } from 'vitest';
import { directorySchema } from '../../../../main/core/config/schema';
import { DEMO_USERS, createDirectory } from '../../../../main/core/directory';
import { DEMO_GROUP_DN, verifyScryptHash } from '../../../../main/core/directory/demo-directory';
import { silentLogger } from '../../../../main/core/ports';
import { createFakeClock } from '../../../support/directory-fixtures/fake-clock';

function demo(overrides: Record<string, unknown> = {}) {
  const clock = createFakeClock();
  const config = directorySchema.parse({ type: 'demo', ...overrides });
  return { clock, directory: createDirectory(config, { clock, logger: silentLogger }) };
}

describe('demo directory', () => {
  it('publishes demo usernames, display names and passwords for the demo screen', () => {
    expect(DEMO_USERS.length).toBeGreaterThanOrEqual(2);
    for (const user of DEMO_USERS)
      expect(user).toMatchObject({ username: expect.any(String), password: expect.any(String) });
  });

  it.each(DEMO_USERS.filter((user) => !user.condition))(
    'signs $username in with the published password',
    async (user) => {
      const result = await demo().directory.authenticate(user.username, user.password);
      expect(result).toEqual({
        ok: true,
        user: {
          dn: expect.any(String),
          username: user.username,
          displayName: user.displayName,
          groups: [DEMO_GROUP_DN],
        },
      });
    },
  );

  it('shows off an account condition for the demo account that has one', async () => {
    const carol = DEMO_USERS.find((user) => user.condition);
    expect(carol).toBeDefined();
    const result = await demo().directory.authenticate(carol?.username ?? '', carol?.password ?? '');
    expect(result).toMatchObject({ ok: false, reason: carol?.condition });
  });

  it('refuses a wrong password and an unknown user alike, after the minimum failure time', async () => {
    const { directory, clock } = demo();
    const start = clock.now();
    expect(await directory.authenticate('alice', 'wrong')).toMatchObject({ reason: 'invalid-credentials' });
    expect(clock.now() - start).toBe(1500);
    expect(await directory.authenticate('mallory', 'enroll-alice')).toMatchObject({
      reason: 'invalid-credentials',
    });
  });

  it('applies the same input rules and throttling', async () => {
    const { directory } = demo();
    expect(await directory.authenticate('alice', ' ')).toMatchObject({
      reason: 'invalid-input',
      inputProblem: 'password-empty',
    });
    for (let i = 0; i < 3; i += 1) await directory.authenticate('alice', 'wrong');
    expect(await directory.authenticate('alice', 'enroll-alice')).toMatchObject({ reason: 'throttled-user' });
  });

  it('applies the group policy', async () => {
    const { directory } = demo({ allowedGroups: ['cn=somewhere-else,dc=demo,dc=walkup'] });
    expect(await directory.authenticate('alice', 'enroll-alice')).toMatchObject({
      reason: 'not-in-allowed-group',
    });
  });

  it('stores scrypt hashes, not passwords', async () => {
    expect(await verifyScryptHash('enroll-alice', 'scrypt$16384$8$1$AAAA$AAAA')).toBe(false);
    expect(await verifyScryptHash('enroll-alice', 'plain:enroll-alice')).toBe(false);
  });

  it('reports itself healthy', async () => {
    expect(await demo().directory.checkHealth()).toMatchObject([{ reachable: true, tlsOk: true }]);
  });
});
