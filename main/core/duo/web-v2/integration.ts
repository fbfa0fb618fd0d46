/**
 * Duo Web SDK v2 (traditional prompt, iframe) as a `DuoIntegration`: `sign_request` at the start
 * of a visit (the TX part goes to the page, the APP part stays in main), and the frame's message
 * as the one answer (Duo Web SDK v2 docs, "Duo Web": `sig_request` / `sig_response`,
 * Duo-Web-v2.js 2.9). Walkup signs only `TX` (authentication) requests, so it accepts only
 * `AUTH|…` answers; an `ENROLL|…` answer is refused.
 */
import { DUO_V2_MESSAGE_FORMAT } from '../../../contract/duo-formats';
import type { Clock, Logger } from '../../ports';
import { CONSUMED_MARGIN_MS, createConsumedSet } from '../consumed-set';
import { duoText } from '../duo-text';
import type { DuoAnswer, DuoHealth, DuoIntegration, DuoRefusal, DuoStep, DuoVerdict } from '../types';
import {
  AUTH_PREFIX,
  duoPartExpiry,
  signRequest,
  splitSignedRequest,
  v2UsernameProblem,
  verifyResponse,
} from './signature';

/** Longest a used v2 response is remembered (Duo's responses expire after minutes). */
export const CONSUMED_RESPONSE_MAX_MS = 24 * 60 * 60 * 1000;

/** Keys, host and ports of one v2 integration. */
export interface WebV2IntegrationOptions {
  /** Lower-case API host: the frame's origin, which browsers compare. */
  apiHost: string;
  ikey: string;
  skey: string;
  akey: string;
  clock: Clock;
  logger: Logger;
  /** The integration's health check (Auth API ping and clock skew), cached by the caller. */
  health(options?: { fresh?: boolean }): Promise<DuoHealth>;
}

type FrameMessage = Extract<DuoAnswer, { kind: 'frame-message' }>;

function isFrameMessage(answer: DuoAnswer): answer is FrameMessage {
  return answer.kind === 'frame-message';
}

function refusal(
  reason: DuoRefusal['reason'],
  code: DuoRefusal['code'],
  endsVisit: boolean,
  detail?: string,
): DuoRefusal {
  return detail === undefined
    ? { ok: false, reason, code, endsVisit }
    : { ok: false, reason, code, endsVisit, detail };
}

/** Builds the v2 integration. Keys must have been checked (`duoSecretProblems`). */
export function createWebV2Integration(options: WebV2IntegrationOptions): DuoIntegration {
  const { ikey, skey, akey, clock, logger } = options;
  const nowSeconds = (): number => Math.floor(clock.now() / 1000);
  /** Responses already submitted, in any visit of this station. */
  const consumedResponses = createConsumedSet(() => clock.now());

  /** Remembers a response as used, at least until its visit could end and its parts expire. */
  function consume(response: string, rememberUntil: number): void {
    const now = clock.now();
    const partExpiry = duoPartExpiry(response);
    const expiry = Math.min(
      partExpiry === undefined ? rememberUntil : partExpiry * 1000,
      now + CONSUMED_RESPONSE_MAX_MS,
    );
    consumedResponses.add(response, Math.max(expiry, rememberUntil) + CONSUMED_MARGIN_MS);
  }

  function verify(response: string, appPart: string): string | null {
    try {
      return verifyResponse(ikey, skey, akey, `${response}:${appPart}`, nowSeconds());
    } catch (error) {
      logger.error('duo-verify-threw', { error: error instanceof Error ? error.name : typeof error });
      return null;
    }
  }

  return {
    sdk: 'v2',
    health: (healthOptions) => options.health(healthOptions),

    canCarry(username) {
      if (v2UsernameProblem(username) === undefined) return undefined;
      return {
        detail:
          'Duo Web SDK v2 cannot carry this username (it contains "|" or cannot be encoded); use Web SDK v4',
        warning: 'duo-v2-username-unsupported',
      };
    },

    isReplay(answer) {
      return answer.kind === 'frame-message' && consumedResponses.has(answer.response);
    },

    async begin(username): Promise<DuoStep> {
      const signed = signRequest(ikey, skey, akey, username, nowSeconds());
      const parts = splitSignedRequest(signed);
      // Keys were checked at creation and the engine passes only names `canCarry` accepted, so an
      // ERR here is a bug; its text names no secret.
      if (!parts) throw new Error(`sign_request failed: ${signed}`);
      const appPart = parts.app;
      /** Set by the first answer Duo could have sent (ERR or well formed): the step takes one. */
      let answered = false;

      return {
        launch: { kind: 'frame', host: options.apiHost, tx: parts.tx },
        url: () => undefined,
        awaits: (answer) => isFrameMessage(answer) && !answered,
        // Nothing but the posting page can tie a frame message to a visit.
        expects: () => false,

        async complete(answer, { rememberUntil }): Promise<DuoVerdict> {
          if (!isFrameMessage(answer) || answered) return refusal('no-visit', 'no-visit', false);
          const { response } = answer;
          if (response.startsWith('ERR|')) {
            answered = true;
            return refusal('duo-error', 'duo-error', true, `frame reported: ${duoText(response.slice(4))}`);
          }
          // Noise (another script's postMessage) is refused without ending the visit.
          if (!DUO_V2_MESSAGE_FORMAT.test(response)) return refusal('malformed', 'malformed', false);

          // Used before verification: a response gets exactly one chance.
          answered = true;
          consume(response, rememberUntil);
          if (!response.startsWith(`${AUTH_PREFIX}|`)) {
            // A genuine ENROLL answer is not an answer to our TX request: refused like a bad signature.
            return refusal(
              'rejected',
              'token-invalid',
              true,
              'an ENROLL response, but Walkup asked for authentication (TX)',
            );
          }
          const verified = verify(response, appPart);
          if (verified === null) return refusal('rejected', 'token-invalid', true, 'verify_response failed');
          if (verified !== username) {
            return refusal('rejected', 'username-mismatch', true, 'response is for another user');
          }
          return { ok: true, username: verified };
        },
      };
    },
  };
}
