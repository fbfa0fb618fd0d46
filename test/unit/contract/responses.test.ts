/**
 * The contract's response schemas (main/contract/responses.ts) against what the real engine
 * answers: every station, visit, sign-in and Duo result and every event of full visits (Web SDK
 * v4 in both presentations, v2, refusals, a failed visit, the idle warning, the station going out
 * of service, demo mode) goes over the wire as the portal sends it (JSON), is parsed as the
 * renderer's HTTP client parses it, and must come out deep-equal: nothing refused, nothing
 * stripped. The engine runs over the enrollment tests' fakes (test/unit/core/enrollment/fakes.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import {
  duoResultSchema,
  signInResultSchema,
  stationInfoSchema,
  visitViewSchema,
  walkupEventSchema,
  type WalkupEvent,
} from '../../../main/contract';
import type { VisitSession } from '../../../main/core/enrollment';
import {
  PASSWORD,
  startHarness,
  testConfig,
  useFakeTimersClosing,
  type Harness,
} from '../core/enrollment/fakes';

let h: Harness | undefined;
useFakeTimersClosing(() => h);

/** Every answer seen, with the schema the renderer parses it with. */
const seen: { what: string; schema: z.ZodType; value: unknown }[] = [];

function record<T>(what: string, schema: z.ZodType, value: T): T {
  seen.push({ what, schema, value });
  return value;
}

/** Opens a session whose answers and events are all recorded. */
function recordedSession(harness: Harness, duoPresentation: 'redirect' | 'view'): VisitSession {
  const session = harness.engine.openSession({ duoPresentation });
  session.onEvent((event: WalkupEvent) => record(`event ${event.type}`, walkupEventSchema, event));
  return session;
}

async function signIn(session: VisitSession, username: string, password: string) {
  return record('signIn', signInResultSchema, await session.signIn({ username, password }));
}

function visitOf(session: VisitSession) {
  return record('getVisit', visitViewSchema, session.getVisit());
}

function stationOf(harness: Harness) {
  return record('getStation', stationInfoSchema, harness.engine.getStation());
}

/** Parses every recorded answer from its JSON form; returns what did not survive unchanged. */
function lostInTransit(): string[] {
  const problems: string[] = [];
  for (const { what, schema, value } of seen) {
    const wire: unknown = JSON.parse(JSON.stringify(value));
    const parsed = schema.safeParse(wire);
    if (!parsed.success) problems.push(`${what}: refused: ${parsed.error.message}`);
    else {
      try {
        expect(parsed.data).toStrictEqual(wire);
      } catch {
        problems.push(`${what}: changed by parsing: ${JSON.stringify(wire)}`);
      }
    }
  }
  return problems;
}

function kinds(): string[] {
  return [...new Set(seen.map(({ what, value }) => `${what}:${shapeOf(value)}`))];
}

/** The discriminating fields of an answer, to show which shapes a test covered. */
function shapeOf(value: unknown): string {
  const record = value as Record<string, unknown>;
  const visit = record.visit as Record<string, unknown> | undefined;
  const parts = [record.type, visit?.phase, record.phase, record.ok, record.reason, record.inService];
  return parts.filter((part) => part !== undefined).join('/');
}

