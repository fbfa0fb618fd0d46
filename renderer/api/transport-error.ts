/**
 * A call to main failed for a reason that is not part of the contract: the network is down, the
 * server answered with something unexpected, an IPC handler threw. The UI turns it into the
 * "unavailable" state; it never carries server text to the screen.
 */
export class TransportError extends Error {
  override readonly name: string = 'TransportError';

  constructor(
    /** Which contract call failed, for the console only. */
    readonly operation: string,
    /** What went wrong, in a few words (never server-provided text). */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${problem}`, options);
  }
}

/**
 * A state-changing request was refused because the browser session (or its CSRF token) had just
 * been renewed, as portal mode does at sign-in and at reset. The client has already picked up the
 * new session; the request did nothing on the server. Idempotent calls are retried once by the
 * client; a sign-in is not (its password is never re-sent without the person pressing again).
 */
export class SessionRenewedError extends TransportError {
  override readonly name: string = 'SessionRenewedError';
}

/**
 * The portal does not serve the admin screen (`GET /api/admin/gate` answered 404: policy leaves
 * `portal.adminScreen` off, or the client is not on loopback). The admin trigger then does
 * nothing.
 */
export class AdminNotServedError extends TransportError {
  override readonly name: string = 'AdminNotServedError';
}
