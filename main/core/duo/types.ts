/**
 * What the engine needs from Duo, for both integrations. Web SDK v2 is pure functions
 * (`web-v2.ts`); Web SDK v4 (Universal Prompt) is a client with network calls (`universal.ts`).
 */

/** Reasons a Duo step fails, recorded in the audit log. */
export type DuoFailureCode =
  | 'unreachable'
  | 'credentials-rejected'
  | 'state-mismatch'
  | 'state-expired'
  | 'code-missing'
  | 'code-rejected'
  | 'token-invalid'
  | 'username-mismatch'
  | 'nonce-mismatch'
  | 'duo-error'
  | 'access-denied'
  | 'clock-skew';

/** Result of a Duo reachability / credential check. */
export type DuoHealth =
  | { ok: true; checkedAt: number; skewSeconds?: number }
  | { ok: false; checkedAt: number; code: 'unreachable' | 'credentials-rejected'; detail: string };

/** A v4 authorization started for one visit. `state` and `nonce` stay in main. */
export interface PendingAuthorization {
  authUrl: string;
  state: string;
  nonce: string;
  username: string;
}

/** The query Duo (or a person) sent to the redirect_uri. */
export interface CallbackParams {
  state?: string;
  duoCode?: string;
  code?: string;
  error?: string;
  errorDescription?: string;
}

export type CallbackResult =
  { ok: true; username: string } | { ok: false; code: DuoFailureCode; detail: string };

/** Web SDK v4 client, one per station configuration. */
export interface UniversalDuo {
  /** Health check, cached for `healthCacheSeconds` when it succeeded. */
  healthCheck(options?: { fresh?: boolean }): Promise<DuoHealth>;
  /** Builds the authorize URL for a directory-verified username with a fresh state and nonce. */
  startAuthorization(username: string): Promise<PendingAuthorization>;
  /**
   * Verifies a callback against the pending authorization: state, error, code exchange,
   * id_token (signature, iss, aud, exp, nonce, preferred_username).
   */
  completeAuthorization(params: CallbackParams, pending: PendingAuthorization): Promise<CallbackResult>;
}

/** The v2 request split the way the station needs it: `tx` goes to the renderer, `app` stays in main. */
export interface V2Request {
  host: string;
  tx: string;
  app: string;
}

/**
 * Duo as the engine sees it, whichever SDK is configured. Built by `createDuoGateway` in
 * `main/core/duo/index.ts` from the `duo` configuration section and its resolved secrets.
 */
export interface DuoGateway {
  readonly sdk: 'v2' | 'v4';
  /**
   * Reachability and credentials, cached for `healthCacheSeconds` after success. v4: OIDC
   * health check; v2: Auth API ping (+ clock skew).
   */
  health(options?: { fresh?: boolean }): Promise<DuoHealth>;
  /** v4 only: authorize URL with a fresh state and nonce for a verified username. */
  startAuthorization(username: string): Promise<PendingAuthorization>;
  /** v4 only: verifies the redirect back from Duo. */
  completeAuthorization(params: CallbackParams, pending: PendingAuthorization): Promise<CallbackResult>;
  /** v2 only: `sign_request` for a verified username, split into its TX and APP parts. */
  signV2Request(username: string): V2Request;
  /**
   * v2 only: joins the frame's `AUTH|…` (or `ENROLL|…`) part with the APP part kept in main and
   * runs `verify_response`; returns the username or null.
   */
  verifyV2Response(duoPart: string, appPart: string): string | null;
}