describe('response schemas vs. the engine', () => {
  it('Web SDK v4: refusals, a verified visit, the idle warning, a Duo error, a replay, the view launch', async () => {
    seen.length = 0;
    const harness = await startHarness('v4');
    h = harness;
    stationOf(harness);
    const session = recordedSession(harness, 'redirect');
    visitOf(session);

    expect(await signIn(session, 'alice', 'wrong')).toMatchObject({
      ok: false,
      reason: 'invalid-credentials',
    });
    harness.directory.nextFailure = { ok: false, reason: 'invalid-input', inputProblem: 'password-empty' };
    expect(await signIn(session, 'alice', '')).toMatchObject({
      reason: 'invalid-input',
      detail: 'password-empty',
    });
    harness.directory.nextFailure = { ok: false, reason: 'throttled-user', retryAfterSeconds: 42.2 };
    expect(await signIn(session, 'alice', 'x')).toMatchObject({ reason: 'throttled', retryAfterSeconds: 43 });

    const launched = await signIn(session, 'alice', PASSWORD);
    expect(launched).toMatchObject({ ok: true, duo: { kind: 'page', presentation: 'redirect' } });
    expect(visitOf(session)).toMatchObject({ phase: 'duo' });

    // The idle warning, then activity.
    vi.advanceTimersByTime(280_000);
    expect(seen.some(({ what }) => what === 'event idle-warning')).toBe(true);
    session.activity();

    const authUrl =
      launched.ok && launched.duo.kind === 'page' && launched.duo.presentation === 'redirect'
        ? launched.duo.authUrl
        : '';
    const state = new URL(authUrl).searchParams.get('state') ?? '';
    const callback = { state, duoCode: harness.duo.issueCode('alice') };
    expect(record('handleDuoCallback', duoResultSchema, await session.handleDuoCallback(callback))).toEqual({
      ok: true,
    });
    expect(visitOf(session)).toMatchObject({ phase: 'done', outcome: 'verified' });
    // The same callback again: a replay, with a reference.
    expect(
      record('handleDuoCallback', duoResultSchema, await session.handleDuoCallback(callback)),
    ).toMatchObject({ ok: false, reason: 'replayed' });
    vi.advanceTimersByTime(8_000);
    visitOf(session);

    // A second visit that Duo answers with an error: Failed, then finished by the page.
    const second = await signIn(session, 'alice', PASSWORD);
    const secondState =
      second.ok && second.duo.kind === 'page' && second.duo.presentation === 'redirect'
        ? (new URL(second.duo.authUrl).searchParams.get('state') ?? '')
        : '';
    expect(
      record(
        'handleDuoCallback',
        duoResultSchema,
        await session.handleDuoCallback({ state: secondState, error: 'access_denied' }),
      ),
    ).toMatchObject({ ok: false });
    expect(visitOf(session)).toMatchObject({ phase: 'failed' });
    session.finish({ reason: 'finished' });
    visitOf(session);

    // The kiosk's presentation.
    const kiosk = recordedSession(harness, 'view');
    expect(await signIn(kiosk, 'bob', PASSWORD)).toMatchObject({
      ok: true,
      duo: { kind: 'page', presentation: 'view' },
    });
    visitOf(kiosk);
    kiosk.finish({ reason: 'cancelled' });

    // The station goes out of service (Duo unreachable): station-changed and the refusal.
    harness.duo.healthResult = {
      ok: false,
      checkedAt: 0,
      code: 'unreachable',
      detail: 'connect ECONNREFUSED',
    };
    await harness.engine.refreshHealth();
    expect(stationOf(harness)).toMatchObject({
      inService: false,
      outOfService: { reason: 'duo-unreachable' },
    });
    expect(await signIn(session, 'alice', PASSWORD)).toMatchObject({ ok: false, reason: 'duo-unavailable' });

    expect(lostInTransit()).toEqual([]);
    // The run covered every kind of event and visit phase.
    const covered = kinds().join('\n');
    for (const shape of [
      'event visit-changed:visit-changed/duo',
      'event visit-changed:visit-changed/done',
      'event visit-changed:visit-changed/failed',
      'event visit-changed:visit-changed/idle',
      'event visit-reset:visit-reset/done',
      'event visit-reset:visit-reset/finished',
      'event idle-warning:idle-warning',
      'event station-changed:station-changed',
      'getVisit:idle',
      'getVisit:duo',
      'getVisit:done',
      'getVisit:failed',
      'handleDuoCallback:true',
      'handleDuoCallback:false/replayed',
      'signIn:true',
      'signIn:false/throttled',
      'getStation:false',
    ]) {
      expect(covered).toContain(shape);
    }
  });

  it('Web SDK v2: the frame launch, a verified response and a malformed one', async () => {
    seen.length = 0;
    const harness = await startHarness('v2');
    h = harness;
    stationOf(harness);
    const session = recordedSession(harness, 'redirect');
    expect(await signIn(session, 'alice', PASSWORD)).toMatchObject({ ok: true, duo: { kind: 'frame' } });
    visitOf(session);
    expect(
      record('submitDuoResponse', duoResultSchema, await session.submitDuoResponse({ response: 'not-duo' })),
    ).toMatchObject({ ok: false });
    const response = harness.duo.frameResponse('alice');
    expect(
      record('submitDuoResponse', duoResultSchema, await session.submitDuoResponse({ response })),
    ).toEqual({
      ok: true,
    });
    visitOf(session);
    expect(lostInTransit()).toEqual([]);
  });

  it('demo mode: the station with its demo accounts and warning', async () => {
    seen.length = 0;
    const harness = await startHarness('v4', {
      config: testConfig('v4', { directory: { type: 'demo' } }),
      demoUsers: [{ username: 'alice', password: PASSWORD }],
    });
    h = harness;
    expect(stationOf(harness)).toMatchObject({
      demo: { users: [{ username: 'alice' }] },
      warnings: expect.arrayContaining(['demo-mode']),
    });
    expect(lostInTransit()).toEqual([]);
  });

  it('branding: the organisation, accent, texts, a logo as a data URL, and the logo warning', async () => {
    seen.length = 0;
    const logo = { dataUrl: `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}` };
    const branded = await startHarness('v4', {
      branding: {
        branding: {
          organisation: 'Example University',
          accentColor: '#5c2d91',
          welcomeText: 'Set up Duo before your first day.',
          helpdesk: 'IT helpdesk, room 1.04',
          logo,
        },
      },
    });
    expect(stationOf(branded).branding).toEqual({
      organisation: 'Example University',
      accentColor: '#5c2d91',
      welcomeText: 'Set up Duo before your first day.',
      helpdesk: 'IT helpdesk, room 1.04',
      logo,
    });
    branded.engine.close();
    h = await startHarness('v4', {
      branding: {
        branding: { organisation: 'Walkup', accentColor: '#0b4a8b' },
        logoProblem: 'branding.logoFile: /x.gif must be a .png, .jpg, .jpeg or .svg file',
      },
    });
    expect(stationOf(h)).toMatchObject({
      branding: { organisation: 'Walkup', accentColor: '#0b4a8b' },
      warnings: ['branding-logo-unusable'],
    });
    expect(lostInTransit()).toEqual([]);
  });

  it('refuses a station whose accent is not #rrggbb or whose logo is not an image data URL', async () => {
    h = await startHarness('v4');
    const station = h.engine.getStation();
    const withBranding = (branding: object) => stationInfoSchema.safeParse({ ...station, branding }).success;
    expect(withBranding(station.branding)).toBe(true);
    expect(withBranding({ ...station.branding, accentColor: 'red' })).toBe(false);
    expect(withBranding({ ...station.branding, logo: { dataUrl: 'https://example.test/logo.png' } })).toBe(
      false,
    );
    expect(withBranding({ ...station.branding, logo: { dataUrl: 'data:text/html;base64,PGI+' } })).toBe(
      false,
    );
    expect(stationInfoSchema.safeParse({ ...station, branding: undefined }).success).toBe(false);
  });

  it('would see a field the schema does not know: zod strips it, and the comparison fails', async () => {
    seen.length = 0;
    const harness = await startHarness('v4');
    h = harness;
    seen.push({
      what: 'getStation with an unknown field',
      schema: stationInfoSchema,
      value: { ...harness.engine.getStation(), kioskColour: 'teal' },
    });
    expect(lostInTransit()).toEqual([
      expect.stringMatching(/^getStation with an unknown field: changed by parsing/),
    ]);
  });
});
