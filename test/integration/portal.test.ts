/**
 * Portal mode end to end over HTTP, with the real engine, the demo directory and the Duo emulator:
 * what a browser does, done with fetch (cookies and CSRF token by hand) and the emulator's pages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { httpRoutes, type SignInResult, type StationInfo, type VisitView } from '../../main/contract';
import { parseConfig, type WalkupConfig } from '../../main/core/config/schema';
import { createMemoryAuditLog } from '../../main/core/audit';
import type { EnrollmentEngine } from '../../main/core/enrollment/types';
import { silentLogger, systemClock } from '../../main/core/ports';
import { buildStation } from '../../main/core/station';
import { portalRedirectUri, reserveFreePort, startPortal } from '../../main/portal';
import type { RunningPortal } from '../../main/portal/start';
import { finishWebV2Frame, pressUniversalPrompt } from '../support/duo-emulator/browser';
import { useDuoEmulator } from '../support/duo-emulator/test-setup';
import { PortalBrowser } from '../support/portal-browser';

const emulator = useDuoEmulator();

interface Running {
  portal: RunningPortal;
  engine: EnrollmentEngine;
}
let running: Running | undefined;
afterEach(async () => {
  await running?.portal.close();
  running?.engine.close();
  running = undefined;
});

/** Builds the station the way `walkup serve` does and serves it on a free loopback port. */
async function startStation(sdk: 'v2' | 'v4'): Promise<Running> {
  const { v2, v4 } = emulator.integrations;
  const duo =
    sdk === 'v2'
      ? {
          sdk,
          apiHost: emulator.apiHost,
          ikey: v2.ikey,
          skey: v2.skey,
          akey: 'a'.repeat(40),
          caFile: emulator.caFile,
        }
      : {
          sdk,
          apiHost: emulator.apiHost,
          clientId: v4.clientId,
          clientSecret: v4.clientSecret,
          caFile: emulator.caFile,
        };
  const parsed = parseConfig({ directory: { type: 'demo' }, duo });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const config: WalkupConfig = parsed.config;

  const host = '127.0.0.1';
  const port = await reserveFreePort(host);
  const redirectUri = portalRedirectUri({ host, port });
  const audit = createMemoryAuditLog({ clock: systemClock, stationName: 'portal test' });
  const station = await buildStation(config, {
    clock: systemClock,
    logger: silentLogger,
    audit,
    redirectUri,
  });
  expect(station.problems).toEqual([]);
  const { engine } = station;
  const portal = await startPortal({
    engine,
    rendererDir: '/nonexistent-renderer',
    duoHost: sdk === 'v2' ? emulator.apiHost : undefined,
    logger: silentLogger,
    host,
    port,
  });
  running = { portal, engine };
  return running;
}

async function waitInService(browser: PortalBrowser): Promise<StationInfo> {
  let station = await browser.getJson<StationInfo>(httpRoutes.getStation);
  for (let attempt = 0; !station.inService && attempt < 100; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    station = await browser.getJson<StationInfo>(httpRoutes.getStation);
  }
  return station;
}

/** Signs in at the portal and returns the Universal Prompt address the browser is sent to. */
async function signInToUniversalPrompt(
  browser: PortalBrowser,
  username: string,
  password: string,
): Promise<string> {
  const signIn = await browser.post<SignInResult>(httpRoutes.signIn, { username, password });
  if (!signIn.ok || signIn.duo.kind !== 'page' || signIn.duo.presentation !== 'redirect') {
    throw new Error(`unexpected sign-in: ${JSON.stringify(signIn)}`);
  }
  return signIn.duo.authUrl;
}

