/**
 * An in-memory AdminApi for renderer tests: a PIN, a token, answers the test sets, and a record
 * of every call (requests as sent, so tests can check what left the page).
 */
import type {
  AdminApi,
  AdminCheckReport,
  AdminGate,
  AdminSaveResult,
  AdminStatus,
  AdminTestSignInResult,
  NotUnlocked,
} from '../../../../main/contract/admin';

export const TEST_PIN = '246810';
export const TEST_TOKEN = 'token-1';

export const testStatus: AdminStatus = {
  ok: true,
  station: { name: 'Helpdesk station 3', inService: true, outOfService: null, warnings: [] },
  version: { version: '1.2.3', build: 'abc123' },
  secretStore: { backend: 'gnome_libsecret', secure: true },
  managed: true,
  policySources: ['/etc/walkup/policy.json'],
  settingsProblems: [],
  settings: [
    {
      path: 'station.name',
      kind: 'string',
      value: 'Helpdesk station 3',
      source: 'local',
      locked: false,
      widensTrust: false,
      editable: true,
    },
    {
      path: 'station.locale',
      kind: 'string',
      value: 'en',
      source: 'policy',
      locked: true,
      widensTrust: false,
      editable: false,
    },
    {
      path: 'directory.allowInsecure',
      kind: 'boolean',
      value: false,
      source: 'default',
      locked: false,
      widensTrust: true,
      // A policy-only key on this managed station in the test's picture of the answer.
      editable: false,
    },
    {
      path: 'directory.timeouts.connectMs',
      kind: 'integer',
      value: 3000,
      source: 'default',
      locked: false,
      widensTrust: false,
      editable: true,
    },
    {
      path: 'duo.clientSecret',
      kind: 'secret',
      set: true,
      source: 'local',
      locked: false,
      widensTrust: false,
      editable: true,
    },
    {
      path: 'directory.bindPassword',
      kind: 'secret',
      set: false,
      source: 'default',
      locked: false,
      widensTrust: false,
      editable: true,
    },
  ],
  audit: [
    { time: '2026-12-03T10:15:30.000Z', station: 'Helpdesk station 3', type: 'admin-unlocked' },
    {
      time: '2026-12-03T10:10:00.000Z',
      station: 'Helpdesk station 3',
      type: 'sign-in-failed',
      reason: 'throttled',
    },
  ],
};

export const testReport: AdminCheckReport = {
  ok: true,
  inService: true,
  outOfService: null,
  warnings: [],
  problems: [],
  directory: {
    type: 'openldap',
    servers: [
      {
        url: 'ldaps://dc1.example.test:636',
        reachable: true,
        tlsOk: true,
        serviceBindOk: true,
        insecure: false,
      },
    ],
  },
  duo: { sdk: 'v4', apiHost: 'api-test.duosecurity.com', ok: true, skewSeconds: 1 },
};

type Method = keyof AdminApi;

export interface FakeAdminApi extends AdminApi {
  gateAnswer: AdminGate;
  statusAnswer: AdminStatus;
  checkAnswer: AdminCheckReport;
  saveAnswers: AdminSaveResult[];
  testSignInAnswer: AdminTestSignInResult;
  /** When set, every authenticated call answers `not-unlocked`. */
  expired: boolean;
  calls: { method: Method; request: unknown }[];
  callsOf(method: Method): unknown[];
}

const notUnlocked: NotUnlocked = { ok: false, reason: 'not-unlocked' };

export function createFakeAdminApi(gate: AdminGate = { kind: 'pin', attemptsLeft: 5 }): FakeAdminApi {
  const record = (method: Method, request: unknown) => fake.calls.push({ method, request });
  const authed = <T>(
    method: Method,
    request: { token: string },
    answer: () => T,
  ): Promise<T | NotUnlocked> => {
    record(method, request);
    if (fake.expired || request.token !== TEST_TOKEN) return Promise.resolve(notUnlocked);
    return Promise.resolve(answer());
  };
  const fake: FakeAdminApi = {
    gateAnswer: gate,
    statusAnswer: testStatus,
    checkAnswer: testReport,
    saveAnswers: [{ ok: true, restartNeeded: true }],
    testSignInAnswer: { ok: true, result: 'ok', displayName: 'Alice Example' },
    expired: false,
    calls: [],
    callsOf: (method) => fake.calls.filter((call) => call.method === method).map((call) => call.request),
    async gate() {
      record('gate', undefined);
      return fake.gateAnswer;
    },
    async unlock(request) {
      record('unlock', request);
      if (request.pin === TEST_PIN) return { ok: true, token: TEST_TOKEN, idleSeconds: 300 };
      const left = fake.gateAnswer.kind === 'pin' ? fake.gateAnswer.attemptsLeft - 1 : 0;
      fake.gateAnswer =
        left > 0 ? { kind: 'pin', attemptsLeft: left } : { kind: 'locked', retryAfterSeconds: 60 };
      return { ok: false, reason: left > 0 ? 'wrong-pin' : 'locked', gate: fake.gateAnswer };
    },
    async createPin(request) {
      record('createPin', request);
      if (!/^\d{6,16}$/.test(request.pin)) return { ok: false, reason: 'pin-format', gate: fake.gateAnswer };
      fake.gateAnswer = { kind: 'pin', attemptsLeft: 5 };
      return { ok: true, token: TEST_TOKEN, idleSeconds: 300 };
    },
    changePin: (request) =>
      authed('changePin', request, () =>
        /^\d{6,16}$/.test(request.pin)
          ? { ok: true as const }
          : { ok: false as const, reason: 'pin-format' as const },
      ),
    status: (request) => authed('status', request, () => fake.statusAnswer),
    check: (request) => authed('check', request, () => fake.checkAnswer),
    testSignIn: (request) => authed('testSignIn', request, () => fake.testSignInAnswer),
    save: (request) =>
      authed(
        'save',
        request,
        () => (fake.saveAnswers.length > 1 ? fake.saveAnswers.shift() : fake.saveAnswers[0])!,
      ),
    lock: (request) => authed('lock', request, () => ({ ok: true as const })),
    restart: (request) => authed('restart', request, () => ({ ok: true as const })),
    exit: (request) => authed('exit', request, () => ({ ok: true as const })),
  };
  return fake;
}
