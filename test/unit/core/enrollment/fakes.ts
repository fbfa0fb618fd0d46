/**
 * Small hand-written fakes of the engine's own ports (Directory, Logger) and of Duo's servers, so
 * the visit state machine is specified without LDAP or Duo. The Duo integrations are the real
 * ones (`createWebV2Integration`, `createUniversalIntegration`) over fakes of Duo's side: the v2
 * frame's signed answers, and a v4 client whose codes are issued by the test. The real clients
 * are tested on their own and end to end against the emulator.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, vi } from 'vitest';
import { createMemoryAuditLog, type MemoryAuditLog } from '../../../../main/core/audit';
import { parseConfig, type WalkupConfig } from '../../../../main/core/config/schema';
import type {
  AuthResult,
  Directory,
  DirectoryUser,
  ServerHealth,
} from '../../../../main/core/directory/types';
import type {
  CallbackParams,
  CallbackResult,
  DuoHealth,
  DuoIntegration,
  DuoSdk,
  PendingAuthorization,
} from '../../../../main/core/duo/types';
import { statesMatch } from '../../../../main/core/duo/universal/client';
import { createUniversalIntegration } from '../../../../main/core/duo/universal/integration';
import { createWebV2Integration } from '../../../../main/core/duo/web-v2/integration';
import {
  createEnrollmentEngine,
  type EnrollmentEngine,
  type EnrollmentEngineDeps,
} from '../../../../main/core/enrollment';
import type { Clock, Logger } from '../../../../main/core/ports';

export const PASSWORD = 'Correct-Horse-Battery-9';
export const ALICE: DirectoryUser = {
  dn: 'uid=alice,ou=people,dc=example,dc=test',
  username: 'alice',
  displayName: 'Alice Example',
  groups: [],
};
export const BOB: DirectoryUser = {
  ...ALICE,
  dn: 'uid=bob,ou=people,dc=example,dc=test',
  username: 'bob',
  displayName: 'Bob',
};

export const clock: Clock = { now: () => Date.now(), sleep: async () => {} };

/** The instant every engine test starts at (fake timers). */
export const TEST_NOW = Date.UTC(2026, 10, 22, 9, 0, 0);

/**
 * Registers hooks: each test runs on fake timers from {@link TEST_NOW}; afterwards the harness it
 * used (if any) is closed, so no health-check timer outlives it, and real timers are restored.
 */
export function useFakeTimersClosing(currentHarness: () => Harness | undefined): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: TEST_NOW });
  });
  afterEach(() => {
    currentHarness()?.engine.close();
    vi.useRealTimers();
  });
}

export function healthyServer(url = 'ldaps://dc1.example.test'): ServerHealth {
  return { url, reachable: true, tlsOk: true, serviceBindOk: true, insecure: false };
}

export function downServer(url = 'ldaps://dc2.example.test'): ServerHealth {
  return {
    url,
    reachable: false,
    tlsOk: false,
    serviceBindOk: false,
    insecure: false,
    error: 'ECONNREFUSED',
  };
}

/** A directory with fixed accounts; a queued failure makes the next attempt fail that way. */
export class FakeDirectory implements Directory {
  users = new Map<string, DirectoryUser>([
    ['alice', ALICE],
    ['bob', BOB],
  ]);
  health: ServerHealth[] = [healthyServer()];
  nextFailure: Extract<AuthResult, { ok: false }> | undefined;
  authenticateCalls: string[] = [];
  /** When set, authenticate waits for this before answering. */
  gate: Promise<void> | undefined;

  async authenticate(username: string, password: string): Promise<AuthResult> {
    this.authenticateCalls.push(username);
    if (this.gate) await this.gate;
    if (this.nextFailure) {
      const failure = this.nextFailure;
      this.nextFailure = undefined;
      return failure;
    }
    const user = this.users.get(username);
    if (!user || password !== PASSWORD)
      return { ok: false, reason: 'invalid-credentials', detail: 'data 52e' };
    return { ok: true, user };
  }

  async checkHealth(): Promise<ServerHealth[]> {
    return this.health.map((server) => ({ ...server }));
  }
}

const IKEY = 'DIXXXXXXXXXXXXXXXXXX';
const SKEY = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
const AKEY = 'useacustomerprovidedapplicationsecretkey';

function signVals(key: string, prefix: string, username: string, expiresAt: number): string {
  const b64 = Buffer.from(`${username}|${IKEY}|${expiresAt}`).toString('base64');
  const cookie = `${prefix}|${b64}`;
  return `${cookie}|${createHmac('sha1', key).update(cookie).digest('hex')}`;
}

/**
 * Duo's servers as the engine's tests need them: health results to hand out, the v2 frame's
 * signed answers, and a v4 client that exchanges only the codes the test issued. `integration`
 * is the real integration of `sdk` over them, as `createDuoIntegration` would build it.
 */
export class FakeDuo {
  healthResult: DuoHealth = { ok: true, checkedAt: 0 };
  healthCalls: { fresh?: boolean }[] = [];
  private readonly codes = new Map<string, string>();
  /** Callbacks whose state matched and whose code was exchanged. */
  exchanges = 0;
  /** Duo down mid-visit: the code exchange cannot reach Duo's token endpoint. */
  tokenEndpointDown = false;
  readonly integration: DuoIntegration;

