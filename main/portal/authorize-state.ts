/**
 * Reads the OAuth `state` out of a Duo v4 authorize URL, so the v4 callback cookie can be bound to
 * one authorization (see `routes-duo-callback.ts`). The URL is our own (built in main); nothing
 * here trusts it for more than that binding, and the engine still checks `state` itself.
 */
import { decodeJwt } from 'jose';

/**
 * The `state` claim of the authorize URL's request object (or a plain `state` query parameter);
 * undefined when the URL holds neither.
 */
export function readAuthorizeState(authUrl: string): string | undefined {
  try {
    const url = new URL(authUrl);
    const plain = url.searchParams.get('state');
    if (plain) return plain;
    const requestJwt = url.searchParams.get('request');
    if (!requestJwt) return undefined;
    const state = decodeJwt(requestJwt).state;
    return typeof state === 'string' && state.length > 0 ? state : undefined;
  } catch {
    return undefined;
  }
}
