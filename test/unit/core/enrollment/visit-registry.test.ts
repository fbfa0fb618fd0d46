import { describe, expect, it } from 'vitest';
import {
  createVisitRegistry,
  type SessionBounds,
  type SessionEndReason,
  type VisitRegistry,
} from '../../../../main/core/enrollment/visit-registry';

/** A session whose visit the test starts and ends by hand. */
interface TestSession {
  readonly id: string;
  inProgress: boolean;
  disposals: number;
  dispose(): void;
}

function harness(maxSessions = 1000) {
  let now = 1_700_000_000_000;
  const clock = {
    now: () => now,
    sleep: async () => undefined,
  };
  const registry: VisitRegistry<TestSession> = createVisitRegistry<TestSession>({ clock, maxSessions });
  const ended: { id: string; why: SessionEndReason }[] = [];
  registry.onEnded((session, why) => ended.push({ id: session.id, why }));
  const create = (id: string): TestSession => {
    const session: TestSession = {
      id,
      inProgress: false,
      disposals: 0,
      dispose() {
        session.disposals += 1;
        // Like the engine's sessions: disposing tells the registry (a no-op when it ended it).
        registry.forget(id);
      },
    };
    return session;
  };
  const open = (bounds?: SessionBounds): TestSession => {
    const opened = registry.open(create, bounds ? { bounds } : {});
    if (!opened.ok) throw new Error('refused');
    return opened.session;
  };
  return {
    registry,
    ended,
    create,
    open,
    advance(ms: number) {
      now += ms;
    },
  };
}

const bounds = (overrides: Partial<SessionBounds> = {}): SessionBounds => ({
  maxSessions: 3,
  idleTtlMs: 60_000,
  maxAgeMs: 600_000,
  ...overrides,
});

describe('visit registry: room', () => {
  it('evicts the least recently used session without a visit in progress, disposes it and says so', () => {
    const h = harness();
    const [a, b, c] = [h.open(bounds()), h.open(bounds()), h.open(bounds())];
    h.registry.touch(a!.id); // b is now the least recently used
    const d = h.open(bounds());
    expect(h.registry.find(b!.id)).toBeUndefined();
    expect(b!.disposals).toBe(1);
    expect(h.ended).toEqual([{ id: b!.id, why: 'evicted' }]);
    expect(h.registry.values().map((s) => s.id)).toEqual([c!.id, a!.id, d.id]);
  });

  it('never evicts a visit in progress or a session with a request in flight; refuses a bounded open then', () => {
    const h = harness();
    const [a, b, c] = [h.open(bounds()), h.open(bounds()), h.open(bounds())];
    a!.inProgress = true;
    b!.inProgress = true;
    const release = h.registry.hold(c!.id);
    expect(h.registry.open(h.create, { bounds: bounds() })).toEqual({ ok: false, reason: 'full' });
    expect(h.ended).toEqual([]);
    release();
    expect(h.registry.open(h.create, { bounds: bounds() }).ok).toBe(true);
    expect(h.ended).toEqual([{ id: c!.id, why: 'evicted' }]);
  });

  it('opens an unbounded session (the kiosk window) even when nothing can make room', () => {
    const h = harness(2);
    const [a, b] = [h.open(), h.open()];
    a.inProgress = true;
    b.inProgress = true;
    const kiosk = h.registry.open(h.create);
    expect(kiosk.ok).toBe(true);
    expect(h.registry.size).toBe(3);
  });

  it("caps an opener's bound at the registry's own", () => {
    const h = harness(2);
    h.open(bounds({ maxSessions: 5 }));
    h.open(bounds({ maxSessions: 5 }));
    h.open(bounds({ maxSessions: 5 }));
    expect(h.registry.size).toBe(2);
  });

  it('ends expired sessions before it evicts a live one', () => {
    const h = harness();
    const a = h.open(bounds({ idleTtlMs: 1000 }));
    h.advance(500);
    const b = h.open(bounds({ idleTtlMs: 1000 }));
    const c = h.open(bounds({ idleTtlMs: 1000 }));
    h.advance(600); // a is idle past its bound; b and c are not
    h.registry.touch(b.id);
    h.open(bounds({ idleTtlMs: 1000 }));
    expect(h.ended).toEqual([{ id: a.id, why: 'expired' }]);
    expect(h.registry.find(c.id)).toBe(c);
  });
});