  constructor(readonly sdk: DuoSdk) {
    const health = (options?: { fresh?: boolean }): Promise<DuoHealth> => this.health(options);
    this.integration =
      sdk === 'v2'
        ? createWebV2Integration({
            apiHost: 'api-12345678.duo.example.test',
            ikey: IKEY,
            skey: SKEY,
            akey: AKEY,
            clock,
            logger: new CapturingLogger(),
            health,
          })
        : createUniversalIntegration({
            clock,
            health,
            client: {
              startAuthorization: (username) => this.startAuthorization(username),
              completeAuthorization: (params, pending) => this.completeAuthorization(params, pending),
            },
          });
  }

  async health(options: { fresh?: boolean } = {}): Promise<DuoHealth> {
    this.healthCalls.push(options);
    return { ...this.healthResult, checkedAt: Date.now() } as DuoHealth;
  }

  private async startAuthorization(username: string): Promise<PendingAuthorization> {
    const state = randomBytes(18).toString('base64url');
    return {
      authUrl: `https://duo.example.test/oauth/v1/authorize?client_id=x&state=${state}`,
      state,
      nonce: randomBytes(18).toString('base64url'),
      username,
    };
  }

  /** What Duo would hand back after a successful visit for `username`. */
  issueCode(username: string): string {
    const code = randomBytes(12).toString('hex');
    this.codes.set(code, username);
    return code;
  }

  /** The v4 client's checks in the real client's order: state, error, code, exchange. */
  private async completeAuthorization(
    params: CallbackParams,
    pending: PendingAuthorization,
  ): Promise<CallbackResult> {
    if (!statesMatch(params.state, pending.state))
      return { ok: false, code: 'state-mismatch', detail: 'state' };
    if (params.error !== undefined) {
      return {
        ok: false,
        code: params.error === 'access_denied' ? 'access-denied' : 'duo-error',
        detail: params.error,
      };
    }
    const code = params.duoCode ?? params.code;
    if (!code) return { ok: false, code: 'code-missing', detail: 'no code' };
    this.exchanges += 1;
    if (this.tokenEndpointDown) return { ok: false, code: 'unreachable', detail: 'ECONNREFUSED' };
    const username = this.codes.get(code);
    this.codes.delete(code);
    if (!username) return { ok: false, code: 'code-rejected', detail: 'invalid_grant' };
    if (username !== pending.username) return { ok: false, code: 'username-mismatch', detail: 'id_token' };
    return { ok: true, username };
  }

  /** The frame's `AUTH|…` (or `ENROLL|…`) message for `username`. */
  frameResponse(username: string, lifetimeSeconds = 300, prefix: 'AUTH' | 'ENROLL' = 'AUTH'): string {
    return signVals(SKEY, prefix, username, Math.floor(Date.now() / 1000) + lifetimeSeconds);
  }
}

/** A logger that keeps every line, to prove none carries a password. */
export class CapturingLogger implements Logger {
  lines: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  info(event: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', event, fields });
  }
  warn(event: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', event, fields });
  }
  error(event: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', event, fields });
  }
}

/** A valid configuration; `overrides` are merged into the raw input before parsing. */
export function testConfig(
  sdk: DuoSdk,
  overrides: { directory?: Record<string, unknown>; station?: Record<string, unknown> } = {},
): WalkupConfig {
  const duo =
    sdk === 'v4'
      ? {
          sdk,
          apiHost: 'api-12345678.duo.example.test',
          clientId: 'DIXXXXXXXXXXXXXXXXXX',
          clientSecret: 'x'.repeat(40),
        }
      : {
          sdk,
          apiHost: 'api-12345678.duo.example.test',
          ikey: IKEY,
          skey: SKEY,
          akey: AKEY,
        };
  const parsed = parseConfig({
    station: {
      name: 'Lobby',
      idle: {
        signInSeconds: 60,
        refusedSeconds: 20,
        duoSeconds: 300,
        visitCapSeconds: 900,
        warningSeconds: 20,
        doneSeconds: 8,
      },
      ...overrides.station,
    },
    directory: {
      type: 'openldap',
      servers: ['ldaps://dc1.example.test'],
      baseDN: 'dc=example,dc=test',
      ...overrides.directory,
    },
    duo,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

export interface Harness {
  engine: EnrollmentEngine;
  directory: FakeDirectory;
  duo: FakeDuo;
  audit: MemoryAuditLog;
  logger: CapturingLogger;
  config: WalkupConfig;
}

/** Builds an engine over fakes and waits for its first health check. */
export async function startHarness(
  sdk: DuoSdk,
  options: {
    config?: WalkupConfig;
    prepare?: (parts: { directory: FakeDirectory; duo: FakeDuo }) => void;
    demoUsers?: { username: string; password: string }[];
    /** The branding with its logo read (`resolveBranding`); absent: the configuration's, no logo. */
    branding?: EnrollmentEngineDeps['branding'];
  } = {},
): Promise<Harness> {
  const config = options.config ?? testConfig(sdk);
  const directory = new FakeDirectory();
  const duo = new FakeDuo(sdk);
  options.prepare?.({ directory, duo });
  const audit = createMemoryAuditLog({ clock, stationName: config.station.name });
  const logger = new CapturingLogger();
  const engine = createEnrollmentEngine({
    config,
    directory,
    duo: duo.integration,
    clock,
    logger,
    audit,
    ...(options.demoUsers ? { demoUsers: options.demoUsers } : {}),
    ...(options.branding ? { branding: options.branding } : {}),
  });
  await engine.refreshHealth();
  return { engine, directory, duo, audit, logger, config };
}
