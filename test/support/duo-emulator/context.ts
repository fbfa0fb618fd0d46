import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorClock } from './clock.js';
import type { DeviceBook } from './devices.js';
import type { CodeStore } from './oidc.js';

/** State shared by the emulator's routes. */
export interface EmulatorContext {
  clock: EmulatorClock;
  devices: DeviceBook;
  codes: CodeStore;
  /** `host:port` Walkup is configured with. */
  apiHost: string;
  /** Every `host:port` this emulator answers to (its certificate names with the port). */
  knownHosts: ReadonlySet<string>;
  /** What browsers asked Duo's pages for (`noteLanguage`), oldest first, the last 100. */
  languagesSeen: SeenLanguage[];
}

/** The Accept-Language a browser sent when it opened Duo (v4 authorize, v2 frame). */
export interface SeenLanguage {
  sdk: 'v4' | 'v2';
  /** The header as sent; '' when there was none. */
  acceptLanguage: string;
}

/** A BCP 47-shaped tag (RFC 5646), as far as an `<html lang>` needs. */
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * Records the Accept-Language of a request that opens Duo's page and returns the language the
 * page is shown in: like Duo's prompt, which follows the browser's language settings (Duo guide
 * "Duo Universal Prompt"), the first tag the browser asked for; `en` without one.
 */
export function noteLanguage(context: EmulatorContext, request: FastifyRequest, sdk: 'v4' | 'v2'): string {
  const header = request.headers['accept-language'];
  const acceptLanguage = (Array.isArray(header) ? header.join(',') : (header ?? '')).slice(0, 200);
  context.languagesSeen.push({ sdk, acceptLanguage });
  if (context.languagesSeen.length > 100) context.languagesSeen.shift();
  const first = acceptLanguage.split(',')[0]?.split(';')[0]?.trim() ?? '';
  return LANGUAGE_TAG.test(first) ? first : 'en';
}

/**
 * The `https://host:port` a client used to reach us. Duo has one host name; the emulator answers
 * on several loopback names, and each client builds its JWT audiences from the one it was given.
 * Anything else falls back to the configured apiHost.
 */
export function baseUrlOf(context: EmulatorContext, request: FastifyRequest): string {
  const host = String(request.headers.host ?? '').toLowerCase();
  return `https://${context.knownHosts.has(host) ? host : context.apiHost}`;
}

/** Base URLs a JWT audience may name: the one the request came through and the configured one. */
export function acceptedBaseUrls(context: EmulatorContext, request: FastifyRequest): string[] {
  return [...new Set([baseUrlOf(context, request), `https://${context.apiHost}`])];
}

/** Duo's JSON failure envelope. */
export function sendFail(
  reply: FastifyReply,
  status: number,
  body: { code: number; message: string; message_detail?: string; timestamp?: number },
): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send({ stat: 'FAIL', ...body });
}

/** A random session id for a prompt page (kept in forms, never in cookies: the v2 page is framed). */
export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

/** How long a prompt page stays usable after it was opened. */
export const PAGE_SESSION_MS = 15 * 60 * 1000;

/** A store of page sessions that forgets them after PAGE_SESSION_MS. */
export class SessionStore<T> {
  readonly #sessions = new Map<string, { value: T; expiresAtMs: number }>();

  /** Remembers `value` and returns its new session id. */
  open(value: T): string {
    const now = Date.now();
    for (const [sid, entry] of this.#sessions) if (entry.expiresAtMs <= now) this.#sessions.delete(sid);
    const sid = newSessionId();
    this.#sessions.set(sid, { value, expiresAtMs: now + PAGE_SESSION_MS });
    return sid;
  }

  /** The session's value, if it exists and has not expired. */
  get(sid: string | undefined): T | undefined {
    const entry = sid === undefined ? undefined : this.#sessions.get(sid);
    return entry && entry.expiresAtMs > Date.now() ? entry.value : undefined;
  }

  /** Ends a session (after Finish or Cancel). */
  close(sid: string): void {
    this.#sessions.delete(sid);
  }
}
