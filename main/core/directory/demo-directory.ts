/**
 * The demo directory (demo mode only): a few built-in people with scrypt-hashed passwords, the
 * same input rules, throttling and minimum failure time as the real directories.
 */
import type { AccountCondition } from '../../contract';
import type { DirectoryConfig } from '../config/schema';
import { verifyScryptHash } from '../secrets/pin-hash';
import type { Clock, Logger } from '../ports';
import { decideGroups } from './group-policy';
import { guardCredentialCheck } from './guard';
import type { ThrottleStore } from './throttle-store';
import type { LoginName } from './login-name';
import type { AuthResult, Directory, DirectoryUser } from './types';

/** A demo person, with the plaintext password the demo screen shows. */
export interface DemoUser {
  username: string;
  displayName: string;
  password: string;
  /** An account condition the demo account shows off (its password is still right). */
  condition?: AccountCondition;
}

/** Demo people and their passwords, for the demo screen. Never used outside demo mode. */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'alice', displayName: 'Alice Demo', password: 'enroll-alice' },
  { username: 'bob', displayName: 'Bob Demo', password: 'enroll-bob' },
  { username: 'carol', displayName: 'Carol Demo', password: 'enroll-carol', condition: 'password-expired' },
];

/** Base DN of the demo people and groups. */
export const DEMO_BASE_DN = 'dc=demo,dc=walkup';
/** The group every demo person is in. */
export const DEMO_GROUP_DN = `cn=demo-enrollers,ou=groups,${DEMO_BASE_DN}`;

/** Stored form: scrypt$N$r$p$salt$hash (base64), as a real password store would keep it. */
const DEMO_PASSWORD_HASHES: Readonly<Record<string, string>> = {
  alice: 'scrypt$16384$8$1$W88qyJEl18eZ4jG+fPsRog==$/B5z8Egyoh7e2EKdFlO3RsOe/vVGVkSaQv7egzU0+d8=',
  bob: 'scrypt$16384$8$1$PgSlvdGB3U1HIJ+fP3WFAQ==$afBrGlJcyYoDoN/MWdgVsGZJymkCi1OJd5SrSIuGPVU=',
  carol: 'scrypt$16384$8$1$0g1XoRkOEs9zXYSQx2sTMA==$2ky0jXr3lP9i+6+kuZ8PeVNPddT6/PjeQc95jIjIsL4=',
};

/** Compared against when the name is unknown, so unknown names cost the same scrypt work. */
const DUMMY_HASH = DEMO_PASSWORD_HASHES.alice as string;

/** The one scrypt verifier (`core/secrets/pin-hash.ts`), re-exported for the demo's callers. */
export { verifyScryptHash };

/** Creates the demo directory. */
export function createDemoDirectory(
  config: DirectoryConfig,
  deps: { clock: Clock; logger: Logger; throttleStore?: ThrottleStore },
): Directory {
  const check = async (login: LoginName, password: string): Promise<AuthResult> => {
    const person = DEMO_USERS.find((candidate) => candidate.username === login.name.toLowerCase());
    const hash = person ? DEMO_PASSWORD_HASHES[person.username] : undefined;
    const matches = await verifyScryptHash(password, hash ?? DUMMY_HASH);
    if (!person || !hash) return { ok: false, reason: 'invalid-credentials', detail: 'demo directory' };
    // The typed name resolved to a demo account: a failure may name it (audit log).
    const account = person.username;
    if (!matches) return { ok: false, reason: 'invalid-credentials', detail: 'demo directory', account };
    if (person.condition) return { ok: false, reason: person.condition, detail: 'demo directory', account };

    const user: DirectoryUser = {
      dn: `uid=${person.username},ou=people,${DEMO_BASE_DN}`,
      username: person.username,
      displayName: person.displayName,
      groups: [DEMO_GROUP_DN],
    };
    const decision = decideGroups(user.groups, config);
    if (!decision.ok) return { ok: false, reason: decision.reason, detail: 'demo directory', account };
    return { ok: true, user };
  };

  return {
    authenticate: guardCredentialCheck(config, deps, check),
    checkHealth: async () => [
      { url: 'demo:', reachable: true, tlsOk: true, serviceBindOk: true, insecure: false, latencyMs: 0 },
    ],
  };
}
