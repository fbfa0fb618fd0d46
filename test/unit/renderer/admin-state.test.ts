import { describe, expect, it } from 'vitest';
import {
  adminReducer,
  initialAdminState,
  selectAdminToken,
  type AdminState,
} from '../../../renderer/admin/admin-state';

const opening: AdminState = adminReducer(initialAdminState, { type: 'opening' });

describe('admin overlay state', () => {
  it('shows the PIN pad for a PIN gate and the setup flow for a first-run gate', () => {
    expect(
      adminReducer(opening, { type: 'gate-loaded', gate: { kind: 'pin', attemptsLeft: 3 } }).view,
    ).toEqual({
      kind: 'pin',
      gate: { kind: 'pin', attemptsLeft: 3 },
    });
    expect(adminReducer(opening, { type: 'gate-loaded', gate: { kind: 'setup' } }).view).toEqual({
      kind: 'setup',
      firstRun: true,
    });
  });

  it('opens nothing for a gate answer that arrives after Cancel', () => {
    const closed = adminReducer(opening, { type: 'closed' });
    expect(adminReducer(closed, { type: 'gate-loaded', gate: { kind: 'pin', attemptsLeft: 3 } })).toBe(
      closed,
    );
  });

  it('unlocks into the admin screen, or into the setup flow on a station that needs setup', () => {
    const pin = adminReducer(opening, { type: 'gate-loaded', gate: { kind: 'pin', attemptsLeft: 3 } });
    expect(
      adminReducer(pin, { type: 'unlocked', token: 't', idleSeconds: 120, setupRequired: false }).view,
    ).toEqual({
      kind: 'admin',
      token: 't',
    });
    expect(
      adminReducer(pin, { type: 'unlocked', token: 't', idleSeconds: 120, setupRequired: true }).view,
    ).toEqual({
      kind: 'setup',
      firstRun: false,
      token: 't',
    });
  });

  it('forgets the token at once on not-unlocked and says why', () => {
    const pin = adminReducer(opening, { type: 'gate-loaded', gate: { kind: 'pin', attemptsLeft: 3 } });
    const unlocked = adminReducer(pin, {
      type: 'unlocked',
      token: 't',
      idleSeconds: 120,
      setupRequired: false,
    });
    const ended = adminReducer(unlocked, { type: 'not-unlocked' });
    expect(selectAdminToken(ended)).toBeUndefined();
    expect(ended).toEqual({ view: { kind: 'opening' }, notice: 'session-idle' });
    // Nothing to end when the overlay is closed.
    expect(adminReducer(initialAdminState, { type: 'not-unlocked' })).toBe(initialAdminState);
  });

  it('keeps the refusal and the new gate on the PIN pad', () => {
    const pin = adminReducer(opening, { type: 'gate-loaded', gate: { kind: 'pin', attemptsLeft: 1 } });
    const refused = adminReducer(pin, {
      type: 'pin-refused',
      reason: 'locked',
      gate: { kind: 'locked', retryAfterSeconds: 300 },
    });
    expect(refused.view).toEqual({
      kind: 'pin',
      gate: { kind: 'locked', retryAfterSeconds: 300 },
      failure: 'locked',
    });
  });
});
