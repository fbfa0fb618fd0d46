import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../main/core/ports';
import { silentLogger } from '../../../main/core/ports';
import { MAX_DUO_CALLBACK_PARAM_LENGTH } from '../../../main/contract/duo-formats';
import { buildRendererCsp } from '../../../main/core/renderer-csp';
import {
  createDuoViewController,
  isDuoOutageLoadError,
  type DuoViewContent,
} from '../../../main/electron/duo-view';
import { createNavigationPolicy } from '../../../main/electron/navigation-policy';
import { roleOf } from '../../../main/electron/roles';
import { isInMemoryVisitPartition } from '../../../main/electron/session-policy';
import {
  BrowserWindow,
  fakeEvent,
  partitions,
  resetElectronFake,
  session,
  views,
} from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

const duoOrigin = 'https://127.0.0.1:43123';
const policy = createNavigationPolicy({ duoOrigin, callbackUrl: 'https://walkup.invalid/duo/callback' });
const authUrl = `${duoOrigin}/oauth/v1/authorize?request=jwt`;
const v4: DuoViewContent = { kind: 'page', url: authUrl };
const v2: DuoViewContent = { kind: 'frame', host: '127.0.0.1:43123', tx: 'TX|abc|def' };
const ALL_WIPE_STEPS = ['auth', 'cache', 'code', 'connections', 'host-resolver', 'storage'];

function onlyPartition() {
  const [name = ''] = partitions.keys();
  const target = partitions.get(name);
  if (!target) throw new Error('no partition');
  return { name, target };
}

function request(url: string, resourceType = 'mainFrame'): boolean {
  let cancelled: boolean | undefined;
  onlyPartition().target.beforeRequest?.({ url, resourceType }, ({ cancel }) => (cancelled = cancel));
  if (cancelled === undefined) throw new Error('no webRequest listener');
  return cancelled;
}

