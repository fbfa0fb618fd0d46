/**
 * What the engine needs from primary authentication. Implementations: the LDAP directory
 * (AD / OpenLDAP through ldapts) and the demo directory.
 */
import type { AccountCondition, InputProblem } from '../../contract';

/** The person the directory verified. */
export interface DirectoryUser {
  /** DN the search returned and the bind used. */
  dn: string;
  /** Canonical login name (sAMAccountName / uid): the name Duo is asked about. */
  username: string;
  displayName: string;
  /** DNs of the groups the user belongs to (nested membership included where resolved). */
  groups: string[];
}

/**
 * Why authentication failed, precise enough for admins and the audit log. The kiosk user sees a
 * coarser message (see the engine's mapping to `SignInFailureReason`).
 */
export type DirectoryFailureReason =
  | 'invalid-credentials'
  | AccountCondition
  | 'ambiguous-user'
  | 'not-in-allowed-group'
  | 'in-denied-group'
  | 'invalid-input'
  | 'throttled-user'
  | 'throttled-station'
  | 'unavailable'
  | 'tls-failed'
  | 'service-bind-failed'
  | 'configuration';

export type AuthResult =
  | { ok: true; user: DirectoryUser }
  | {
      ok: false;
      reason: DirectoryFailureReason;
      /** Which input rule was broken (for `invalid-input`). */
      inputProblem?: InputProblem;
      /** Seconds until a throttled attempt may be retried. */
      retryAfterSeconds?: number;
      /**
       * For `invalid-credentials` and `ambiguous-user`: failures the typed name's own throttle
       * counter still takes before its cool-down (`LAST_TRY_WARNING_AT` or fewer, else absent).
       * Counted per typed name, which exists for unknown names too, so it reveals no account.
       */
      attemptsLeft?: number;
      /**
       * The canonical login name of the account the typed name resolved to, when the failure
       * came after the directory found exactly one entry (wrong password, account state, group
       * policy). The audit log may name it; absent, the typed name was not resolved and is
       * recorded only as a keyed hash.
       */
      account?: string;
      /**
       * The refusal was decided without the password (e.g. OpenLDAP password policy state read
       * from the entry before the bind: an expired password with grace logins left, a locked
       * account), so it proves nothing about the password: the person is told only the generic
       * "see the helpdesk" and the throttle counts it like a wrong password. `reason` and
       * `detail` keep the precise condition for the audit log and the admin.
       */
      passwordUnverified?: true;
      /**
       * The password reached the directory before the attempt failed (e.g. the user bind timed
       * out or its connection dropped after the request was sent): the server may have counted
       * it as a bad password, so the throttle counts it as a failure whatever the `reason`.
       */
      passwordSent?: true;
      /**
       * Admin-facing detail (server, AD sub-code, error class). Never contains the password;
       * never shown at the kiosk.
       */
      detail?: string;
    };

/** Health of one directory server, for the admin screen and the out-of-service screen. */
export interface ServerHealth {
  url: string;
  reachable: boolean;
  tlsOk: boolean;
  /** Whether the service account bind succeeded (true when no service account is configured). */
  serviceBindOk: boolean;
  /** Plain LDAP allowed by configuration (warning). */
  insecure: boolean;
  latencyMs?: number;
  error?: string;
}

/** What the transport knows about who is attempting a sign-in. */
export interface AttemptContext {
  /**
   * The client's address in portal mode (the socket's, or the proxy-reported one when
   * `portal.trustProxy` says so), for per-client station-wide throttling. Absent in the kiosk,
   * where the station itself is the client.
   */
  client?: string;
}

/** Primary authentication as the engine uses it. */
export interface Directory {
  /**
   * Verifies username and password: input rules, throttling, search-then-bind, account state,
   * group policy. The password is used for one bind and then dropped.
   */
  authenticate(username: string, password: string, attempt?: AttemptContext): Promise<AuthResult>;
  /** Checks every configured server. */
  checkHealth(): Promise<ServerHealth[]>;
}
