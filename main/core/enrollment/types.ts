/**
 * The enrollment engine's public shape. `main/electron` (IPC) and `main/portal` (HTTP) are thin
 * transports over it; the renderer contract (`main/contract`) is what they expose.
 */
import type {
  DuoResponseRequest,
  DuoResult,
  FinishRequest,
  ResetReason,
  SignInRequest,
  SignInResult,
  StationInfo,
  VisitView,
  WalkupEvent,
} from '../../contract';
import type { SupportedLanguage } from '../../contract/languages';
import type { AttemptContext } from '../directory/types';
import type { CallbackParams, DuoPresentation } from '../duo/types';
import type { OpenSessionResult, SessionBounds, SessionEndReason } from './visit-registry';

/**
 * One person's visit at one screen: the single kiosk window in Electron, one browser session
 * (cookie) in portal mode. All visit state (the pending Duo step) lives here, in main.
 */
export interface VisitSession {
  readonly id: string;
  /**
   * Whether a visit is under way (signing in, Duo, Done or Failed): such a session is never
   * evicted to make room; it ends by its own bounds (idle, visit cap, the Done or Failed timer) or its finish.
   */
  readonly inProgress: boolean;
  /**
   * The directory account (`DirectoryUser.username`, the canonical name) of the visit in Duo,
   * Done or Failed; undefined otherwise. The engine keeps at most one such visit per account.
   */
  readonly account?: string | undefined;
  /**
   * The language the person signed in with (the sign-in request's `locale`) while their visit is
   * in Duo, Done or Failed; undefined otherwise. The kiosk gives it to the visit's Duo partition.
   */
  readonly language?: SupportedLanguage | undefined;
  getVisit(): VisitView;
  /** `attempt` says who is signing in as far as the transport knows (portal: client address). */
  signIn(request: SignInRequest, attempt?: AttemptContext): Promise<SignInResult>;
  submitDuoResponse(request: DuoResponseRequest): Promise<DuoResult>;
  /**
   * The browser's return from a Duo prompt that is a page of its own (portal route, or intercepted
   * in the kiosk's Duo view).
   */
  handleDuoCallback(params: CallbackParams): Promise<DuoResult>;
  /**
   * Whether the visit's pending Duo step would take `params` as its own answer (the step's own
   * check, e.g. the `state` it issued, compared in constant time). Consumes nothing and changes nothing: a
   * transport asks before it hands over a callback it could not tie to the session otherwise
   * (portal mode's callback cookie), so a forged link cannot end somebody's visit.
   */
  expectsDuoCallback(params: CallbackParams): boolean;
  finish(request: FinishRequest): void;
  /**
   * The transport could not load Duo's page or frame for this visit (a network or TLS error: Duo
   * went down mid-visit). A visit in Duo ends as failed (`duo-unavailable`) with its support
   * reference, and the station notes Duo unreachable; nothing happens in any other phase.
   * `detail` is the transport's error name, for the audit log.
   */
  duoUnreachable(detail: string): void;
  activity(): void;
  /**
   * The URL of the Duo page the visit waits on, when its prompt is a page of its own (the kiosk's
   * Duo view loads it); undefined otherwise.
   */
  pendingDuoUrl(): string | undefined;
  onEvent(listener: (event: WalkupEvent) => void): () => void;
  /**
   * Ends the visit (if any, audited with `reason`, default 'cancelled') and releases timers.
   * The kiosk passes 'renderer-crash' when the renderer is lost mid-visit.
   */
  dispose(reason?: ResetReason): void;
}

/**
 * The engine's one list of visit sessions (`visit-registry.ts`), as a transport that serves many
 * sessions (portal mode) uses it: it opens sessions with bounds, looks them up by id, and learns
 * when the engine ends one. The engine decides which sessions exist; nobody keeps a second list.
 */
export interface EngineVisits {
  /**
   * Opens a session that expires by `bounds` (never while its visit is in progress) and makes
   * room as they allow; `full` when every session that could go holds a visit in progress.
   */
  open(options: { duoPresentation: DuoPresentation; bounds: SessionBounds }): OpenSessionResult<VisitSession>;
  /** The live session with this id (an expired one ends and is not returned). */
  find(id: string): VisitSession | undefined;
  /** Like `find`, and marks the session used (its idle time starts again). */
  touch(id: string): VisitSession | undefined;
  /** A request of the session is in flight: neither evicted nor expired until the release. */
  hold(id: string): () => void;
  /**
   * Whether the session may start a visit for `client` (an opaque key, e.g. `clientKey`): false
   * when that client already holds `maxVisitsPerClient` other visits in progress. On admission
   * the visit counts for `client` at once; synchronous, no await before the sign-in starts.
   */
  admitVisit(id: string, client: string, maxVisitsPerClient: number | undefined): boolean;
  /** Calls `listener` after every end of a session (expired, evicted, disposed, closed). */
  onEnded(listener: (session: VisitSession, why: SessionEndReason) => void): () => void;
  /** Ends every expired session now. */
  sweep(): void;
  /** Sessions held now. */
  readonly size: number;
}

export interface EnrollmentEngine {
  getStation(): StationInfo;
  /**
   * Opens (or, with a known id, returns) a session without bounds: it never expires and always
   * opens (the kiosk window's one session). Beyond the registry's bound the least recently used
   * session without a visit in progress is evicted first.
   */
  openSession(options: { id?: string; duoPresentation: DuoPresentation }): VisitSession;
  /** Finds a live session without creating one or marking it used. */
  findSession(id: string): VisitSession | undefined;
  /** The registry of sessions, for transports that open many (portal mode). */
  readonly visits: EngineVisits;
  /** Runs the directory and Duo health checks now and updates the in-service state. */
  refreshHealth(): Promise<StationInfo>;
  onStationChanged(listener: (station: StationInfo) => void): () => void;
  /** Stops timers and background checks. */
  close(): void;
}
