import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPinGate } from '../../../../main/core/admin/pin-gate';
import { PIN_GATE_FILE, pinGateFile, pinGateInMemory } from '../../../../main/core/admin/pin-gate-memory';
import { createMemoryAuditLog } from '../../../../main/core/audit';
import { adminSchema } from '../../../../main/core/config/schema';
import type { Clock } from '../../../../main/core/ports';
import { hashPin, verifyScryptHash } from '../../../../main/core/secrets/pin-hash';

const PIN = '73914628';

function fakeClock(start = Date.UTC(2026, 11, 3, 9)): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: async () => {}, advance: (ms) => (now += ms) };
}

function setup(
  overrides: Partial<{ maxPinAttempts: number; lockoutSeconds: number; idleSeconds: number }> = {},
) {
  const clock = fakeClock();
  const audit = createMemoryAuditLog({ clock, stationName: 'kiosk-1' });
  let scryptRuns = 0;
  const gate = createPinGate({
    clock,
    audit,
    settings: adminSchema.parse(overrides),
    verify: async (pin, stored) => {
      scryptRuns += 1;
      return verifyScryptHash(pin, stored);
    },
  });
  return { clock, audit, gate, runs: () => scryptRuns };
}

let hash: string | undefined;
async function pinHash(): Promise<string> {
  hash ??= await hashPin(PIN);
  return hash;
}

describe('PIN gate', () => {
  it('unlocks with the right PIN: a 43-character base64url token, audited without the PIN', async () => {
    const { gate, audit } = setup();
    const result = await gate.unlock(PIN, await pinHash());
    expect(result).toMatchObject({ ok: true, idleSeconds: 120 });
    if (!result.ok) throw new Error('unreachable');
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(gate.touch(result.token)).toBe(true);
    expect(audit.records.map((record) => record.type)).toEqual(['admin-unlocked']);
    expect(JSON.stringify(audit.records)).not.toContain(PIN);
    expect(JSON.stringify(audit.records)).not.toContain(result.token);
  });

  it('counts wrong PINs and locks after maxPinAttempts; the right PIN is refused during the lockout without scrypt', async () => {
    const { gate, audit, clock, runs } = setup({ maxPinAttempts: 3, lockoutSeconds: 60 });
    const stored = await pinHash();
    expect(await gate.unlock('000000', stored)).toEqual({ ok: false, reason: 'wrong-pin' });
    expect(gate.state()).toEqual({ kind: 'pin', attemptsLeft: 2 });
    await gate.unlock('000001', stored);
    await gate.unlock('000002', stored);
    expect(gate.state()).toEqual({ kind: 'locked', retryAfterSeconds: 60 });
    const before = runs();
    expect(await gate.unlock(PIN, stored)).toEqual({ ok: false, reason: 'locked' });
    expect(runs()).toBe(before);
    clock.advance(30_000);
    expect(gate.state()).toEqual({ kind: 'locked', retryAfterSeconds: 30 });
    clock.advance(30_000);
    expect(gate.state()).toEqual({ kind: 'pin', attemptsLeft: 3 });
    expect(await gate.unlock(PIN, stored)).toMatchObject({ ok: true });
    const events = audit.records.map((record) => ({ ...record, time: undefined, station: undefined }));
    expect(events.map((event) => event.type)).toEqual([
      'admin-unlock-failed',
      'admin-unlock-failed',
      'admin-unlock-failed',
      'admin-locked-out',
      'admin-unlocked',
    ]);
    expect(events[0]).toMatchObject({ attemptsLeft: 2 });
    expect(events[3]).toMatchObject({ seconds: 60 });
    expect(JSON.stringify(audit.records)).not.toContain(PIN);
  });

  it('20 wrong PINs at once run scrypt and count failures at most maxPinAttempts times', async () => {
    const { gate, audit, runs } = setup({ maxPinAttempts: 5 });
    const stored = await pinHash();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => gate.unlock(String(100000 + index), stored)),
    );
    expect(runs()).toBe(5);
    expect(results.filter((result) => !result.ok && result.reason === 'wrong-pin')).toHaveLength(5);
    expect(results.filter((result) => !result.ok && result.reason === 'locked')).toHaveLength(15);
    expect(audit.records.filter((record) => record.type === 'admin-unlock-failed')).toHaveLength(5);
    expect(gate.state().kind).toBe('locked');
    // The right PIN sent along with them cannot slip in either.
    expect(await gate.unlock(PIN, stored)).toEqual({ ok: false, reason: 'locked' });
    expect(runs()).toBe(5);
  });

  it('a session expires after idleSeconds without a request; each request extends it', async () => {
    const { gate, clock, audit } = setup({ idleSeconds: 60 });
    const result = await gate.unlock(PIN, await pinHash());
    if (!result.ok) throw new Error('unlock failed');
    clock.advance(59_000);
    expect(gate.touch(result.token)).toBe(true);
    clock.advance(59_000);
    expect(gate.touch(result.token)).toBe(true);
    clock.advance(60_000);
    expect(gate.touch(result.token)).toBe(false);
    expect(audit.records.at(-1)).toMatchObject({ type: 'admin-session-ended', reason: 'idle' });
  });

  it('one session at a time: a new unlock ends the old one; lock ends it; wrong and missing tokens are refused', async () => {
    const { gate, audit } = setup();
    const first = await gate.unlock(PIN, await pinHash());
    const second = await gate.unlock(PIN, await pinHash());
    if (!first.ok || !second.ok) throw new Error('unlock failed');
    expect(first.token).not.toBe(second.token);
    expect(gate.touch(first.token)).toBe(false);
    expect(gate.touch(second.token)).toBe(true);
    expect(gate.touch(undefined)).toBe(false);
    const flipped = `${second.token.startsWith('A') ? 'B' : 'A'}${second.token.slice(1)}`;
    expect(gate.touch(flipped)).toBe(false);
    gate.end('lock');
    expect(gate.touch(second.token)).toBe(false);
    expect(audit.records.map((record) => [record.type, (record as { reason?: string }).reason])).toEqual([
      ['admin-unlocked', undefined],
      ['admin-session-ended', 'replaced'],
      ['admin-unlocked', undefined],
      ['admin-session-ended', 'lock'],
    ]);
  });

  it('no stored hash: the attempt counts and is answered unavailable', async () => {
    const { gate, runs } = setup();
    expect(await gate.unlock(PIN, undefined)).toEqual({ ok: false, reason: 'unavailable' });
    expect(runs()).toBe(0);
    expect(gate.state()).toEqual({ kind: 'pin', attemptsLeft: 4 });
  });
});

