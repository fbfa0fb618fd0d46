import { createHash } from 'node:crypto';

/** One device in the fake device-management pages. */
export interface FakeDevice {
  name: string;
}

const KINDS = ['iPhone', 'Android phone', 'Landline', 'Security key', 'iPad'] as const;

/**
 * The person's devices: a deterministic list derived from the username (one or two devices, so
 * tests can predict them), plus whatever was added in this emulator's lifetime. Both the v2
 * frame and the Universal Prompt page share it, like Duo's one user record.
 */
export class DeviceBook {
  readonly #added = new Map<string, FakeDevice[]>();

  /** The devices Duo "knows" for `username`, oldest first. */
  list(username: string): FakeDevice[] {
    return [...defaultDevicesFor(username), ...(this.#added.get(username) ?? [])];
  }

  /** Adds one more device, named predictably ("Phone 3"), and returns it. */
  add(username: string): FakeDevice {
    const device = { name: `Phone ${this.list(username).length + 1}` };
    this.#added.set(username, [...(this.#added.get(username) ?? []), device]);
    return device;
  }
}

/** The deterministic part of a person's device list. */
export function defaultDevicesFor(username: string): FakeDevice[] {
  const digest = createHash('sha256').update(username, 'utf8').digest();
  const count = 1 + ((digest[0] as number) % 2);
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[(digest[1 + i] as number) % KINDS.length] as string;
    const last4 = String(digest.readUInt16BE(4 + 2 * i) % 10_000).padStart(4, '0');
    return { name: kind === 'Security key' ? `Security key ${last4}` : `${kind} ending in ${last4}` };
  });
}
