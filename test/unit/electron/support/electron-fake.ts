/**
 * The one hand-written Electron fake (Fiddle's approach) for the adapter tests: just enough of
 * the main-process API, with real event emitters, so the adapters' wiring can be driven in Node.
 * Each test file installs it with `vi.mock('electron', () => import('./support/electron-fake'))`
 * and calls `resetElectronFake()` in `beforeEach`.
 */
import { EventEmitter } from 'node:events';

/** An Electron-style event: `preventDefault()` plus the navigation details. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
  [key: string]: unknown;
}

export function fakeEvent(details: Record<string, unknown> = {}): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
    ...details,
  };
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  url = '';
  destroyed = false;
  focused = false;
  crashed = false;
  loads: string[] = [];
  sent: { channel: string; value: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;

  constructor() {
    super();
    app.emit('web-contents-created', fakeEvent(), this);
  }
  async loadURL(url: string): Promise<void> {
    this.loads.push(url);
    this.url = url;
  }
  getURL(): string {
    return this.url;
  }
  send(channel: string, value: unknown): void {
    this.sent.push({ channel, value });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
  }
  focus(): void {
    this.focused = true;
  }
  forcefullyCrashRenderer(): void {
    this.crashed = true;
  }
}

/** A download as `will-download` hands it over. */
export class FakeDownloadItem {
  cancelled = false;
  constructor(
    readonly url: string,
    readonly mimeType = 'application/octet-stream',
  ) {}
  getURL(): string {
    return this.url;
  }
  getMimeType(): string {
    return this.mimeType;
  }
  cancel(): void {
    this.cancelled = true;
  }
}

type ProtocolHandler = (request: Request) => Promise<Response> | Response;

export class FakeSession extends EventEmitter {
  /** Wipe steps run on this session, in call order. */
  cleared: string[] = [];
  requestHandler: ((...args: unknown[]) => void) | undefined;
  checkHandler: ((...args: unknown[]) => boolean) | undefined;
  deviceHandler: ((details: unknown) => boolean) | undefined;
  verifyProc: ((request: unknown, callback: (result: number) => void) => void) | undefined;
  beforeRequest:
    | ((details: { url: string; resourceType: string }, callback: (r: { cancel: boolean }) => void) => void)
    | undefined;
  headersReceived:
    | ((
        details: { url: string; resourceType: string; responseHeaders?: Record<string, string[]> },
        callback: (r: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void,
      ) => void)
    | undefined;
  readonly webRequest = {
    onBeforeRequest: (listener: FakeSession['beforeRequest']) => {
      this.beforeRequest = listener;
    },
    onHeadersReceived: (listener: FakeSession['headersReceived']) => {
      this.headersReceived = listener;
    },
  };
  /** `session.protocol`: per-session scheme handlers. */
  readonly protocol = {
    handlers: new Map<string, ProtocolHandler>(),
    handle: (scheme: string, handler: ProtocolHandler) => {
      this.protocol.handlers.set(scheme, handler);
    },
  };

  constructor(
    readonly partition: string,
    readonly options: unknown = undefined,
  ) {
    super();
    app.emit('session-created', this);
  }
  setPermissionRequestHandler(handler: FakeSession['requestHandler']): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['checkHandler']): void {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['deviceHandler']): void {
    this.deviceHandler = handler;
  }
  userAgent = 'Chrome';
  acceptLanguages: string | undefined;
  getUserAgent(): string {
    return this.userAgent;
  }
  setUserAgent(userAgent: string, acceptLanguages?: string): void {
    this.userAgent = userAgent;
    this.acceptLanguages = acceptLanguages;
  }
  setCertificateVerifyProc(proc: FakeSession['verifyProc']): void {
    this.verifyProc = proc;
  }
  /** Names of wipe steps that reject (to test that the others still run). */
  failing = new Set<string>();
  private async step(name: string): Promise<void> {
    this.cleared.push(name);
    if (this.failing.has(name)) throw new Error(`${name} failed`);
  }
  clearStorageData(): Promise<void> {
    return this.step('storage');
  }
  clearCache(): Promise<void> {
    return this.step('cache');
  }
  clearAuthCache(): Promise<void> {
    return this.step('auth');
  }
  clearHostResolverCache(): Promise<void> {
    return this.step('host-resolver');
  }
  clearCodeCaches(_options: unknown): Promise<void> {
    return this.step('code');
  }
  closeAllConnections(): Promise<void> {
    return this.step('connections');
  }
  /** Starts a download the way Chromium would; returns the item and the event. */
  download(url: string, mimeType?: string): { item: FakeDownloadItem; event: FakeEvent } {
    const item = new FakeDownloadItem(url, mimeType);
    const event = fakeEvent();
    this.emit('will-download', event, item, new FakeWebContents());
    return { item, event };
  }
}

