/**
 * Duo Web SDK v4 (Universal Prompt) as a `DuoIntegration`: an authorize URL with a fresh `state`
 * and nonce at the start of a visit, and the browser's return to the redirect_uri as the one
 * answer (Duo docs: "Duo Web v4 SDK"; OpenID Connect Core 1.0, authorization code flow). The
 * client doing the protocol is `client.ts`; this module adds what makes it single use.
 */
import type { DuoFailureReason } from '../../../contract';
import type { Clock } from '../../ports';
import { CONSUMED_MARGIN_MS, createConsumedSet } from '../consumed-set';
import type {
  CallbackResult,
  DuoAnswer,
  DuoHealth,
  DuoIntegration,
  DuoFailureCode,
  DuoStep,
  DuoVerdict,
  PendingAuthorization,
} from '../types';
import { statesMatch, type UniversalDuo } from './client';

/** The client and ports of one v4 integration. */
export interface UniversalIntegrationOptions {
  /** The v4 protocol: authorize URL, callback verification (`createUniversalDuo`). */
  client: Pick<UniversalDuo, 'startAuthorization' | 'completeAuthorization'>;
  clock: Clock;
  /** The integration's health check (OIDC health check and clock skew), cached by the caller. */
  health(options?: { fresh?: boolean }): Promise<DuoHealth>;
}

type Callback = Extract<DuoAnswer, { kind: 'callback' }>;

function isCallback(answer: DuoAnswer): answer is Callback {
  return answer.kind === 'callback';
}

/**
 * What the person is told of each refusal code of the client. `access_denied` is the error Duo's
 * redirect carries when the person cancels the prompt (RFC 6749 section 4.1.2.1): `cancelled`.
 * A token endpoint that cannot be reached or answers 5xx/429 means Duo is down mid-visit, and
 * refused client credentials mean this station cannot finish with Duo now: `duo-unavailable`.
 * Duo's other error answers are `duo-error`; every failed check of the answer is `rejected`.
 */
const REASON_OF_CODE: Partial<Record<DuoFailureCode, DuoFailureReason>> = {
  'access-denied': 'cancelled',
  'duo-error': 'duo-error',
  unreachable: 'duo-unavailable',
  'credentials-rejected': 'duo-unavailable',
};

/** Maps the client's verdict (`REASON_OF_CODE`); the visit ends with every refusal. */
export function toVerdict(result: CallbackResult): DuoVerdict {
  if (result.ok) return result;
  const reason = REASON_OF_CODE[result.code] ?? 'rejected';
  return { ok: false, reason, code: result.code, detail: result.detail, endsVisit: true };
}

/** Builds the v4 integration over its client. */
export function createUniversalIntegration(options: UniversalIntegrationOptions): DuoIntegration {
  const { client, clock } = options;
  /** States already answered, in any visit of this station. */
  const consumedStates = createConsumedSet(() => clock.now());

  return {
    sdk: 'v4',
    health: (healthOptions) => options.health(healthOptions),
    // The username travels in a signed JWT: any directory name can be carried.
    canCarry: () => undefined,

    isReplay(answer) {
      return (
        isCallback(answer) && answer.params.state !== undefined && consumedStates.has(answer.params.state)
      );
    },

    async begin(username, { presentation }): Promise<DuoStep> {
      let pending: PendingAuthorization | undefined = await client.startAuthorization(username);
      const authUrl = pending.authUrl;
      return {
        launch:
          presentation === 'redirect'
            ? { kind: 'page', presentation: 'redirect', authUrl }
            : { kind: 'page', presentation: 'view' },
        url: () => pending?.authUrl,
        awaits: (answer) => isCallback(answer) && pending !== undefined,
        expects: (answer) =>
          isCallback(answer) && pending !== undefined && statesMatch(answer.params.state, pending.state),

        async complete(answer, { rememberUntil }): Promise<DuoVerdict> {
          if (!isCallback(answer) || pending === undefined) {
            return { ok: false, reason: 'no-visit', code: 'no-visit', endsVisit: false };
          }
          // Single use: gone before any network exchange, whatever the outcome.
          const authorization = pending;
          pending = undefined;
          consumedStates.add(authorization.state, rememberUntil + CONSUMED_MARGIN_MS);
          try {
            return toVerdict(await client.completeAuthorization(answer.params, authorization));
          } catch (error) {
            return {
              ok: false,
              reason: 'rejected',
              code: 'unreachable',
              detail: `completeAuthorization threw ${error instanceof Error ? error.name : typeof error}`,
              endsVisit: true,
            };
          }
        },
      };
    },
  };
}
