import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInFields, SignInRequest, WalkupApi } from '../../main/contract';
import { languageOf, type SupportedLanguage } from '../../main/contract/languages';
import { SessionRenewedError } from '../api/transport-error';
import { appReducer, boundHasRunOut, initialAppState, selectIdleBound, type AppState } from './app-state';
import { keepLanguageForRedirect, takeLanguageAfterRedirect } from './language-across-redirect';

/** While the station cannot be reached, it is asked again this often. */
export const RECONNECT_INTERVAL_MS = 5000;

/** Platform services the app uses, injectable for tests. */
export interface AppEnvironment {
  /** Top-level navigation for the v4 redirect; defaults to `window.location.assign`. */
  navigate?: (url: string) => void;
  /**
   * The kiosk: main shows Duo (the v4 page and the v2 frame alike) in a view of the visit's own
   * below the Walkup bar, so the renderer draws only the bar and frames nothing.
   */
  duoShownByMain?: boolean;
  /**
   * Portal mode only: the browser's own languages (`navigator.languages`, most preferred first).
   * The first one Walkup supports is the visit's default language, the one every reset returns
   * to; none supported, or absent (the kiosk): the station's locale.
   */
  browserLanguages?: readonly string[];
}

/** What the screens can ask for. Every call is safe: transport failures never throw. */
export interface AppCommands {
  /** "Start" on the welcome screen: on to the sign-in form. */
  start(): void;
  /** The person picks the language of the screens (and of Duo, where the station can say so). */
  pickLanguage(language: SupportedLanguage): void;
  /** "Try again" on Failed: ends the failed visit at main and returns to the sign-in form. */
  tryAgain(): void;
  changeField(field: keyof SignInFields, value: string): void;
  togglePasswordVisibility(): void;
  signIn(): void;
  submitDuoResponse(response: string): void;
  finish(): void;
  /** Tells main the person is there (throttled by the caller). */
  reportActivity(): void;
  /** Input seen on this page: extends the sign-in screen's bound. */
  noteInput(): void;
  /** "I'm still here" in the idle warning. */
  stillHere(): void;
  /** Closes the visit-cap warning (the cap itself stays). */
  dismissCapWarning(): void;
  /** The screen's bound has run out (see `selectIdleBound`): reset what it bounds. */
  boundReached(): void;
}

/**
 * Connects the renderer to main through `api`: reads the station and the visit at start (a
 * browser back from the v4 redirect lands here and sees Done or Failed), follows events, and
 * turns every unexpected transport error into the "unavailable" state, retried until it clears.
 */