export class WebContentsView {
  readonly webContents = new FakeWebContents();
  bounds: unknown;
  visible = true;
  setVisible(visible: boolean): void {
    this.visible = visible;
  }
  constructor(readonly options: unknown) {
    views.push(this);
  }
  setBounds(bounds: unknown): void {
    this.bounds = bounds;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly children: WebContentsView[] = [];
  readonly contentView = {
    addChildView: (view: WebContentsView) => this.children.push(view),
    removeChildView: (view: WebContentsView) => this.children.splice(this.children.indexOf(view), 1),
  };
  shown = false;
  constructor(readonly options: unknown = {}) {
    super();
    BrowserWindow.created.push(this);
  }
  getContentBounds() {
    return { x: 0, y: 0, width: 1280, height: 800 };
  }
  isDestroyed(): boolean {
    return false;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  switches = new Set<string>();
  readonly commandLine = {
    hasSwitch: (name: string) => this.switches.has(name),
  };
  exitCode: number | undefined;
  quitCalls = 0;
  relaunchCalls = 0;
  sandboxEnabled = false;
  singleInstance = true;
  appPath = '/opt/walkup';
  logsPath = '/tmp/walkup-fake-logs';
  userDataPath = '/tmp/walkup-fake-user-data';
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getAppPath(): string {
    return this.appPath;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
  getPath(name?: string): string {
    return name === 'logs' ? this.logsPath : this.userDataPath;
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  quit(): void {
    this.quitCalls += 1;
  }
  relaunch(): void {
    this.relaunchCalls += 1;
  }
}

export const app = new FakeApp();
export const views: WebContentsView[] = [];
export const partitions = new Map<string, FakeSession>();

export const ipcMain = {
  handlers: new Map<string, (event: unknown, payload?: unknown) => unknown>(),
  handle(channel: string, handler: (event: unknown, payload?: unknown) => unknown) {
    this.handlers.set(channel, handler);
  },
  on() {},
};

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: { url: string }) => Promise<Response> | Response>(),
  registerSchemesAsPrivileged(schemes: unknown[]) {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: { url: string }) => Promise<Response> | Response) {
    this.handlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: undefined as unknown as FakeSession,
  /** Electron returns the same session for the same name: so does the fake. */
  fromPartition(partition: string, options?: unknown) {
    const existing = partitions.get(partition);
    if (existing) return existing;
    const created = new FakeSession(partition, options);
    partitions.set(partition, created);
    return created;
  },
};

export const powerSaveBlocker = {
  started: [] as string[],
  start(type: string) {
    this.started.push(type);
    return this.started.length;
  },
  isStarted: () => true,
  stop() {},
};

export const powerMonitor = new EventEmitter();

export const Menu = {
  menu: 'default' as unknown,
  setApplicationMenu(menu: unknown) {
    this.menu = menu;
  },
};

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  isAsyncEncryptionAvailable: async () => safeStorage.available,
  getSelectedStorageBackend: () => safeStorage.backend,
  encryptStringAsync: async (plain: string) => Buffer.from(`enc:${plain}`),
  decryptStringAsync: async (data: Buffer) => ({
    result: data.toString().replace(/^enc:/, ''),
    shouldReEncrypt: false,
  }),
};

/** Fresh fake state for each test. */
export function resetElectronFake(): void {
  app.removeAllListeners();
  app.isPackaged = false;
  app.switches.clear();
  app.exitCode = undefined;
  app.quitCalls = 0;
  app.relaunchCalls = 0;
  app.sandboxEnabled = false;
  app.singleInstance = true;
  views.length = 0;
  BrowserWindow.created.length = 0;
  partitions.clear();
  ipcMain.handlers.clear();
  protocol.privileged = [];
  protocol.handlers.clear();
  session.defaultSession = new FakeSession('default');
  powerSaveBlocker.started = [];
  powerMonitor.removeAllListeners();
  Menu.menu = 'default';
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
}
resetElectronFake();

const electron = {
  app,
  BrowserWindow,
  WebContentsView,
  ipcMain,
  protocol,
  session,
  powerSaveBlocker,
  powerMonitor,
  Menu,
  safeStorage,
};
export default electron;
