/**
 * A call to main failed for a reason that is not part of the contract: the network is down, the
 * server answered with something unexpected, an IPC handler threw. The UI turns it into the
 * "unavailable" state; it never carries server text to the screen.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';

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