describe('visit registry: expiry', () => {
  it('ends a bounded session idle past idleTtlMs when it is looked up', () => {
    const h = harness();
    const a = h.open(bounds());
    h.advance(59_000);
    expect(h.registry.touch(a.id)).toBe(a);
    h.advance(59_000);
    expect(h.registry.find(a.id)).toBe(a); // touched 59 s ago
    h.advance(2000);
    expect(h.registry.find(a.id)).toBeUndefined();
    expect(a.disposals).toBe(1);
    expect(h.ended).toEqual([{ id: a.id, why: 'expired' }]);
  });

  it('ends a bounded session past maxAgeMs however often it is used', () => {
    const h = harness();
    const a = h.open(bounds({ maxAgeMs: 120_000 }));
    for (let step = 0; step < 4; step += 1) {
      h.advance(30_000);
      expect(h.registry.touch(a.id)).toBe(a);
    }
    h.advance(1000);
    expect(h.registry.touch(a.id)).toBeUndefined();
    expect(h.ended).toEqual([{ id: a.id, why: 'expired' }]);
  });

  it('never expires a visit in progress, a held session, or an unbounded one', () => {
    const h = harness();
    const visiting = h.open(bounds());
    visiting.inProgress = true;
    const held = h.open(bounds());
    const release = h.registry.hold(held.id);
    const kiosk = h.open();
    h.advance(24 * 60 * 60_000);
    h.registry.sweep();
    expect(h.registry.find(visiting.id)).toBe(visiting);
    expect(h.registry.find(held.id)).toBe(held);
    expect(h.registry.find(kiosk.id)).toBe(kiosk);
    // Once released, the request counts as use; the idle bound runs from there.
    release();
    h.advance(61_000);
    visiting.inProgress = false;
    h.registry.sweep();
    expect(h.ended.map((end) => end.why)).toEqual(['expired', 'expired']);
    expect(h.registry.values()).toEqual([kiosk]);
  });
});

describe('visit registry: visits per client', () => {
  it('admits at most maxVisitsPerClient visits in progress per client, checked and counted at once', () => {
    const h = harness();
    const sessions = Array.from({ length: 10 }, () => h.open());
    // Ten admissions in one go, each starting its visit at once (as a sign-in does).
    const admitted = sessions.filter((session) => {
      if (!h.registry.admitVisit(session.id, 'client-a', 3)) return false;
      session.inProgress = true;
      return true;
    });
    expect(admitted).toHaveLength(3);
    // Another client is not affected; a session already counted is not counted against itself.
    expect(h.registry.admitVisit(sessions[9]!.id, 'client-b', 3)).toBe(true);
    expect(h.registry.admitVisit(admitted[0]!.id, 'client-a', 3)).toBe(true);
    // A visit that ends frees its place.
    admitted[1]!.inProgress = false;
    expect(h.registry.admitVisit(sessions[8]!.id, 'client-a', 3)).toBe(true);
  });

  it('admits an unknown session and any number without a bound', () => {
    const h = harness();
    expect(h.registry.admitVisit('unknown-session-000000', 'client-a', 0)).toBe(true);
    const a = h.open();
    a.inProgress = true;
    expect(h.registry.admitVisit(a.id, 'client-a', undefined)).toBe(true);
    expect(h.registry.admitVisit(h.open().id, 'client-a', undefined)).toBe(true);
  });
});

describe('visit registry: ends', () => {
  it("tells listeners once when a session's owner disposes it", () => {
    const h = harness();
    const a = h.open();
    a.dispose();
    a.dispose();
    expect(h.ended).toEqual([{ id: a.id, why: 'disposed' }]);
    expect(h.registry.size).toBe(0);
  });

  it('disposes every session on close and says so', () => {
    const h = harness();
    const [a, b] = [h.open(), h.open(bounds())];
    h.registry.close();
    expect([a.disposals, b.disposals]).toEqual([1, 1]);
    expect(h.ended).toEqual([
      { id: a.id, why: 'closed' },
      { id: b.id, why: 'closed' },
    ]);
    expect(h.registry.size).toBe(0);
  });

  it('stops telling a listener that unsubscribed', () => {
    const h = harness();
    const heard: string[] = [];
    const stop = h.registry.onEnded((session) => heard.push(session.id));
    h.open().dispose();
    stop();
    h.open().dispose();
    expect(heard).toHaveLength(1);
  });
});

describe('visit registry: ids', () => {
  it('keeps a well-formed requested id, returns the known session for it, and replaces a malformed one', () => {
    const h = harness();
    const opened = h.registry.open(h.create, { id: 'portal-session-0123456789' });
    expect(opened).toMatchObject({ ok: true, session: { id: 'portal-session-0123456789' } });
    const again = h.registry.open(h.create, { id: 'portal-session-0123456789' });
    expect(again.ok && opened.ok && again.session === opened.session).toBe(true);
    const malformed = h.registry.open(h.create, { id: 'x' });
    expect(malformed.ok && malformed.session.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
