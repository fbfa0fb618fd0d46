import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../main/core/ports';
import {
  NETWORK_FACTOR,
  UNKNOWN_CLIENT,
  clientKey,
  createThrottle,
  networkKey,
} from '../../../../main/core/directory/throttle';
import { createMemoryThrottleStore } from '../../../../main/core/directory/throttle-store';
import { throttlingSchema } from '../../../../main/core/config/schema';
import { createFakeClock } from '../../../support/directory-fixtures/fake-clock';

/** A logger that keeps what it is told. */
function recordingLogger(): Logger & { lines: { event: string; fields?: Record<string, unknown> }[] } {
  const lines: { event: string; fields?: Record<string, unknown> }[] = [];
  const push = (event: string, fields?: Record<string, unknown>) => void lines.push({ event, fields });
  return { lines, info: push, warn: push, error: push };
}

describe('clientKey', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['203.0.113.9:5678', '203.0.113.9'],
    [' 203.0.113.9 ', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::FFFF:203.0.113.9', '203.0.113.9'],
    ['::ffff:cb00:7109', '203.0.113.9'],
    ['[::ffff:203.0.113.9]:443', '203.0.113.9'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['[2001:db8:1:2::1]:443', '2001:db8:1:2::/64'],
    ['[2001:db8:1:2::1]', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:0:0:9', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not an address', UNKNOWN_CLIENT],
    ['203.0.113.9:', UNKNOWN_CLIENT],
    ['[2001:db8::1', UNKNOWN_CLIENT],
    ['300.0.113.9', UNKNOWN_CLIENT],
    ['', UNKNOWN_CLIENT],
  ])('keys %j as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });

  it('gives every IPv6 address of one /48 the same network key, and IPv4 none', () => {
    expect(networkKey('2001:db8:1:ff::1')).toBe('2001:db8:1::/48');
    expect(networkKey('[2001:db8:1:2::9]:80')).toBe('2001:db8:1::/48');
    expect(networkKey('2001:db8:2::1')).toBe('2001:db8:2::/48');
    expect(networkKey('203.0.113.9')).toBeUndefined();
    expect(networkKey('::ffff:203.0.113.9')).toBeUndefined();
  });
});

describe('createThrottle in portal mode', () => {
  const throttling = throttlingSchema.parse({});

  it('keys a client the same with or without a port, brackets or IPv4 mapping', async () => {
    const throttle = createThrottle(throttling, createMemoryThrottleStore(createFakeClock()));
    const forms = ['198.51.100.7', '198.51.100.7:1111', '::ffff:198.51.100.7', '[::ffff:198.51.100.7]:2222'];
    // 10 failures (perStation.maxFailures) spread over the forms fill the one client window.
    for (let i = 0; i < throttling.perStation.maxFailures; i += 1) {
      const admission = await throttle.admitAttempt(`user-${i}`, forms[i % forms.length]!);
      if (!admission.allowed) throw new Error(`attempt ${i} refused`);
      await admission.ticket.settle('failure');
    }
    for (const form of forms) {
      expect(await throttle.admitAttempt('someone-new', form)).toMatchObject({
        allowed: false,
        scope: 'station',
      });
    }
    expect((await throttle.admitAttempt('someone-new', '198.51.100.8')).allowed).toBe(true);
  });

  it('puts every unparseable client address under one shared key, and logs it', async () => {
    const logger = recordingLogger();
    const throttle = createThrottle(throttling, createMemoryThrottleStore(createFakeClock()), logger);
    for (let i = 0; i < throttling.perStation.maxFailures; i += 1) {
      const admission = await throttle.admitAttempt(`user-${i}`, `garbage-${i}`);
      if (!admission.allowed) throw new Error(`attempt ${i} refused`);
      await admission.ticket.settle('failure');
    }
    expect((await throttle.admitAttempt('someone-new', 'other-garbage')).allowed).toBe(false);
    expect(logger.lines.filter((line) => line.event === 'directory.client-address-unparsed')).toHaveLength(
      throttling.perStation.maxFailures + 1,
    );
    // The value itself (whatever a proxy sent) is not logged.
    expect(JSON.stringify(logger.lines)).not.toContain('garbage');
  });

  it('lets one IPv6 /48 (65,536 /64s) spend only a few client windows, far below the all-clients ceiling', async () => {
    const clock = createFakeClock();
    const throttle = createThrottle(throttling, createMemoryThrottleStore(clock));
    let reached = 0;
    // 256 /64s of one /56 (inside one /48), each trying its full client window.
    for (let net = 0; net < 256; net += 1) {
      for (let i = 0; i < throttling.perStation.maxFailures; i += 1) {
        const admission = await throttle.admitAttempt(`u${net}-${i}`, `2001:db8:7:${net.toString(16)}::1`);
        if (!admission.allowed) continue;
        reached += 1;
        await admission.ticket.settle('failure');
      }
    }
    expect(reached).toBe(throttling.perStation.maxFailures * NETWORK_FACTOR);
    expect(reached).toBeLessThan(throttling.allClients.maxFailures);
    // Everyone else is unaffected.
    expect((await throttle.admitAttempt('bystander', '2001:db8:8::1')).allowed).toBe(true);
    expect((await throttle.admitAttempt('bystander', '203.0.113.1')).allowed).toBe(true);
  });
});
