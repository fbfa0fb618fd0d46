/** The emulator's idea of "now", which tests may move to play a Duo whose clock differs from ours. */
export class EmulatorClock {
  #skewSeconds = 0;

  /** Moves the emulator's clock by `seconds` (positive: Duo is ahead of this machine). */
  setSkewSeconds(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError('clock skew must be a finite number of seconds');
    this.#skewSeconds = Math.trunc(seconds);
  }

  /** Unix time in whole seconds as Duo would see it. */
  nowSeconds(): number {
    return Math.floor(Date.now() / 1000) + this.#skewSeconds;
  }
}
