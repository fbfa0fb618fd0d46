import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { buildDuoFrameSrc, isDuoApiHost } from '../../main/contract/duo-formats';
import { VisitProgress } from '../components/visit-progress';
import { WalkupBar } from '../components/walkup-bar';
import { acceptDuoFrameMessage } from '../duo/web-v2-frame';
import type { DuoSession } from '../state/app-state';

/** Props of {@link DuoPortal}. */
export interface DuoPortalProps {
  session: DuoSession;
  /** When the visit ends without activity (epoch ms), for the bar. */
  deadline?: number;
  /** The v2 frame's AUTH/ENROLL/ERR message; called at most once per frame. */
  onDuoResponse(response: string): void;
  onDone(): void;
  /** Top-level navigation for the v4 redirect; defaults to `window.location.assign`. */
  navigate?: (url: string) => void;
  /** The kiosk: main draws Duo (v4 page or v2 frame) in its own view below the bar. */
  shownByMain?: boolean;
}

/**
 * Duo's Device Management Portal for the signed-in person, under the Walkup bar:
 * - v2 (browser): Duo's frame in an iframe, and a listener for the one message it sends back;
 * - v4 redirect (browser): a way (back) to Duo's page, which is a top-level page;
 * - v4 view and v2 in the kiosk: only the bar; main draws Duo below it, in the visit's own
 *   partition (the window's CSP frames nothing).
 */
export function DuoPortal({
  session,
  deadline,
  onDuoResponse,
  onDone,
  navigate,
  shownByMain = false,
}: DuoPortalProps) {
  const { duo } = session;
  const inMainView =
    (duo.kind === 'page' && duo.presentation === 'view') || (duo.kind === 'frame' && shownByMain);
  // On v4's page in a browser the main action is "Continue to Duo"; "I'm done" steps back.
  const redirect = !inMainView && duo.kind === 'page' && duo.presentation === 'redirect';
  return (
    <div className="screen duo-portal">
      <WalkupBar
        displayName={session.displayName}
        deadline={deadline}
        fixedHeight={inMainView}
        doneEmphasis={redirect ? 'secondary' : 'primary'}
        onDone={onDone}
      />
      {/* Where main draws Duo below a bar of fixed height, there is no room for the steps. */}
      {inMainView ? null : <VisitProgress current="devices" />}
      {inMainView ? (
        <DuoViewPlaceholder />
      ) : duo.kind === 'frame' ? (
        <div className="duo-frame-area">
          <DuoFrame key={`${duo.host} ${duo.tx}`} host={duo.host} tx={duo.tx} onDuoResponse={onDuoResponse} />
          <DuoCanDo />
        </div>
      ) : duo.presentation === 'redirect' ? (
        <DuoRedirect authUrl={duo.authUrl} navigate={navigate} />
      ) : (
        <DuoViewPlaceholder />
      )}
    </div>
  );
}

interface DuoFrameProps {
  host: string;
  tx: string;
  onDuoResponse(response: string): void;
}

/** The Web SDK v2.9 frame (Duo-Web-v2.js 2.9: frame URL and postMessage protocol). */
function DuoFrame({ host, tx, onDuoResponse }: DuoFrameProps) {
  const { t } = useTranslation();
  const frameRef = useRef<HTMLIFrameElement>(null);
  const submitted = useRef(false);
  const onResponseRef = useRef(onDuoResponse);
  useEffect(() => {
    onResponseRef.current = onDuoResponse;
  }, [onDuoResponse]);

  const validHost = isDuoApiHost(host);
  // `parent` is this page, as Duo-Web-v2.js sends document.location.href; read once per frame.
  const src = useMemo(
    () => (validHost ? buildDuoFrameSrc(host, tx, window.location.href) : undefined),
    [validHost, host, tx],
  );

  useEffect(() => {
    if (!validHost) return undefined;
    const onMessage = (event: MessageEvent) => {
      if (submitted.current) return;
      const response = acceptDuoFrameMessage(event, host, frameRef.current?.contentWindow);
      if (response === undefined) return;
      submitted.current = true;
      onResponseRef.current(response);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [validHost, host]);

  if (!src) {
    return (
      <p className="duo-message" role="alert">
        {t('duo.frameUnavailable')}
      </p>
    );
  }
  return (
    <iframe
      ref={frameRef}
      className="duo-frame"
      title={t('duo.frameTitle')}
      src={src}
      // Duo's frame needs scripts, its own origin (cookies) and forms; it gets no popups and
      // no top-level navigation. Security keys need WebAuthn in the frame.
      sandbox="allow-scripts allow-same-origin allow-forms"
      allow={`publickey-credentials-get https://${host}; publickey-credentials-create https://${host}`}
    />
  );
}

interface DuoRedirectProps {
  authUrl: string;
  navigate?: (url: string) => void;
}

/**
 * Shown when this page is on the Duo step of a v4 visit in a browser: right after sign-in the app
 * has already navigated to Duo; this covers a person who came back (e.g. with the Back button).
 */
function DuoRedirect({ authUrl, navigate }: DuoRedirectProps) {
  const { t } = useTranslation();
  const go = () => (navigate ?? ((url: string) => window.location.assign(url)))(authUrl);
  return (
    <div className="duo-message">
      <p>{t('duo.redirectHint')}</p>
      <button type="button" className="button primary" onClick={go}>
        {t('duo.openDuo')}
      </button>
    </div>
  );
}

/**
 * Beside Duo's frame: what a person can do in Duo's Device Management Portal (Duo's "Device
 * Management Portal" guide: add, replace and remove devices), and how to end the visit.
 */
function DuoCanDo() {
  const { t } = useTranslation();
  return (
    <aside className="duo-can-do" aria-labelledby="duo-can-do-heading">
      <h2 id="duo-can-do-heading">{t('duo.canDo.heading')}</h2>
      <ul>
        <li>{t('duo.canDo.add')}</li>
        <li>{t('duo.canDo.replace')}</li>
        <li>{t('duo.canDo.remove')}</li>
      </ul>
      <p>{t('duo.canDo.finish')}</p>
    </aside>
  );
}

/** v4 in Electron: Duo's page is a separate view that main lays out below the bar. */
function DuoViewPlaceholder() {
  const { t } = useTranslation();
  return (
    <div className="duo-view-area">
      <p className="visually-hidden">{t('duo.viewHint')}</p>
    </div>
  );
}
