/**
 * The LDAP directory (AD and OpenLDAP): search with the service account, then bind as the user
 * on a fresh connection, then account state and group policy. Replicas are tried in order;
 * failover happens only on connect/TLS/timeout errors and only before the user's password has
 * been sent, so one attempt never counts twice towards an AD lockout.
 */
import { InvalidCredentialsError, PasswordPolicyControl, ResultCodeError, type Client } from 'ldapts';
import type { DirectoryConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { reasonForBindFailure } from './ad-diagnostics';
import {
  TlsSetupError,
  classifyError,
  closeQuietly,
  describeError,
  isInsecure,
  openConnection,
  parseServer,
  type ConnectionSettings,
  type ServerTarget,
} from './connection';
import { dnKey, dnSyntaxProblem, isWithinDn, parseDn } from './dn';
import { decideGroups, hasGroupPolicy, resolveAdGroups, resolveOpenLdapGroups } from './group-policy';
import { guardCredentialCheck, type AccountGate, type CredentialCheck } from './guard';
import type { LoginName } from './login-name';
import {
  PPOLICY_POLICY_ATTRIBUTES,
  PPOLICY_USER_ATTRIBUTES,
  createPolicyCache,
  hasPolicyState,
  parsePasswordPolicy,
  policyDnFor,
  refusalBeforeBind,
  refusalFromBindControl,
  type PasswordPolicy,
  type PolicyRefusal,
} from './ppolicy';
import { loadTrustedCAs, tlsOptionsFor } from './tls-trust';
import type { ThrottleStore } from './throttle-store';
import type { AuthResult, Directory, ServerHealth } from './types';
import {
  BINARY_USER_ATTRIBUTES,
  DEFAULT_USER_FILTERS,
  accountIdOf,
  USER_ATTRIBUTES,
  buildUserFilter,
  checkUserFilter,
  describeUser,
  isDisabled,
  userEntrySchema,
  type UserEntry,
} from './user-entry';

type LdapConfig = DirectoryConfig & { type: 'ad' | 'openldap' };

/** What one server made of an attempt: a final answer, or a reason to try the next one. */
type ServerOutcome =
  | { kind: 'answer'; result: AuthResult }
  | { kind: 'failover'; cause: 'network' | 'timeout' | 'tls'; detail: string };

type Failure = AuthResult & { ok: false };

/**
 * Creates the AD / OpenLDAP directory. Configuration problems (unreadable CA file, missing
 * service password, bad filter) do not throw: every attempt then answers `configuration`.
 */
export function createLdapDirectory(
  config: LdapConfig,
  deps: { bindPassword?: string; clock: Clock; logger: Logger; throttleStore?: ThrottleStore },
): Directory {
  const { clock, logger } = deps;
  const servers = config.servers.map((url) => parseServer(url, config.tls.startTLS));
  const userFilter = config.userFilter ?? DEFAULT_USER_FILTERS[config.type];
  // OpenLDAP: the password policy state comes with the entry, so deciding before the bind costs
  // no extra round trip (the policy entry itself is cached).
  const attributes =
    config.type === 'openldap'
      ? [...USER_ATTRIBUTES.openldap, ...PPOLICY_USER_ATTRIBUTES]
      : USER_ATTRIBUTES[config.type];
  const passwordPolicies = createPolicyCache(clock);
  const cooldownUntil = new Map<string, number>();

  const problems: string[] = [];
  const filterProblem = checkUserFilter(userFilter);
  if (filterProblem) problems.push(filterProblem);
  // Parsed once; the schema already refuses a baseDN that is not a DN.
  const baseDnProblem = dnSyntaxProblem(config.baseDN);
  if (baseDnProblem) problems.push(`baseDN: is ${baseDnProblem}`);
  const baseDn = baseDnProblem ? undefined : parseDn(config.baseDN);
  if (config.bindDN && !deps.bindPassword)
    problems.push('bindPassword: no service account password was provided');
  const needsTls = servers.some((server) => !isInsecure(server));
  const trust = needsTls ? loadTrustedCAs(config.tls) : { ok: true as const, ca: [] };
  if (!trust.ok) problems.push(trust.problem);

  const insecure = servers.filter(isInsecure).map((server) => server.url);
  // The schema already refuses this; checked again so a hand-built configuration cannot send
  // passwords in clear text by accident.
  if (insecure.length > 0 && !config.allowInsecure) {
    problems.push(`servers: ${insecure.join(', ')} would send passwords without TLS (set allowInsecure)`);
  } else if (insecure.length > 0) {
    logger.warn('directory.insecure', {
      servers: insecure,
      note: 'passwords are sent without TLS (allowInsecure)',
    });
  }

  const settingsFor = (server: ServerTarget): ConnectionSettings => ({
    connectMs: config.timeouts.connectMs,
    operationMs: config.timeouts.operationMs,
    tls: isInsecure(server) || !trust.ok ? undefined : tlsOptionsFor(server.host, config.tls, trust.ca),
  });

  const configurationFailure = (): Failure => ({
    ok: false,
    reason: 'configuration',
    detail: problems.join('; '),
  });

  /** Opens a connection and binds the service account (or stays anonymous without one). */
  const openServiceConnection = async (server: ServerTarget): Promise<Client> => {
    const client = await openConnection(server, settingsFor(server));
    try {
      if (config.bindDN) await client.bind(config.bindDN, deps.bindPassword ?? '');
      return client;
    } catch (error) {
      await closeQuietly(client);
      throw error;
    }
  };

  /**
   * OpenLDAP password policy before the bind: an expired password with grace logins left is
   * refused here, so the attempt spends none of them; so is a locked account. A policy entry
   * that cannot be read is logged and the bind goes ahead (the response control still refuses
   * the expired password; only an administrator's lock is decided without a policy).
   */
  const passwordPolicyBeforeBind = async (
    service: Client,
    entry: UserEntry,
  ): Promise<PolicyRefusal | undefined> => {
    if (config.type !== 'openldap' || !hasPolicyState(entry)) return undefined;
    const policyDn = policyDnFor(entry, config.passwordPolicyDN);
    let policy: PasswordPolicy | undefined;
    if (policyDn) {
      try {
        policy = await passwordPolicies(dnKey(policyDn), async () => {
          const { searchEntries } = await service.search(policyDn, {
            scope: 'base',
            filter: '(objectClass=*)',
            attributes: [...PPOLICY_POLICY_ATTRIBUTES],
          });
          const found = searchEntries.length === 1 ? userEntrySchema.safeParse(searchEntries[0]) : undefined;
          if (!found?.success) throw new Error('no readable password policy entry');
          return parsePasswordPolicy(found.data);
        });
      } catch (error) {
        logger.warn('directory.password-policy-unreadable', {
          policy: policyDn,
          detail: describeError(error),
        });
      }
    }
    return refusalBeforeBind(entry, policy, clock.now());
  };

  /** One attempt on one server. The password is used for a single bind on its own connection. */
  const searchThenBind = async (
    server: ServerTarget,
    login: LoginName,
    password: string,
    admitAccount: AccountGate,
  ): Promise<ServerOutcome> => {
    const at = (what: string) => `${server.url}: ${what}`;
    const answer = (result: AuthResult): ServerOutcome => ({ kind: 'answer', result });
    const beforePassword = (error: unknown, step: string, onLdapError: Failure['reason']): ServerOutcome => {
      const kind = error instanceof TlsSetupError ? 'tls' : classifyError(error);
      const detail = at(`${step}: ${describeError(error)}`);
      if (kind !== 'ldap') return { kind: 'failover', cause: kind, detail };
      if (error instanceof ResultCodeError && (error.code === 51 || error.code === 52)) {
        // busy / unavailable: the replica says so itself; another one may answer.
        return { kind: 'failover', cause: 'network', detail };
      }
      return answer({ ok: false, reason: onLdapError, detail });
    };

    let service: Client | undefined;
    // Every connection of the attempt is closed in the `finally` below, on every path (issue #8).
    let userConnection: Promise<Client> | undefined;
    try {
      try {
        service = await openServiceConnection(server);
      } catch (error) {
        return beforePassword(error, 'service bind', 'service-bind-failed');
      }

      // The user's own connection (never the service one, which is not rebound as the user)
      // opens while the search runs, so its handshake costs no extra latency.
      userConnection = openConnection(server, settingsFor(server));
      userConnection.catch(() => undefined);

      let entries: Record<string, unknown>[];
      try {
        const { searchEntries } = await service.search(config.baseDN, {
          scope: 'sub',
          filter: buildUserFilter(userFilter, login),
          attributes,
          explicitBufferAttributes: [...BINARY_USER_ATTRIBUTES],
          sizeLimit: 2,
          // Referrals (search continuations) are returned by ldapts and deliberately ignored.
        });
        entries = searchEntries;
      } catch (error) {
        return beforePassword(error, 'user search', 'configuration');
      }
      const parsed = entries.length === 1 ? userEntrySchema.safeParse(entries[0]) : undefined;
      if (entries.length === 0)
        return answer({ ok: false, reason: 'invalid-credentials', detail: at('no such user') });
      if (entries.length > 1) {
        return answer({
          ok: false,
          reason: 'ambiguous-user',
          detail: at('the search matched more than one entry'),
        });
      }
      if (!parsed?.success)
        return answer({ ok: false, reason: 'unavailable', detail: at('malformed user entry') });
      const entry = parsed.data;
      // Compared as DNs: the server may spell the base differently (case, escapes, spaces).
      if (baseDn && !isWithinDn(entry.dn, baseDn)) {
        return answer({
          ok: false,
          reason: 'unavailable',
          detail: at('malformed user entry: DN outside baseDN'),
        });
      }

      // From here the typed name has resolved to one account: a failure may name it (audit log).
      const account = describeUser(config.type, entry, login).username;
      const refusedFor = (result: Failure): ServerOutcome => answer({ ...result, account });

      // The account's own counter decides before the password is sent (every login form of one
      // account shares it).
      const refused = await admitAccount(accountIdOf(config.type, entry));
      if (refused) return refusedFor(refused);

      const beforeBind = await passwordPolicyBeforeBind(service, entry);
      // Decided without the password: generic at the kiosk, counted by the throttle.
      if (beforeBind) {
        return refusedFor({
          ok: false,
          reason: beforeBind.reason,
          passwordUnverified: true,
          detail: at(beforeBind.detail),
        });
      }

      let user: Client;
      try {
        user = await userConnection;
      } catch (error) {
        return beforePassword(error, 'user connection', 'unavailable');
      }
      // OpenLDAP answers the password policy request control (AD has its own sub-codes).
      const policyControl = config.type === 'openldap' ? new PasswordPolicyControl() : undefined;
      try {
        await user.bind(entry.dn, password, policyControl);
      } catch (error) {
        // From here on the password has been sent: whatever happened, no other replica is tried.
        if (error instanceof InvalidCredentialsError) {
          const policyRefusal = refusalFromBindControl(policyControl?.value, false);
          if (policyRefusal) {
            return refusedFor({ ok: false, reason: policyRefusal.reason, detail: at(policyRefusal.detail) });
          }
          const { reason, subCode } = reasonForBindFailure(error.message);
          return refusedFor({
            ok: false,
            reason,
            detail: at(`bind refused${subCode ? ` (AD data ${subCode})` : ''}`),
          });
        }
        if (error instanceof ResultCodeError && (error.code === 8 || error.code === 13)) {
          return refusedFor({
            ok: false,
            reason: 'configuration',
            detail: at(`server requires TLS: ${describeError(error)}`),
          });
        }
        // A timeout or a dropped connection after the bind was sent: the server may well have
        // checked (and counted) the password, so the throttle counts it too.
        return refusedFor({
          ok: false,
          reason: 'unavailable',
          passwordSent: true,
          detail: at(`user bind: ${describeError(error)}`),
        });
      } finally {
        await closeQuietly(user);
      }
      const afterBind = refusalFromBindControl(policyControl?.value, true);
      if (afterBind) return refusedFor({ ok: false, reason: afterBind.reason, detail: at(afterBind.detail) });

      const described = describeUser(config.type, entry, login);
      if (config.type === 'ad' && isDisabled(entry)) {
        return refusedFor({
          ok: false,
          reason: 'account-disabled',
          detail: at('userAccountControl has ACCOUNTDISABLE'),
        });
      }

      let groups = described.memberOf;
      if (hasGroupPolicy(config)) {
        try {
          groups =
            config.type === 'ad'
              ? await resolveAdGroups(service, entry.dn, described.memberOf, config)
              : await resolveOpenLdapGroups(service, entry.dn, described.memberOf, {
                  groupBaseDN: config.groupBaseDN ?? config.baseDN,
                  depth: config.groupNestingDepth,
                  stopAt: (found) =>
                    !decideGroups(found, { allowedGroups: [], deniedGroups: config.deniedGroups }).ok,
                });
        } catch (error) {
          return refusedFor({
            ok: false,
            reason: 'unavailable',
            detail: at(`group search: ${describeError(error)}`),
          });
        }
        const decision = decideGroups(groups, config);
        if (!decision.ok) {
          return refusedFor({
            ok: false,
            reason: decision.reason,
            detail: at(
              decision.group ? `member of denied group ${decision.group}` : 'in none of the allowed groups',
            ),
          });
        }
      }

      return answer({
        ok: true,
        user: { dn: entry.dn, username: described.username, displayName: described.displayName, groups },
      });
    } finally {
      await Promise.all([closeQuietly(service), userConnection?.then(closeQuietly, () => undefined)]);
    }
  };

  /** Servers in configured order, those cooling down after a failure left out (unless all are). */
  const candidates = (): ServerTarget[] => {
    const now = clock.now();
    const ready = servers.filter((server) => (cooldownUntil.get(server.url) ?? 0) <= now);
    return ready.length > 0 ? ready : servers;
  };

  const check: CredentialCheck = async (login, password, admitAccount) => {
    if (problems.length > 0) return configurationFailure();
    const failures: { cause: string; detail: string }[] = [];
    for (const server of candidates()) {
      const outcome = await searchThenBind(server, login, password, admitAccount);
      if (outcome.kind === 'answer') {
        cooldownUntil.delete(server.url);
        return outcome.result;
      }
      cooldownUntil.set(server.url, clock.now() + config.failoverCooldownSeconds * 1000);
      logger.warn('directory.server-failed', {
        server: server.url,
        cause: outcome.cause,
        detail: outcome.detail,
      });
      failures.push(outcome);
    }
    const allTls = failures.length > 0 && failures.every((failure) => failure.cause === 'tls');
    return {
      ok: false,
      reason: allTls ? 'tls-failed' : 'unavailable',
      detail: failures.map((failure) => failure.detail).join('; '),
    };
  };

  const checkServer = async (server: ServerTarget): Promise<ServerHealth> => {
    const startedAt = clock.now();
    const base = { url: server.url, insecure: isInsecure(server) };
    if (problems.length > 0) {
      return { ...base, reachable: false, tlsOk: false, serviceBindOk: false, error: problems.join('; ') };
    }
    let client: Client | undefined;
    try {
      try {
        client = await openConnection(server, settingsFor(server));
        // The root DSE read forces the connection (and the LDAPS handshake) without credentials.
        await client.search('', {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: ['supportedLDAPVersion'],
        });
      } catch (error) {
        const kind = error instanceof TlsSetupError ? 'tls' : classifyError(error);
        // An LDAP answer (e.g. the root DSE is not readable anonymously) still proves the
        // connection and its TLS work.
        if (kind !== 'ldap' || !client) {
          return {
            ...base,
            reachable: kind === 'tls',
            tlsOk: false,
            serviceBindOk: false,
            error: describeError(error),
          };
        }
      }
      const tlsOk = !isInsecure(server);
      try {
        if (config.bindDN) await client.bind(config.bindDN, deps.bindPassword ?? '');
      } catch (error) {
        return { ...base, reachable: true, tlsOk, serviceBindOk: false, error: describeError(error) };
      }
      return { ...base, reachable: true, tlsOk, serviceBindOk: true, latencyMs: clock.now() - startedAt };
    } finally {
      await closeQuietly(client);
    }
  };

  return {
    authenticate: guardCredentialCheck(config, deps, check),
    checkHealth: () => Promise.all(servers.map(checkServer)),
  };
}
