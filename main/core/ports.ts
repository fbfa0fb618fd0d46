/**
 * Small interfaces through which the engine reaches the platform. `main/electron` and
 * `main/portal` implement them; tests pass fakes. Nothing here imports Electron.
 */

/** Time source. Tests use a fake clock so throttling and timeouts need no real waiting. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** Timer functions; tests pass fakes (or use vitest's fake timers on `systemTimers`). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The global timer functions, looked up at call time, so test fake timers installed later apply. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) =>
    globalThis.clearInterval(handle as Parameters<typeof globalThis.clearInterval>[0]),
};

/** Structured operational log (not the audit log). Field values must never hold secrets. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (tests, quiet CLI commands). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * Encrypts secrets at rest. Electron implements it with safeStorage; portal mode on a server
 * reads secrets from the environment or a 0600 file instead.
 */
export interface Cipher {
  /** Whether encryption is really protecting data (false for Linux `basic_text`). */
  isSecure(): Promise<boolean>;
  encrypt(plaintext: string): Promise<Buffer>;
  decrypt(ciphertext: Buffer): Promise<string>;
}

/** Local, admin-written settings (electron-store in the kiosk). Values are validated by the config schema. */
export interface SettingsStore {
  read(): Promise<unknown>;
  write(settings: unknown): Promise<void>;
}