describe('portal mode with the real engine', () => {
  it('runs a whole Web SDK v2 visit over HTTP: sign in, Duo frame, frame message, done', async () => {
    const { portal } = await startStation('v2');
    const browser = new PortalBrowser(portal.url);
    const station = await waitInService(browser);
    expect(station).toMatchObject({ inService: true, duoSdk: 'v2' });
    expect(station.demo?.users.map((user) => user.username)).toContain('alice');

    const signIn = await browser.post<SignInResult>(httpRoutes.signIn, {
      username: 'alice',
      password: 'enroll-alice',
    });
    if (!signIn.ok || signIn.duo.kind !== 'frame')
      throw new Error(`unexpected sign-in: ${JSON.stringify(signIn)}`);
    expect(signIn.duo.host).toBe(emulator.apiHost);
    // The renderer gets only the TX part; the APP part stays in main.
    expect(signIn.duo.tx).not.toContain(':');

    // What the renderer's iframe loads, then the person presses "Finish" in Duo's frame.
    const { frame, message } = await finishWebV2Frame(emulator, signIn.duo.tx, `${portal.url}/`);
    expect(frame.status).toBe(200);
    expect(message).toMatch(/^AUTH\|/);

    // The frame's postMessage goes to the renderer, which forwards it.
    const result = await browser.post(httpRoutes.submitDuoResponse, { response: message });
    expect(result).toEqual({ ok: true });
    const visit = await browser.getJson<VisitView>(httpRoutes.getVisit);
    expect(visit).toMatchObject({ phase: 'done', outcome: 'verified' });
  });

  it("completes a Web SDK v4 visit through Duo's cross-site redirect, which carries only the Lax callback cookie", async () => {
    const { portal } = await startStation('v4');
    const browser = new PortalBrowser(portal.url);
    await waitInService(browser);

    const authUrl = await signInToUniversalPrompt(browser, 'bob', 'enroll-bob');

    // The browser leaves for Duo's Universal Prompt, and the person presses "Finish".
    const finish = await pressUniversalPrompt(emulator, authUrl, 'finish');
    expect(finish.authorize.status).toBe(302);
    expect(finish.pressed.status).toBe(303);
    const callback = finish.returnedTo;
    expect(callback.origin + callback.pathname).toBe(`${portal.url}${httpRoutes.duoCallback}`);

    // Duo's redirect is a cross-site navigation: the Strict session cookie stays behind.
    const back = await browser.get(`${callback.pathname}${callback.search}`, {
      onlyCookies: ['walkup_duo_callback'],
    });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/');

    const visit = await browser.getJson<VisitView>(httpRoutes.getVisit);
    expect(visit).toMatchObject({ phase: 'done', outcome: 'verified' });
  });

  it('reports a cancelled Universal Prompt as a failed visit', async () => {
    const { portal } = await startStation('v4');
    const browser = new PortalBrowser(portal.url);
    await waitInService(browser);
    const authUrl = await signInToUniversalPrompt(browser, 'alice', 'enroll-alice');
    const callback = (await pressUniversalPrompt(emulator, authUrl, 'cancel')).returnedTo;
    expect(callback.searchParams.get('error')).toBe('access_denied');
    await browser.get(`${callback.pathname}${callback.search}`, { onlyCookies: ['walkup_duo_callback'] });
    const visit = await browser.getJson<VisitView>(httpRoutes.getVisit);
    expect(visit).toMatchObject({ phase: 'failed', reason: 'cancelled' });
  });

  it('keeps a failed visit for failedSeconds without blocking anyone: another browser, Try again and a new sign-in go through at once', async () => {
    const { portal } = await startStation('v4');
    const browser = new PortalBrowser(portal.url);
    await waitInService(browser);
    const authUrl = await signInToUniversalPrompt(browser, 'alice', 'enroll-alice');
    const callback = (await pressUniversalPrompt(emulator, authUrl, 'cancel')).returnedTo;
    await browser.get(`${callback.pathname}${callback.search}`, { onlyCookies: ['walkup_duo_callback'] });
    const failed = await browser.visit();
    if (failed.phase !== 'failed') throw new Error(`unexpected visit: ${JSON.stringify(failed)}`);
    // The default failedSeconds (60): the reference stays well past Done's 8 s.
    expect(Date.parse(failed.resetAt) - Date.now()).toBeGreaterThan(50_000);

    // Another browser meanwhile is not refused.
    const next = new PortalBrowser(portal.url);
    await waitInService(next);
    await signInToUniversalPrompt(next, 'bob', 'enroll-bob');

    // "Try again" ends the failed visit at once, and the same browser signs in again.
    await browser.post(httpRoutes.finish, { reason: 'finished' });
    expect(await browser.visit()).toEqual({ phase: 'idle' });
    const againUrl = await signInToUniversalPrompt(browser, 'alice', 'enroll-alice');
    const again = (await pressUniversalPrompt(emulator, againUrl, 'cancel')).returnedTo;
    await browser.get(`${again.pathname}${again.search}`, { onlyCookies: ['walkup_duo_callback'] });
    expect(await browser.visit()).toMatchObject({ phase: 'failed', reason: 'cancelled' });

    // A sign-in straight from the Failed screen replaces the failed visit, even a refused one
    // (carol's demo password has expired).
    const replaced = await browser.signIn('carol', 'enroll-carol');
    expect(replaced).toMatchObject({ ok: false, reference: expect.any(String) });
    expect(await browser.visit()).toEqual({ phase: 'idle' });
    await signInToUniversalPrompt(browser, 'alice', 'enroll-alice');
    expect(await browser.visit()).toMatchObject({ phase: 'duo' });
  });

  it('ends the visit as failed with its reference when Duo goes down mid-visit, and only then leaves service', async () => {
    const { portal } = await startStation('v4');
    const browser = new PortalBrowser(portal.url);
    await waitInService(browser);
    const authUrl = await signInToUniversalPrompt(browser, 'bob', 'enroll-bob');
    const callback = (await pressUniversalPrompt(emulator, authUrl, 'finish')).returnedTo;
    // Duo answered the person, then went down before Walkup could exchange the code.
    emulator.setAvailable(false);
    await browser.get(`${callback.pathname}${callback.search}`, { onlyCookies: ['walkup_duo_callback'] });
    const visit = await browser.getJson<VisitView>(httpRoutes.getVisit);
    expect(visit).toMatchObject({
      phase: 'failed',
      reason: 'duo-unavailable',
      reference: expect.any(String),
    });
    const station = await browser.getJson<StationInfo>(httpRoutes.getStation);
    expect(station).toMatchObject({ inService: false, outOfService: { reason: 'duo-unreachable' } });
  });
});
