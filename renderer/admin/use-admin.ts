/**
 * Connects the admin overlay to main: opens the PIN pad on the corner taps and on main's
 * `admin-requested` event (the kiosk's key chord), opens the first-run setup by itself when the
 * station needs it, and hands the screens one way to make authenticated requests, which turns a
 * `not-unlocked` answer into the PIN pad with a notice.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { WalkupApi } from '../../main/contract';
import type { AdminApi, AdminUnlockResult, NotUnlocked, Unlocked } from '../../main/contract/admin';
import { AdminNotServedError } from '../api/transport-error';
import { adminReducer, initialAdminState, selectAdminToken, type AdminState } from './admin-state';
import { isCornerTap, registerCornerTap, type CornerTaps } from './corner-taps';

/** Input that keeps an admin session open on this page. */
const inputEvents = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;

/** Whether an answer is `not-unlocked` (a missing, expired or unknown token). */
export function isNotUnlocked(value: unknown): value is NotUnlocked {
  return (
    typeof value === 'object' &&
    value !== null &&
    'ok' in value &&
    value.ok === false &&
    'reason' in value &&
    value.reason === 'not-unlocked'
  );
}

/** What the admin screens use to talk to main. */
export interface AdminSession {
  api: AdminApi;
  /**
   * Runs an authenticated request with the session's token. Resolves `undefined` when there is
   * nothing to show: the session ended (`not-unlocked`: the PIN pad comes back with a notice) or
   * main could not be reached (the overlay shows that notice). Never rejects.
   */
  request<T>(run: (token: string) => Promise<Unlocked<T>>): Promise<T | undefined>;
}

export interface AdminCommands {
  /** Opens the PIN pad (reads the gate). */
  open(): void;
  /** Reads the gate again (the PIN pad after a lockout ran out). */
  reopen(): void;
  /** Leaves the admin overlay back to visits (locks the session if there is one). */
  close(): void;
  unlock(pin: string): Promise<void>;
  /** First run: creates the first PIN; resolves the refusal reason, if refused. */
  createPin(pin: string): Promise<Extract<AdminUnlockResult, { ok: false }>['reason'] | undefined>;
  clearNotice(): void;
  /** Closes the overlay without locking (after restart or exit, which end the session anyway). */
  dismiss(): void;
}

/**
 * The admin overlay's state and commands. `api.admin` absent (portal mode without the admin
 * screen): nothing opens. `setupRequired`: the station's out-of-service reason is
 * `setup-required`; the setup flow then opens by itself on first run (gate `setup`), and after an
 * unlock otherwise. `visitInProgress`: a person is signing in or in Duo; the triggers open nothing
 * then (the admin waits for the visit to end: in the kiosk Duo's own view would cover the
 * overlay, and a person's visit is never interrupted by the admin screen).
 */
