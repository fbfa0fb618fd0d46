/**
 * The visit state machine knows Duo only through `DuoIntegration`: a third integration, with its
 * own launch and its own answer format, works end to end through `EngineVisitSession` (sign-in,
 * step, answers, verdicts, replays, the username it cannot carry), with no SDK name and no Duo
 * wire format in the machine.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryAuditLog, type MemoryAuditLog } from '../../../../main/core/audit';
import type {
  DuoAnswer,
  DuoHealth,
  DuoIntegration,
  DuoSdk,
  DuoStep,
  DuoUsernameProblem,
  DuoVerdict,
} from '../../../../main/core/duo/types';
import { createEnrollmentEngine, type EnrollmentEngine } from '../../../../main/core/enrollment';
import { CapturingLogger, clock, FakeDirectory, PASSWORD, TEST_NOW, testConfig } from './fakes';

/** An integration unlike either Duo SDK: it answers with `yes <username>` frame messages. */
class ThirdIntegration implements DuoIntegration {
  // The station must report a value of the contract; the machine never reads it.
  readonly sdk: DuoSdk = 'v4';
  readonly begun: { username: string; presentation: string }[] = [];
  readonly remembered: number[] = [];
  private readonly used = new Set<string>();
  throwOnComplete = false;

  async health(): Promise<DuoHealth> {
    return { ok: true, checkedAt: Date.now() };
  }

  canCarry(username: string): DuoUsernameProblem | undefined {
    return username === 'bob'
      ? { detail: 'bob cannot be carried', warning: 'duo-v2-username-unsupported' }
      : undefined;
  }

  isReplay(answer: DuoAnswer): boolean {
    return answer.kind === 'frame-message' && this.used.has(answer.response);
  }

  async begin(username: string, options: { presentation: string }): Promise<DuoStep> {
    this.begun.push({ username, presentation: options.presentation });
    let waiting = true;
    return {
      launch: {
        kind: 'page',
        presentation: 'redirect',
        authUrl: `https://third.example.test/go/${username}`,
      },
      url: () => (waiting ? 'https://third.example.test/view' : undefined),
      awaits: (answer) => answer.kind === 'frame-message' && waiting,
      expects: () => false,
      complete: async (answer, { rememberUntil }): Promise<DuoVerdict> => {
        if (this.throwOnComplete) throw new TypeError('bug');
        if (answer.kind !== 'frame-message')
          return { ok: false, reason: 'no-visit', code: 'no-visit', endsVisit: false };
        if (answer.response === 'noise')
          return { ok: false, reason: 'malformed', code: 'malformed', endsVisit: false };
        waiting = false;
        this.used.add(answer.response);
        this.remembered.push(rememberUntil);
        const said = answer.response.split(' ');
        if (said[0] !== 'yes') {
          return { ok: false, reason: 'rejected', code: 'token-invalid', detail: 'said no', endsVisit: true };
        }
        return { ok: true, username: said[1] ?? '' };
      },
    };
  }
}

let engine: EnrollmentEngine;
let audit: MemoryAuditLog;
let third: ThirdIntegration;

beforeEach(async () => {
  vi.useFakeTimers({ now: TEST_NOW });
  third = new ThirdIntegration();
  const config = testConfig('v4');
  audit = createMemoryAuditLog({ clock, stationName: config.station.name });
  engine = createEnrollmentEngine({
    config,
    directory: new FakeDirectory(),
    duo: third,
    clock,
    logger: new CapturingLogger(),
    audit,
  });
  await engine.refreshHealth();
});

afterEach(() => {
  engine.close();
  vi.useRealTimers();
});

async function signedIn(username = 'alice') {
  const session = engine.openSession({ duoPresentation: 'view' });
  const result = await session.signIn({ username, password: PASSWORD });
  return { session, result };
}

describe('a third Duo integration through the visit state machine', () => {
  it('runs a whole visit: its launch, noise kept out, its verdict, then a replay refused', async () => {
    const { session, result } = await signedIn();
    expect(result).toEqual({
      ok: true,
      displayName: 'Alice Example',
      duo: { kind: 'page', presentation: 'redirect', authUrl: 'https://third.example.test/go/alice' },
    });
    expect(third.begun).toEqual([{ username: 'alice', presentation: 'view' }]);
    expect(session.pendingDuoUrl()).toBe('https://third.example.test/view');

    expect(await session.submitDuoResponse({ response: 'noise' })).toMatchObject({ reason: 'malformed' });
    expect(session.getVisit()).toMatchObject({ phase: 'duo' });

    expect(await session.submitDuoResponse({ response: 'yes alice' })).toEqual({ ok: true });
    expect(session.getVisit()).toMatchObject({ phase: 'done', outcome: 'verified' });
    expect(audit.records.at(-1)).toMatchObject({ type: 'duo-verified', username: 'alice', sdk: 'v4' });
    // The step remembers its answer until the visit cap (900 s) at least.
    expect(third.remembered).toEqual([TEST_NOW + 900_000]);

    vi.advanceTimersByTime(8_000);
    const next = await signedIn();
    expect(await next.session.submitDuoResponse({ response: 'yes alice' })).toMatchObject({
      reason: 'replayed',
    });
    expect(next.session.getVisit()).toMatchObject({ phase: 'duo' });
  });

  it('says no-visit to an answer of a kind the step never asked for, and keeps the visit', async () => {
    const { session } = await signedIn();
    expect(await session.handleDuoCallback({ state: 'x'.repeat(40), code: 'c' })).toMatchObject({
      reason: 'no-visit',
    });
    expect(session.expectsDuoCallback({ state: 'x'.repeat(40) })).toBe(false);
    expect(session.getVisit()).toMatchObject({ phase: 'duo' });
  });

  it('fails the visit on a refusal, and on a verdict for another user', async () => {
    const first = await signedIn();
    expect(await first.session.submitDuoResponse({ response: 'no' })).toMatchObject({ reason: 'rejected' });
    expect(first.session.getVisit()).toMatchObject({ phase: 'failed', reason: 'rejected' });
    expect(audit.records.at(-1)).toMatchObject({
      type: 'duo-rejected',
      code: 'token-invalid',
      detail: 'said no',
    });

    vi.advanceTimersByTime(8_000);
    const second = await signedIn();
    expect(await second.session.submitDuoResponse({ response: 'yes mallory' })).toMatchObject({
      reason: 'rejected',
    });
    expect(audit.records.at(-1)).toMatchObject({ type: 'duo-rejected', code: 'username-mismatch' });
  });

  it('fails the visit when the step throws (a bug), naming only the error type', async () => {
    const { session } = await signedIn();
    third.throwOnComplete = true;
    expect(await session.submitDuoResponse({ response: 'yes alice' })).toMatchObject({ reason: 'rejected' });
    expect(audit.records.at(-1)).toMatchObject({
      type: 'duo-rejected',
      code: 'unreachable',
      detail: 'completing the Duo step threw TypeError',
    });
  });

  it('sends a name the integration cannot carry to the helpdesk and raises its warning', async () => {
    const { result } = await signedIn('bob');
    expect(result).toMatchObject({ ok: false, reason: 'see-helpdesk' });
    expect(audit.records.at(-1)).toMatchObject({
      type: 'sign-in-failed',
      reason: 'duo-username-unsupported',
      detail: 'bob cannot be carried',
    });
    expect(engine.getStation()).toMatchObject({ inService: true, warnings: ['duo-v2-username-unsupported'] });
    expect(third.begun).toEqual([]);
  });
});
