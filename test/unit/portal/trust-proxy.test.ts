/**
 * `portal.trustProxy`: which client address the portal hands to the per-client throttle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPortal, type TestPortal } from './helpers';

let portal: TestPortal | undefined;
afterEach(async () => {
  await portal?.close();
  portal = undefined;
});

/** The client address a route sees for a request from `remoteAddress` with these headers. */
async function clientAddress(
  trustProxy: boolean | undefined,
  remoteAddress: string,
  headers: Record<string, string> = {},
): Promise<string> {
  portal = await createTestPortal(trustProxy === undefined ? {} : { trustProxy });
  portal.app.get('/test/client-address', (request) => ({ ip: request.ip }));
  const response = await portal.app.inject({
    method: 'GET',
    url: '/test/client-address',
    remoteAddress,
    headers,
  });
  return (response.json() as { ip: string }).ip;
}

describe('client address', () => {
  it('is the socket address by default, whatever X-Forwarded-For says', async () => {
    expect(await clientAddress(undefined, '203.0.113.5', { 'x-forwarded-for': '198.51.100.1' })).toBe(
      '203.0.113.5',
    );
  });

  it('with trustProxy is the address the proxy saw (the last X-Forwarded-For entry)', async () => {
    expect(await clientAddress(true, '10.0.0.2', { 'x-forwarded-for': '198.51.100.1' })).toBe('198.51.100.1');
  });

  it("with trustProxy ignores addresses a client put in front of the proxy's entry", async () => {
    expect(
      await clientAddress(true, '10.0.0.2', { 'x-forwarded-for': '192.0.2.66, 192.0.2.67, 198.51.100.1' }),
    ).toBe('198.51.100.1');
  });

  it('with trustProxy and no header is the socket address', async () => {
    expect(await clientAddress(true, '10.0.0.2')).toBe('10.0.0.2');
  });
});