export function useAdmin(
  api: WalkupApi,
  setupRequired: boolean,
  session?: { now?: () => number; visitInProgress?: boolean },
): [AdminState, AdminCommands, AdminSession | undefined] {
  const admin = api.admin;
  const [state, dispatch] = useReducer(adminReducer, initialAdminState);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);
  const setupRequiredRef = useRef(setupRequired);
  useEffect(() => {
    setupRequiredRef.current = setupRequired;
  }, [setupRequired]);
  const nowRef = useRef(session?.now ?? (() => performance.now()));
  const visitInProgressRef = useRef(session?.visitInProgress ?? false);
  useEffect(() => {
    visitInProgressRef.current = session?.visitInProgress ?? false;
  }, [session?.visitInProgress]);

  const readGate = useCallback(async () => {
    if (!admin) return;
    try {
      dispatch({ type: 'gate-loaded', gate: await admin.gate() });
    } catch (error) {
      // No admin here (portal mode without it): the trigger does nothing.
      if (!(error instanceof AdminNotServedError))
        console.warn('Walkup: the admin gate cannot be read', error);
      dispatch({ type: 'closed' });
    }
  }, [admin]);

  const open = useCallback(() => {
    if (!admin || stateRef.current.view.kind !== 'closed' || visitInProgressRef.current) return;
    // Keep stateRef in step, so a second trigger in the same tick (chord and taps) opens nothing more.
    stateRef.current = { ...stateRef.current, view: { kind: 'opening' } };
    dispatch({ type: 'opening' });
    void readGate();
  }, [admin, readGate]);

  // The kiosk's key chord, caught by main.
  useEffect(() => {
    if (!admin) return undefined;
    try {
      return api.onEvent((event) => {
        if (event.type === 'admin-requested') open();
      });
    } catch {
      return undefined;
    }
  }, [api, admin, open]);

  // Five taps in the top-left corner within three seconds.
  const taps = useRef<CornerTaps>([]);
  useEffect(() => {
    if (!admin || state.view.kind !== 'closed') return undefined;
    const onClick = (event: MouseEvent) => {
      // Not a click made with the keyboard, which comes at (0, 0): see isCornerTap.
      if (!isCornerTap(event as MouseEvent & { pointerType?: string })) return;
      const next = registerCornerTap(taps.current, nowRef.current());
      taps.current = next.taps;
      if (next.triggered) open();
    };
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, [admin, state.view.kind, open]);

  // First run: the setup flow replaces the out-of-service screen by itself.
  useEffect(() => {
    if (!admin || !setupRequired) return undefined;
    let current = true;
    admin.gate().then(
      (gate) => {
        if (current && gate.kind === 'setup' && stateRef.current.view.kind === 'closed') {
          dispatch({ type: 'opening' });
          dispatch({ type: 'gate-loaded', gate });
        }
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [admin, setupRequired]);

  const onUnlockResult = useCallback(async (result: AdminUnlockResult) => {
    if (result.ok) {
      dispatch({
        type: 'unlocked',
        token: result.token,
        idleSeconds: result.idleSeconds,
        setupRequired: setupRequiredRef.current,
      });
      return undefined;
    }
    dispatch({ type: 'pin-refused', reason: result.reason, gate: result.gate });
    return result.reason;
  }, []);

  const commands = useMemo<AdminCommands>(
    () => ({
      open,
      reopen() {
        dispatch({ type: 'opening' });
        void readGate();
      },
      close() {
        const token = selectAdminToken(stateRef.current);
        dispatch({ type: 'closed' });
        if (admin && token) {
          admin.lock({ token }).catch((error: unknown) => console.warn('Walkup: admin lock failed', error));
        }
      },
      async unlock(pin) {
        if (!admin) return;
        try {
          await onUnlockResult(await admin.unlock({ pin }));
        } catch (error) {
          console.warn('Walkup: unlock failed', error);
          dispatch({ type: 'unreachable' });
        }
      },
      async createPin(pin) {
        if (!admin) return undefined;
        try {
          const result = await admin.createPin({ pin });
          if (result.ok) {
            dispatch({
              type: 'unlocked',
              token: result.token,
              idleSeconds: result.idleSeconds,
              setupRequired: true,
            });
            return undefined;
          }
          if (result.reason === 'not-first-run') {
            // Someone else created the PIN meanwhile: the PIN pad asks for it.
            dispatch({ type: 'opening' });
            void readGate();
          }
          return result.reason;
        } catch (error) {
          console.warn('Walkup: creating the PIN failed', error);
          dispatch({ type: 'unreachable' });
          return 'unavailable';
        }
      },
      clearNotice: () => dispatch({ type: 'notice-cleared' }),
      dismiss: () => dispatch({ type: 'closed' }),
    }),
    [admin, open, readGate, onUnlockResult],
  );

  const token = selectAdminToken(state);

  // An admin screen left alone locks itself after main's idle time without input here, so an
  // unattended kiosk does not keep showing it (main ends the session after that long without a
  // request anyway).
  const { idleSeconds } = state;
  useEffect(() => {
    if (!admin || !token || !idleSeconds) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expire = () => {
      admin.lock({ token }).catch((error: unknown) => console.warn('Walkup: admin lock failed', error));
      dispatch({ type: 'not-unlocked' });
      void readGate();
    };
    const arm = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(expire, idleSeconds * 1000);
    };
    arm();
    for (const type of inputEvents) document.addEventListener(type, arm, true);
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      for (const type of inputEvents) document.removeEventListener(type, arm, true);
    };
  }, [admin, token, idleSeconds, readGate]);

  const adminSession = useMemo<AdminSession | undefined>(() => {
    if (!admin || !token) return undefined;
    return {
      api: admin,
      async request<T>(run: (token: string) => Promise<Unlocked<T>>): Promise<T | undefined> {
        try {
          const result = await run(token);
          if (isNotUnlocked(result)) {
            dispatch({ type: 'not-unlocked' });
            void readGate();
            return undefined;
          }
          return result;
        } catch (error) {
          console.warn('Walkup: an admin request failed', error);
          dispatch({ type: 'unreachable' });
          return undefined;
        }
      },
    };
  }, [admin, token, readGate]);

  return [state, commands, adminSession];
}
