/**
 * `portal.trustProxy` with the forms proxies really write into X-Forwarded-For (an address with a
 * port, a bracketed IPv6 address with a port, IPv4-mapped IPv6): the address the portal hands
 * to the throttle (`request.ip`, as routes-api.ts passes it) keys the same client window as the
 * bare address, and anything unparseable shares one 'unknown' key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UNKNOWN_CLIENT, clientKey } from '../../../main/core/directory/throttle';
import { createTestPortal, type TestPortal } from './helpers';

let portal: TestPortal | undefined;
afterEach(async () => {
  await portal?.close();
  portal = undefined;
});

/** The throttle key of the client address a route sees behind a trusted proxy. */
async function throttleKeyFor(forwardedFor: string): Promise<string> {
  portal ??= await createTestPortal({ trustProxy: true });
  if (!portal.app.hasRoute({ method: 'GET', url: '/test/client-key' })) {
    portal.app.get('/test/client-key', (request) => ({ key: clientKey(request.ip) }));
  }
  const response = await portal.app.inject({
    method: 'GET',
    url: '/test/client-key',
    remoteAddress: '10.0.0.2',
    headers: { 'x-forwarded-for': forwardedFor },
  });
  return (response.json() as { key: string }).key;
}

describe('throttle key behind a trusted proxy', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['198.51.100.7:5678', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['[::ffff:198.51.100.7]:443', '198.51.100.7'],
    ['[2001:db8:1:2::1]:443', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['192.0.2.66, 198.51.100.7:5678', '198.51.100.7'],
    ['unknown', UNKNOWN_CLIENT],
    ['_hidden', UNKNOWN_CLIENT],
  ])('X-Forwarded-For %j keys the client as %s', async (header, key) => {
    expect(await throttleKeyFor(header)).toBe(key);
  });
});
