/**
 * Options for the station's windows and views (Fiddle's `getMainWindowOptions()`): pure
 * factories, so tests assert every security-relevant value. Type-only import of Electron: the
 * values are checked against the real electron.d.ts, and nothing is loaded at run time.
 */
import { DUO_VIEW_BAR_HEIGHT_PX, type VisitView } from '../contract';
import type {
  BrowserWindowConstructorOptions,
  WebContentsViewConstructorOptions,
  WebPreferences,
} from 'electron';

export interface MainWindowOptionsInput {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Packaged build: devtools off. */
  isProduction: boolean;
  /** Fullscreen kiosk. Only a development run may turn it off (`--windowed`). */
  kiosk?: boolean;
}

/** Preferences every web contents of the station shares (security checklist #2-#4, #6, #8-#10). */
export function hardenedWebPreferences(isProduction: boolean): WebPreferences {
  return {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    enableWebSQL: false,
    disableDialogs: true,
    devTools: !isProduction,
  };
}

/** The kiosk window: fullscreen, frameless, hidden until `ready-to-show`, sandboxed. */
export function getMainWindowOptions(input: MainWindowOptionsInput): BrowserWindowConstructorOptions {
  const kiosk = input.kiosk ?? true;
  return {
    title: 'Walkup',
    show: false,
    kiosk,
    fullscreen: kiosk,
    frame: false,
    autoHideMenuBar: true,
    resizable: !kiosk,
    movable: !kiosk,
    minimizable: false,
    maximizable: false,
    closable: !kiosk,
    fullscreenable: kiosk,
    backgroundColor: '#ffffff',
    webPreferences: {
      ...hardenedWebPreferences(input.isProduction),
      preload: input.preloadPath,
    },
  };
}

/** Height of the Walkup bar the renderer draws above the Duo v4 view (shared with the renderer). */
export const DUO_BAR_HEIGHT_PX = DUO_VIEW_BAR_HEIGHT_PX;

/**
 * The Duo view (v4 page, or v2 host page): its own in-memory partition, no preload, no
 * devtools in production. `partition` must not start with `persist:`.
 */
export function getDuoViewOptions(
  partition: string,
  isProduction: boolean,
): WebContentsViewConstructorOptions {
  if (partition.startsWith('persist:')) throw new Error('the Duo view partition must be in-memory');
  return {
    webPreferences: {
      ...hardenedWebPreferences(isProduction),
      partition,
    },
  };
}

/** What the Duo view shows for a visit: Duo's own page (v4), or Duo's frame on our host page (v2). */
export type DuoViewLaunch = { kind: 'page' } | { kind: 'frame'; host: string; tx: string };

/**
 * Whether the visit needs Duo's view, and which: a `page` launch with the `view` presentation, or
 * a `frame` launch (the frame runs in the view too, never in the renderer's session). Undefined
 * outside Duo.
 */
export function duoViewLaunchFor(visit: VisitView): DuoViewLaunch | undefined {
  if (visit.phase !== 'duo') return undefined;
  if (visit.duo.kind === 'frame') return { kind: 'frame', host: visit.duo.host, tx: visit.duo.tx };
  return visit.duo.presentation === 'view' ? { kind: 'page' } : undefined;
}

/** Where the Duo view sits in the window: everything below the bar. */
export function getDuoViewBounds(
  content: { width: number; height: number },
  barHeight: number = DUO_BAR_HEIGHT_PX,
): { x: number; y: number; width: number; height: number } {
  const top = Math.min(Math.max(0, barHeight), content.height);
  return { x: 0, y: top, width: Math.max(0, content.width), height: Math.max(0, content.height - top) };
}

/**
 * Forwards at most one "activity" per interval to the engine: typing into Duo's page fires an
 * input event per key, but the idle timer only needs to know someone is there.
 */
export function createActivityGate(minIntervalMs: number, now: () => number = Date.now): () => boolean {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const at = now();
    if (at - last < minIntervalMs) return false;
    last = at;
    return true;
  };
}