describe('createDuoViewController', () => {
  let window: BrowserWindow;
  let scriptDir: string;
  const onCallback = vi.fn();
  const onV2Response = vi.fn();
  const onActivity = vi.fn();
  const onGone = vi.fn();
  const onDuoUnreachable = vi.fn();
  const warnings: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    warn: (event) => warnings.push(event),
    error: (event) => warnings.push(event),
  };

  beforeAll(async () => {
    scriptDir = await mkdtemp(path.join(tmpdir(), 'walkup-duo-host-'));
    await writeFile(path.join(scriptDir, 'host.js'), '/* host script */');
  });
  afterAll(() => rm(scriptDir, { recursive: true, force: true }));

  beforeEach(() => {
    resetElectronFake();
    vi.clearAllMocks();
    warnings.length = 0;
    window = new BrowserWindow();
  });

  function controller(allowSecurityKeys = false) {
    return createDuoViewController({
      window: window as never,
      policy: () => policy,
      permissions: () => ({ duoOrigin, allowSecurityKeys }),
      duoCaPem: undefined,
      isProduction: true,
      locale: 'de-CH',
      v2Host: {
        csp: () => buildRendererCsp({ frameOrigin: duoOrigin }),
        scriptPath: path.join(scriptDir, 'host.js'),
      },
      logger,
      onCallback,
      onV2Response,
      onActivity,
      onGone,
      onDuoUnreachable,
    });
  }

  describe('v4', () => {
    it("opens Duo's page in a fresh in-memory partition of its own, below the bar", () => {
      controller().open(v4);
      const [view] = views;
      expect(window.children).toEqual([view]);
      expect(view?.webContents.loads).toEqual([authUrl]);
      expect(view?.bounds).toEqual({ x: 0, y: 64, width: 1280, height: 736 });
      const { name } = onlyPartition();
      expect(isInMemoryVisitPartition(name)).toBe(true);
      expect(name).toMatch(/^walkup-visit-duo-v4-/);
      expect(view?.options).toMatchObject({
        webPreferences: { partition: name, sandbox: true, devTools: false },
      });
      expect(roleOf(view?.webContents as never)?.kind).toBe('duo-view');
    });

    it("asks Duo for the station's language", () => {
      controller().open(v4);
      expect(onlyPartition().target.acceptLanguages).toBe('de-CH');
    });

    it("asks Duo for the person's language in that visit's partition only, and the next visit starts from the station's", async () => {
      const duoView = controller();
      duoView.open({ ...v4, language: 'fr' });
      const [first = ''] = partitions.keys();
      expect(partitions.get(first)?.acceptLanguages).toBe('fr');
      await duoView.close();
      // The same language as the station's keeps the station's region first.
      duoView.open({ ...v4, language: 'de' });
      const [, second = ''] = partitions.keys();
      expect(second).not.toBe(first);
      expect(partitions.get(second)?.acceptLanguages).toBe('de-CH,de');
      await duoView.close();
      duoView.open(v4);
      const [, , third = ''] = partitions.keys();
      expect(partitions.get(third)?.acceptLanguages).toBe('de-CH');
    });

    it("asks Duo's v2 frame for the person's language too", () => {
      controller().open({ ...v2, language: 'es' });
      expect(onlyPartition().target.acceptLanguages).toBe('es');
    });

    it('cancels every request that is not for Duo', () => {
      controller().open(v4);
      expect(request(`${duoOrigin}/static/app.js`, 'script')).toBe(false);
      expect(request('https://tracker.evil.test/pixel.gif', 'image')).toBe(true);
    });

    it('never loads the redirect_uri, and hands its query to the engine once', () => {
      controller().open(v4);
      expect(request('https://walkup.invalid/duo/callback?state=s&duo_code=c')).toBe(true);
      expect(onCallback).toHaveBeenCalledTimes(1);
      // The navigation guard sees the same redirect: it must not complete the visit twice.
      const role = roleOf(views[0]?.webContents as never);
      if (role?.kind === 'duo-view') role.onDuoCallback({ state: 's', duoCode: 'c' });
      expect(onCallback).toHaveBeenCalledTimes(1);
      expect(onCallback).toHaveBeenCalledWith({ state: 's', duoCode: 'c' });
    });

    it('never loads a redirect_uri whose query is over-long either: the engine gets an empty query to refuse', () => {
      controller().open(v4);
      const long = 'x'.repeat(MAX_DUO_CALLBACK_PARAM_LENGTH + 1);
      expect(request(`https://walkup.invalid/duo/callback?state=s&duo_code=${long}`)).toBe(true);
      expect(onCallback).toHaveBeenCalledTimes(1);
      expect(onCallback).toHaveBeenCalledWith({});
    });

    it('takes the redirect_uri as the answer only from a main-frame navigation', () => {
      controller().open(v4);
      for (const resourceType of ['image', 'subFrame', 'script', 'xhr']) {
        expect(request('https://walkup.invalid/duo/callback?state=s&duo_code=c', resourceType)).toBe(true);
      }
      expect(onCallback).not.toHaveBeenCalled();
    });

    it("puts WebAuthn on Duo's top-level page only when security keys are allowed, keeping Duo's own policy", () => {
      const headersFor = (allowKeys: boolean) => {
        resetElectronFake();
        window = new BrowserWindow();
        controller(allowKeys).open(v4);
        let answer: { responseHeaders?: Record<string, string[]> } | undefined;
        onlyPartition().target.headersReceived?.(
          {
            url: `${duoOrigin}/frame/prompt`,
            resourceType: 'mainFrame',
            responseHeaders: { 'permissions-policy': ['camera=()'] },
          },
          (result) => (answer = result),
        );
        return answer?.responseHeaders?.['permissions-policy'];
      };
      expect(headersFor(true)).toEqual([
        'camera=()',
        'publickey-credentials-get=(self), publickey-credentials-create=(self)',
      ]);
      expect(headersFor(false)).toEqual([
        'camera=()',
        'publickey-credentials-get=(), publickey-credentials-create=()',
      ]);
    });

    it('forwards activity in the Duo page at most once per few seconds', () => {
      controller().open(v4);
      const role = roleOf(views[0]?.webContents as never);
      if (role?.kind === 'duo-view') {
        role.onActivity();
        role.onActivity();
      }
      expect(onActivity).toHaveBeenCalledTimes(1);
    });
  });

  describe('v2', () => {
    async function fetchFromPartition(url: string, init?: RequestInit): Promise<Response> {
      const handler = onlyPartition().target.protocol.handlers.get('app');
      if (!handler) throw new Error('no app: handler in the partition');
      return handler(new Request(url, init));
    }

    it('frames Duo on a host page inside a per-visit partition, not in the renderer session', () => {
      controller().open(v2);
      const [view] = views;
      const { name } = onlyPartition();
      expect(name).toMatch(/^walkup-visit-duo-v2-/);
      expect(view?.options).toMatchObject({ webPreferences: { partition: name } });
      const loaded = new URL(view?.webContents.loads[0] ?? '');
      expect(`${loaded.protocol}//${loaded.host}${loaded.pathname}`).toBe('app://walkup/duo-v2/host.html');
      expect(loaded.searchParams.get('host')).toBe('127.0.0.1:43123');
      expect(loaded.searchParams.get('tx')).toBe('TX|abc|def');
      expect(roleOf(view?.webContents as never)?.kind).toBe('duo-v2-view');
      // The default session serves nothing of Duo's.
      expect(session.defaultSession.protocol.handlers.size).toBe(0);
    });

    it('serves the host page with a CSP that frames Duo only, and its script', async () => {
      controller().open(v2);
      const page = await fetchFromPartition('app://walkup/duo-v2/host.html?host=h&tx=t');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain(`frame-src ${duoOrigin};`);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.headers.get('permissions-policy')).toBe(
        'publickey-credentials-get=(), publickey-credentials-create=()',
      );
      expect(await page.text()).toContain('<script src="/duo-v2/host.js" defer></script>');
      const script = await fetchFromPartition('app://walkup/duo-v2/host.js');
      expect(await script.text()).toBe('/* host script */');
      expect((await fetchFromPartition('app://walkup/index.html')).status).toBe(404);
      expect((await fetchFromPartition('app://walkup/../../etc/passwd')).status).toBe(404);
    });

    it("hands the frame's message to the engine once", async () => {
      controller().open(v2);
      const post = (body: string) =>
        fetchFromPartition('app://walkup/duo-v2/response', { method: 'POST', body });
      expect((await post('AUTH|dXNlcg==|abc')).status).toBe(204);
      await post('AUTH|b3RoZXI=|def');
      expect(onV2Response).toHaveBeenCalledTimes(1);
      expect(onV2Response).toHaveBeenCalledWith({ response: 'AUTH|dXNlcg==|abc' });
    });

    it('refuses a post from a web origin (the framed page), which cannot take the one answer', async () => {
      controller().open(v2);
      const response = await fetchFromPartition('app://walkup/duo-v2/response', {
        method: 'POST',
        body: 'ERR|forged',
        headers: { origin: duoOrigin },
      });
      expect(response.status).toBe(403);
      await fetchFromPartition('app://walkup/duo-v2/response', {
        method: 'POST',
        body: 'AUTH|dXNlcg==|abc',
        headers: { origin: 'app://walkup' },
      });
      expect(onV2Response).toHaveBeenCalledTimes(1);
      expect(onV2Response).toHaveBeenCalledWith({ response: 'AUTH|dXNlcg==|abc' });
    });

    it("refuses an empty or over-long message (the contract's schema) without taking the view's one answer", async () => {
      controller().open(v2);
      const post = (body: string) =>
        fetchFromPartition('app://walkup/duo-v2/response', { method: 'POST', body });
      expect((await post('')).status).toBe(400);
      expect((await post('A'.repeat(4097))).status).toBe(400);
      expect(onV2Response).not.toHaveBeenCalled();
      // The longest the schema takes still goes through, once.
      const longest = 'A'.repeat(4096);
      expect((await post(longest)).status).toBe(204);
      expect(onV2Response).toHaveBeenCalledWith({ response: longest });
    });

    it('lets the partition reach only the host page and Duo', () => {
      controller().open(v2);
      expect(request('app://walkup/duo-v2/host.js', 'script')).toBe(false);
      expect(request(`${duoOrigin}/frame/web/v1/auth?tx=a`, 'subFrame')).toBe(false);
      expect(request('https://tracker.evil.test/p.gif', 'image')).toBe(true);
    });
  });

  describe('reset', () => {
    it.each([v4, v2])('destroys the %o view and wipes and releases its partition', async (content) => {
      const duo = controller();
      duo.open(content);
      const { target } = onlyPartition();
      await duo.close();
      expect(window.children).toEqual([]);
      expect(views[0]?.webContents.isDestroyed()).toBe(true);
      expect([...target.cleared].sort()).toEqual(ALL_WIPE_STEPS);
      // Connections first: nothing of the visit is still talking while its storage goes.
      expect(target.cleared[0]).toBe('connections');
      expect(duo.isOpen()).toBe(false);
    });

    it('runs every wipe step even when one fails, and says so', async () => {
      const duo = controller();
      duo.open(v4);
      const { target } = onlyPartition();
      target.failing.add('cache');
      await duo.close();
      expect([...target.cleared].sort()).toEqual(ALL_WIPE_STEPS);
      expect(warnings).toContain('visit-partition-wipe-failed');
    });

    it('gives every visit a partition never used before, so no session is ever reused', async () => {
      const duo = controller();
      duo.open(v4);
      await duo.close();
      duo.open(v2);
      await duo.close();
      duo.open(v4);
      const names = [...partitions.keys()];
      expect(new Set(names).size).toBe(3);
      const [first] = partitions.values();
      // The first visit's session was wiped and is never handed to a later view.
      expect(first?.cleared.length).toBe(ALL_WIPE_STEPS.length);
      expect(views[2]?.options).not.toMatchObject({ webPreferences: { partition: names[0] } });
    });

    it('wipes the previous partition when a new visit opens before the old one was closed', async () => {
      const duo = controller();
      duo.open(v4);
      const [first] = partitions.values();
      duo.open(v4);
      await vi.waitFor(() => expect(first?.cleared.length).toBe(ALL_WIPE_STEPS.length));
      expect(window.children).toEqual([views[1]]);
    });
  });

  describe('Duo down mid-visit', () => {
    const failLoad = (code: number, mainFrame: boolean, index = 0) =>
      views[index]?.webContents.emit('did-fail-load', fakeEvent(), code, `ERR_${-code}`, authUrl, mainFrame);

    it("ends the visit when Duo's page cannot be loaded, never for the view's own cancels", () => {
      controller().open(v4);
      failLoad(-3, true); // ERR_ABORTED: the intercepted redirect_uri
      failLoad(-20, true); // ERR_BLOCKED_BY_CLIENT: a request the view cancels
      failLoad(-102, false); // a subframe of Duo's page
      expect(onDuoUnreachable).not.toHaveBeenCalled();
      failLoad(-102, true); // ERR_CONNECTION_REFUSED
      expect(onDuoUnreachable).toHaveBeenCalledWith('ERR_102 (-102)');
      expect(warnings).toContain('duo-view-unreachable');
    });

    it("ends a v2 visit when Duo's frame cannot be loaded in the host page", () => {
      controller().open(v2);
      failLoad(-105, true); // the host page itself is ours
      expect(onDuoUnreachable).not.toHaveBeenCalled();
      failLoad(-202, false); // ERR_CERT_AUTHORITY_INVALID in Duo's frame
      expect(onDuoUnreachable).toHaveBeenCalledTimes(1);
    });

    it('ignores a late failure of a view already closed', async () => {
      const duo = controller();
      duo.open(v4);
      await duo.close();
      failLoad(-102, true);
      expect(onDuoUnreachable).not.toHaveBeenCalled();
    });

    it.each([
      [-3, false],
      [-20, false],
      [-99, false],
      [-100, true],
      [-105, true],
      [-202, true],
      [-324, true],
      [-399, true],
      [-400, false],
      [-501, false],
    ])('counts net error %i as Duo unreachable: %s', (code, expected) => {
      expect(isDuoOutageLoadError(code)).toBe(expected);
    });
  });

  describe('a crashed view', () => {
    it('ends the visit when the renderer of the open view crashes or is killed', () => {
      controller().open(v4);
      views[0]?.webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 11 });
      expect(onGone).toHaveBeenCalledTimes(1);
      expect(warnings).toContain('duo-view-gone');
    });

    it('ignores a clean exit and a late crash of a view already closed', async () => {
      const duo = controller();
      duo.open(v2);
      views[0]?.webContents.emit('render-process-gone', fakeEvent(), { reason: 'clean-exit', exitCode: 0 });
      await duo.close();
      views[0]?.webContents.emit('render-process-gone', fakeEvent(), { reason: 'killed', exitCode: 9 });
      expect(onGone).not.toHaveBeenCalled();
    });
  });
});