export function useWalkupApp(api: WalkupApi, environment: AppEnvironment = {}): [AppState, AppCommands] {
  const [state, dispatch] = useReducer(appReducer, initialAppState);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);
  const navigateRef = useRef(environment.navigate);
  // The language the person sees now (their pick, or the station's): sent with the sign-in, so
  // the kiosk asks Duo for it too.
  const { i18n } = useTranslation();
  const languageRef = useRef<string | undefined>(i18n.language);
  useEffect(() => {
    languageRef.current = i18n.language;
  });

  const fail = useCallback((error: unknown) => {
    console.warn('Walkup: the station cannot be reached', error);
    dispatch({ type: 'transport-failed', now: Date.now() });
  }, []);

  // The pick kept before Duo's v4 redirect, if this page is the return: taken at the first load
  // and given to that load only, never to a later one (a reconnect may find another visit).
  const redirectLanguageTakenRef = useRef(false);
  const load = useCallback(async () => {
    let language: SupportedLanguage | undefined;
    if (!redirectLanguageTakenRef.current) {
      redirectLanguageTakenRef.current = true;
      language = takeLanguageAfterRedirect();
    }
    try {
      const [station, visit] = await Promise.all([api.getStation(), api.getVisit()]);
      dispatch({ type: 'loaded', station, visit, now: Date.now(), ...(language ? { language } : {}) });
    } catch (error) {
      fail(error);
    }
  }, [api, fail]);

  const refreshVisit = useCallback(async () => {
    try {
      const visit = await api.getVisit();
      dispatch({ type: 'visit-loaded', visit, now: Date.now() });
    } catch (error) {
      fail(error);
    }
  }, [api, fail]);
  const refreshVisitRef = useRef(refreshVisit);
  useEffect(() => {
    refreshVisitRef.current = refreshVisit;
  }, [refreshVisit]);

  useEffect(() => {
    let unsubscribe: () => void = () => undefined;
    try {
      unsubscribe = api.onEvent((event) => {
        dispatch({ type: 'event', event, now: Date.now() });
        // Main renews the browser session at every reset (portal mode): read the visit once, so
        // the next person's sign-in goes out with the new session rather than being refused.
        if (event.type === 'visit-reset') void refreshVisitRef.current();
      });
    } catch (error) {
      fail(error);
    }
    void load();
    return () => unsubscribe();
  }, [api, load, fail]);

  useEffect(() => {
    if (state.connection !== 'unavailable') return undefined;
    const timer = setInterval(() => void load(), RECONNECT_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [state.connection, load]);

  const commands = useMemo<AppCommands>(() => {
    const reportActivity = () => {
      dispatch({ type: 'activity-sent', now: Date.now() });
      // A lost activity ping is not worth interrupting the person for: main's idle warning
      // still gives them a chance.
      api.activity().catch((error: unknown) => console.warn('Walkup: activity not delivered', error));
    };
    return {
      start: () => dispatch({ type: 'started', now: Date.now() }),
      pickLanguage: (language) => dispatch({ type: 'language-picked', language, now: Date.now() }),
      tryAgain() {
        dispatch({ type: 'try-again', now: Date.now() });
        api.finish({ reason: 'finished' }).then(
          () => void refreshVisit(),
          (error: unknown) => fail(error),
        );
      },
      changeField: (field, value) => dispatch({ type: 'form-changed', field, value, now: Date.now() }),
      togglePasswordVisibility: () => dispatch({ type: 'password-visibility-toggled', now: Date.now() }),
      signIn() {
        const current = stateRef.current;
        if (current.submitting) return;
        // The pick itself, even if its translation is still loading.
        const language = current.language ?? languageRef.current;
        const request: SignInRequest = language
          ? { ...current.form, locale: languageOf(language) }
          : { ...current.form };
        dispatch({ type: 'sign-in-started', now: Date.now() });
        // Keep stateRef in step so a double submit in the same tick is ignored.
        stateRef.current = { ...current, submitting: true };
        api.signIn(request).then(
          (result) => {
            dispatch({ type: 'sign-in-finished', result, now: Date.now() });
            if (result.ok && result.duo.kind === 'page' && result.duo.presentation === 'redirect') {
              // This page is left for Duo: the page that comes back keeps the person's language.
              keepLanguageForRedirect(current.language);
              const navigate = navigateRef.current ?? ((url: string) => window.location.assign(url));
              navigate(result.duo.authUrl);
            }
            if (!result.ok && result.reason === 'out-of-service') void load();
          },
          (error: unknown) => {
            // The browser session was renewed under the form: nothing was checked, and the
            // password is never sent again without the person pressing Sign in.
            if (error instanceof SessionRenewedError)
              dispatch({ type: 'sign-in-interrupted', now: Date.now() });
            else fail(error);
          },
        );
      },
      submitDuoResponse(response) {
        api.submitDuoResponse({ response }).then(
          (result) => {
            if (result.ok) void refreshVisit();
            else
              dispatch({
                type: 'duo-refused',
                reason: result.reason,
                reference: result.reference,
                now: Date.now(),
              });
          },
          (error: unknown) => fail(error),
        );
      },
      finish() {
        api.finish({ reason: 'finished' }).then(
          () => void refreshVisit(),
          (error: unknown) => fail(error),
        );
      },
      reportActivity,
      noteInput: () => dispatch({ type: 'input-seen', now: Date.now() }),
      stillHere() {
        dispatch({ type: 'idle-warning-dismissed', now: Date.now() });
        reportActivity();
      },
      dismissCapWarning: () => dispatch({ type: 'cap-warning-dismissed' }),
      boundReached() {
        const bound = selectIdleBound(stateRef.current);
        const now = Date.now();
        dispatch({ type: 'bound-reached', now });
        if (!bound || !boundHasRunOut(bound, now)) return;
        if (bound.screen === 'checking') {
          // Main may still be checking: ending the visit there makes that answer void, so the
          // person who walked away is not signed in behind the empty form.
          api
            .finish({ reason: 'cancelled' })
            .catch((error: unknown) => console.warn('Walkup: could not cancel the sign-in', error));
        }
        // Left Duo, Done or Failed on the page's own clock (main's reset may never have reached
        // it): read the visit as main has it now, so the page and main agree again (and, in
        // portal mode, the browser picks up the session main renewed at its reset).
        if (bound.screen === 'duo' || bound.screen === 'done' || bound.screen === 'failed') {
          void refreshVisit();
        }
      },
    };
  }, [api, fail, load, refreshVisit]);

  return [state, commands];
}
