import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { createDuoViewController } from '../../../main/electron/duo-view';
import { createNavigationPolicy } from '../../../main/electron/navigation-policy';
import { roleOf } from '../../../main/electron/roles';
import { BrowserWindow, partitions, resetElectronFake, views } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

const duoOrigin = 'https://127.0.0.1:43123';
const policy = createNavigationPolicy({ duoOrigin, callbackUrl: 'https://walkup.invalid/duo/callback' });
const authUrl = `${duoOrigin}/oauth/v1/authorize?request=jwt`;

function request(partition: string, url: string, resourceType = 'mainFrame'): boolean {
  let cancelled: boolean | undefined;
  partitions.get(partition)?.beforeRequest?.({ url, resourceType }, ({ cancel }) => (cancelled = cancel));
  if (cancelled === undefined) throw new Error('no webRequest listener');
  return cancelled;
}

describe('createDuoViewController', () => {
  let window: BrowserWindow;
  const onCallback = vi.fn();
  const onActivity = vi.fn();

  beforeEach(() => {
    resetElectronFake();
    vi.clearAllMocks();
    window = new BrowserWindow();
  });

  function controller() {
    return createDuoViewController({
      window: window as never,
      policy: () => policy,
      duoCaPem: undefined,
      isProduction: true,
      locale: 'de-CH',
      logger: silentLogger,
      onCallback,
      onActivity,
    });
  }

  it("opens Duo's page in a fresh in-memory partition, below the bar", () => {
    controller().open(authUrl, 'visit1');
    const [view] = views;
    expect(window.children).toEqual([view]);
    expect(view?.webContents.loads).toEqual([authUrl]);
    expect(view?.bounds).toEqual({ x: 0, y: 64, width: 1280, height: 736 });
    const [partition] = [...partitions.keys()];
    expect(partition).toMatch(/^walkup-duo-/);
    expect(view?.options).toMatchObject({ webPreferences: { partition, sandbox: true, devTools: false } });
    expect(roleOf(view?.webContents as never)?.kind).toBe('duo-view');
  });

  it("asks Duo for the station's language", () => {
    controller().open(authUrl, 'visit1');
    const [session] = partitions.values();
    expect(session?.acceptLanguages).toBe('de-CH');
  });

  it('cancels every request that is not for Duo', () => {
    controller().open(authUrl, 'visit1');
    const [partition = ''] = partitions.keys();
    expect(request(partition, `${duoOrigin}/static/app.js`, 'script')).toBe(false);
    expect(request(partition, 'https://tracker.evil.test/pixel.gif', 'image')).toBe(true);
  });

  it('never loads the redirect_uri, and hands its query to the engine once', () => {
    controller().open(authUrl, 'visit1');
    const [partition = ''] = partitions.keys();
    expect(request(partition, 'https://walkup.invalid/duo/callback?state=s&duo_code=c')).toBe(true);
    expect(onCallback).toHaveBeenCalledTimes(1);
    // The navigation guard sees the same redirect: it must not complete the visit twice.
    const role = roleOf(views[0]?.webContents as never);
    if (role?.kind === 'duo-view') role.onDuoCallback({ state: 's', duoCode: 'c' });
    expect(onCallback).toHaveBeenCalledTimes(1);
    expect(onCallback).toHaveBeenCalledWith({ state: 's', duoCode: 'c' });
  });

  it('destroys the view and wipes its partition at reset', async () => {
    const duo = controller();
    duo.open(authUrl, 'visit1');
    const [partition = ''] = partitions.keys();
    await duo.close();
    expect(window.children).toEqual([]);
    expect(views[0]?.webContents.isDestroyed()).toBe(true);
    expect(partitions.get(partition)?.cleared.sort()).toEqual(['auth', 'cache', 'storage']);
    expect(duo.isOpen()).toBe(false);
  });

  it('gives the next visit a different partition', async () => {
    const duo = controller();
    duo.open(authUrl, 'visit1');
    await duo.close();
    duo.open(authUrl, 'visit2');
    const names = [...partitions.keys()];
    expect(names).toHaveLength(2);
    expect(names[0]).not.toBe(names[1]);
  });

  it('forwards activity in the Duo page at most once per few seconds', () => {
    controller().open(authUrl, 'visit1');
    const role = roleOf(views[0]?.webContents as never);
    if (role?.kind === 'duo-view') {
      role.onActivity();
      role.onActivity();
    }
    expect(onActivity).toHaveBeenCalledTimes(1);
  });
});
