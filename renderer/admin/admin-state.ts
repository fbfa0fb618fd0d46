/**
 * The admin overlay's state, kept apart from the visit's (`state/app-state.ts`): closed, the PIN
 * pad, the admin screen, or the first-run setup flow. Pure: the hook (`use-admin.ts`) talks to
 * main and dispatches what it hears.
 */
import type { AdminGate, AdminUnlockResult } from '../../main/contract/admin';

/** Why the PIN pad refused a PIN (the contract's reasons). */
export type AdminPinFailure = Extract<AdminUnlockResult, { ok: false }>['reason'];

/** Notices the overlay shows on top of its view. */
export type AdminNotice =
  /** The admin session ended (main answered `not-unlocked`): the PIN is needed again. */
  | 'session-idle'
  /** A call to main failed for a reason outside the contract. */
  | 'unreachable';

export type AdminView =
  | { kind: 'closed' }
  /** Reading the gate (after the corner taps, the key chord, or a session that ended). */
  | { kind: 'opening' }
  | { kind: 'pin'; gate: AdminGate; failure?: AdminPinFailure }
  | { kind: 'admin'; token: string }
  /**
   * First-run setup. `firstRun`: no PIN exists yet, so the flow starts by creating one (and
   * `token` comes from `createPin`); otherwise the flow follows an unlock.
   */
  | { kind: 'setup'; firstRun: boolean; token?: string };

export interface AdminState {
  view: AdminView;
  notice?: AdminNotice;
  /** The session ends after this many seconds without input (main's `idleSeconds`). */
  idleSeconds?: number;
}

export const initialAdminState: AdminState = { view: { kind: 'closed' } };

export type AdminAction =
  | { type: 'opening' }
  /** The gate was read; `setupRequired`: the station's reason is `setup-required`. */
  | { type: 'gate-loaded'; gate: AdminGate }
  | { type: 'unlocked'; token: string; idleSeconds: number; setupRequired: boolean }
  | { type: 'pin-refused'; reason: AdminPinFailure; gate: AdminGate }
  | { type: 'not-unlocked' }
  | { type: 'unreachable' }
  | { type: 'notice-cleared' }
  | { type: 'closed' };

export function adminReducer(state: AdminState, action: AdminAction): AdminState {
  switch (action.type) {
    case 'opening':
      return { ...state, view: { kind: 'opening' } };
    case 'gate-loaded':
      // The gate is only asked for when opening; a late answer after Cancel opens nothing.
      if (state.view.kind !== 'opening') return state;
      return {
        ...state,
        view:
          action.gate.kind === 'setup'
            ? { kind: 'setup', firstRun: true }
            : { kind: 'pin', gate: action.gate },
      };
    case 'unlocked': {
      const { view } = state;
      const { idleSeconds } = action;
      if (view.kind === 'setup' && view.firstRun) {
        return { view: { kind: 'setup', firstRun: true, token: action.token }, idleSeconds };
      }
      if (view.kind !== 'pin') return state;
      return {
        view: action.setupRequired
          ? { kind: 'setup', firstRun: false, token: action.token }
          : { kind: 'admin', token: action.token },
        idleSeconds,
      };
    }
    case 'pin-refused':
      if (state.view.kind !== 'pin') return state;
      return { ...state, view: { kind: 'pin', gate: action.gate, failure: action.reason } };
    case 'not-unlocked':
      // The token is forgotten at once; the PIN pad comes back once the gate is read again.
      if (state.view.kind === 'closed') return state;
      return { view: { kind: 'opening' }, notice: 'session-idle' };
    case 'unreachable':
      return { ...state, notice: 'unreachable' };
    case 'notice-cleared':
      return { view: state.view, idleSeconds: state.idleSeconds };
    case 'closed':
      return initialAdminState;
  }
}

/** The admin session's token, when the view holds one. */
export function selectAdminToken(state: AdminState): string | undefined {
  const { view } = state;
  return view.kind === 'admin' || view.kind === 'setup' ? view.token : undefined;
}
