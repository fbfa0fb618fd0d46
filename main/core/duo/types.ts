/**
 * Duo as the engine sees it: one `DuoIntegration` per station, whichever Duo SDK the
 * configuration names. Each SDK implements it in a folder of its own (`web-v2/`, `universal/`),
 * whose index is registered once in `registry.ts`; the visit state machine
 * (`main/core/enrollment`) knows only this interface, never an SDK name or a Duo wire format.
 */
import type { DuoFailureReason, DuoLaunch, StationInfo, StationWarning } from '../../contract';
import type { DuoCallbackParams } from '../../contract/duo-formats';

/** The SDK a station is configured with (`duo.sdk`), as the station reports it. */
export type DuoSdk = StationInfo['duoSdk'];

/**
 * The redirect_uri query as the engine reads it: one type for both transports, parsed by
 * `parseDuoCallbackQuery` in `main/contract/duo-formats.ts`.
 */
export type CallbackParams = DuoCallbackParams;

/**
 * Reasons a Duo step fails, recorded in the audit log (`duo-rejected` `code`). The audit log's
 * last-line redaction (`main/core/audit/redact.ts`) lets exactly these through a `code` field.
 */
export const duoFailureCodes = [
  'unreachable',
  'credentials-rejected',
  'state-mismatch',
  'state-expired',
  'code-missing',
  'code-rejected',
  'token-invalid',
  'username-mismatch',
  'nonce-mismatch',
  'duo-error',
  'access-denied',
  'clock-skew',
] as const;
export type DuoFailureCode = (typeof duoFailureCodes)[number];

/** Result of a Duo reachability / credential check. */
export type DuoHealth =
  | { ok: true; checkedAt: number; skewSeconds?: number }
  | { ok: false; checkedAt: number; code: 'unreachable' | 'credentials-rejected'; detail: string };

/** How the current transport shows a prompt that is a page of its own (Web SDK v4). */
export type DuoPresentation = 'redirect' | 'view';

/**
 * An answer a transport received for a visit, as it received it. Each integration asks for one
 * kind and accepts only that kind.
 * - `frame-message`: a message posted by Duo's frame to the page (Web SDK v2: `AUTH|…`, `ERR|…`).
 * - `callback`: the browser's return to the redirect_uri (Web SDK v4, OAuth 2.0 / OIDC).
 */
export type DuoAnswer =
  { kind: 'frame-message'; response: string } | { kind: 'callback'; params: CallbackParams };

/** A refusal of an answer: what the person sees, the precise audit code, and whether the visit ends. */
export interface DuoRefusal {
  ok: false;
  /** Shown to the person (`DuoResult.reason`). */
  reason: DuoFailureReason;
  /** Audit code: a `DuoFailureCode`, or `malformed` / `no-visit`. */
  code: DuoFailureCode | 'malformed' | 'no-visit';
  /** Admin detail for the audit log, already sanitised (`duoText`); never a secret or a code. */
  detail?: string;
  /** True when the answer was Duo's (or claimed to be) and the visit must end as failed. */
  endsVisit: boolean;
}

/** Duo's verdict on one answer: the username Duo verified, or the refusal. */
export type DuoVerdict = { ok: true; username: string } | DuoRefusal;

/**
 * One visit's Duo step, begun for a directory-verified username. Opaque to the engine: it holds
 * whatever must stay in main (Web SDK v2: the APP part; v4: `state` and `nonce`) and drops it
 * with the visit.
 */
export interface DuoStep {
  /** What the renderer (or the kiosk's Duo view) needs to show Duo; never a secret. */
  readonly launch: DuoLaunch;
  /** The URL the kiosk's Duo view loads while the step waits for its answer (v4), else undefined. */
  url(): string | undefined;
  /**
   * Whether the step still waits for an answer of this kind (asked for it, not answered yet).
   * Judges nothing else; an answer the step does not wait for finds "no visit".
   */
  awaits(answer: DuoAnswer): boolean;
  /**
   * Whether `answer` is this step's own (v4: the `state` it issued, compared in constant time),
   * without consuming or changing anything. A transport asks before handing over an answer it
   * could not tie to the visit otherwise.
   */
  expects(answer: DuoAnswer): boolean;
  /**
   * Judges the answer: single use (the answer, or the step's state, is remembered as used until
   * `rememberUntil` plus a margin, before any network exchange), then Duo's checks. Never throws
   * for a bad answer; a throw is a bug.
   */
  complete(answer: DuoAnswer, options: { rememberUntil: number }): Promise<DuoVerdict>;
}

/**
 * Why an integration cannot carry a username: the admin detail for the audit log and the
 * station warning that tells the admin about it.
 */
export interface DuoUsernameProblem {
  detail: string;
  warning: StationWarning;
}

/** One Duo integration (SDK), chosen once at station build by `createDuoIntegration`. */
export interface DuoIntegration {
  readonly sdk: DuoSdk;
  /**
   * Reachability and credentials, cached for `healthCacheSeconds` after success; `fresh` skips
   * the cache.
   */
  health(options?: { fresh?: boolean }): Promise<DuoHealth>;
  /** Why this integration cannot carry `username`, or undefined when it can. */
  canCarry(username: string): DuoUsernameProblem | undefined;
  /** Whether `answer` (or the step state it names) was used before, in any visit of this station. */
  isReplay(answer: DuoAnswer): boolean;
  /** Begins Duo for a directory-verified username. Rejects only on a bug or a broken configuration. */
  begin(username: string, options: { presentation: DuoPresentation }): Promise<DuoStep>;
}

/** A v4 authorization started for one visit. `state` and `nonce` stay in main. */
export interface PendingAuthorization {
  authUrl: string;
  state: string;
  nonce: string;
  username: string;
}

/** The v4 client's verdict on a callback. */
export type CallbackResult =
  { ok: true; username: string } | { ok: false; code: DuoFailureCode; detail: string };