describe('PIN gate across restarts (the record in the state folder)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function gateOn(dir: string, clock: Clock & { advance(ms: number): void }, errors: string[] = []) {
    const settings = adminSchema.parse({ maxPinAttempts: 3, lockoutSeconds: 60 });
    return createPinGate({
      clock,
      audit: createMemoryAuditLog({ clock, stationName: 'kiosk-1' }),
      settings,
      memory: pinGateFile(dir, {
        now: () => clock.now(),
        lockoutMs: settings.lockoutSeconds * 1000,
        onError: (error) => errors.push(error),
      }),
    });
  }

  function stateDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'walkup-pin-gate-'));
    dirs.push(dir);
    return dir;
  }

  it('a restart keeps the attempts used and the lockout; the record is a 0600 file', async () => {
    const clock = fakeClock();
    const dir = stateDir();
    const stored = await pinHash();
    await gateOn(dir, clock).unlock('000000', stored);
    await gateOn(dir, clock).unlock('000001', stored);
    // A power cut and a restart: one attempt left, not three.
    expect(gateOn(dir, clock).state()).toEqual({ kind: 'pin', attemptsLeft: 1 });
    await gateOn(dir, clock).unlock('000002', stored);
    const restarted = gateOn(dir, clock);
    expect(restarted.state()).toEqual({ kind: 'locked', retryAfterSeconds: 60 });
    expect(await restarted.unlock(PIN, stored)).toEqual({ ok: false, reason: 'locked' });
    if (process.platform !== 'win32') {
      expect(statSync(path.join(dir, PIN_GATE_FILE)).mode & 0o777).toBe(0o600);
    } else {
      console.log('skipped the file mode check: Windows has no POSIX modes');
    }
    clock.advance(60_000);
    const later = gateOn(dir, clock);
    expect(later.state()).toEqual({ kind: 'pin', attemptsLeft: 3 });
    expect(await later.unlock(PIN, stored)).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(path.join(dir, PIN_GATE_FILE), 'utf8'))).toEqual({
      failures: 0,
      lockedUntil: 0,
    });
  });

  it('an attempt is on record before its PIN is checked (a process killed during scrypt has used it)', async () => {
    const clock = fakeClock();
    const dir = stateDir();
    const stored = await pinHash();
    let release: (() => void) | undefined;
    const gate = createPinGate({
      clock,
      audit: createMemoryAuditLog({ clock, stationName: 'kiosk-1' }),
      settings: adminSchema.parse({ maxPinAttempts: 3 }),
      memory: pinGateFile(dir, { now: () => clock.now(), lockoutMs: 300_000, onError: () => {} }),
      verify: () => new Promise<boolean>((resolve) => (release = () => resolve(false))),
    });
    const attempt = gate.unlock('000000', stored);
    expect(JSON.parse(readFileSync(path.join(dir, PIN_GATE_FILE), 'utf8'))).toEqual({
      failures: 1,
      lockedUntil: 0,
    });
    release?.();
    await attempt;
  });

  it('a damaged or unreadable record locks the gate from now (it never grants guesses), and says so', () => {
    const clock = fakeClock();
    const dir = stateDir();
    writeFileSync(path.join(dir, PIN_GATE_FILE), '{"failures": -5', { mode: 0o600 });
    const errors: string[] = [];
    expect(gateOn(dir, clock, errors).state()).toEqual({ kind: 'locked', retryAfterSeconds: 60 });
    expect(errors).toEqual(['damaged']);
    // A lockout on record never outlasts the configured time from now (an edited or future record).
    writeFileSync(
      path.join(dir, PIN_GATE_FILE),
      JSON.stringify({ failures: 0, lockedUntil: clock.now() + 9e9 }),
    );
    expect(gateOn(dir, clock).state()).toEqual({ kind: 'locked', retryAfterSeconds: 60 });
  });
});

describe('PIN gate: a death during the last attempt', () => {
  it('a record with every attempt used and no lockout starts a lockout that ends (never a gate locked for good)', async () => {
    const clock = fakeClock();
    const gate = createPinGate({
      clock,
      audit: createMemoryAuditLog({ clock, stationName: 'kiosk-1' }),
      settings: adminSchema.parse({ maxPinAttempts: 5, lockoutSeconds: 60 }),
      memory: pinGateInMemory({ failures: 5, lockedUntil: 0 }),
    });
    expect(gate.state()).toEqual({ kind: 'locked', retryAfterSeconds: 60 });
    clock.advance(60_000);
    expect(gate.state()).toEqual({ kind: 'pin', attemptsLeft: 5 });
    expect(await gate.unlock(PIN, await pinHash())).toMatchObject({ ok: true });
  });
});
