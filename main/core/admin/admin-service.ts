/**
 * The admin service: the `AdminApi` of main/contract/admin.ts behind both transports (kiosk IPC,
 * portal HTTP). Requests arrive parsed by the transports with the contract's schemas; every
 * decision is made here, every I/O end is a port (`ports.ts`).
 *
 * - The PIN gate (`pin-gate.ts`) guards every method but `gate`, `unlock` and `createPin`; a
 *   missing, expired or unknown token is answered `not-unlocked`, nothing more.
 * - Secrets travel only inward: `save` stores them through the secret store (write-only) and puts
 *   only their references into the local settings; `check` uses draft secrets in memory only. No
 *   answer, log line or audit event carries a secret value, a password or the PIN; the problem
 *   lines of a draft check have any draft secret value masked, in case a message quoted one.
 * - Settings are validated as a whole by the one configuration schema before anything is
 *   written; its messages are answered by key.
 */
import { randomBytes } from 'node:crypto';
import {
  type AdminApi,
  type AdminCheckReport,
  type AdminDraft,
  type AdminGate,
  type AdminSaveResult,
  type AdminStatus,
  type AdminUnlockResult,
  type NotUnlocked,
} from '../../contract/admin';
import { redactSecrets } from '../audit/redact';
import { isLocked, leafPaths, loadConfig, mergeConfigSources } from '../config/load';
import { matchPolicyPath, policyKeys } from '../config/policy-sources/policy-keys';
import { configSchema, DEFAULT_DUO_SDK, type SecretRef, type WalkupConfig } from '../config/schema';
import { generateAkey } from '../duo/web-v2/akey';
import { createUsernameHasher } from '../enrollment/username-hash';
import { PIN_RULE, hashPin } from '../secrets/pin-hash';
import { assembleStation } from '../station';
import { localTrustProblems } from '../config/trust-keys';
import { createPinGate } from './pin-gate';
import type { Logger } from '../ports';
import { ADMIN_SECRET_NAMES, type AdminServiceDeps, type LoadedSources } from './ports';
import { valueAtPath, settingsView } from './settings-view';
import { writeSignedSettings } from './signed-settings';
import { checkStation } from './status-report';

const NOT_UNLOCKED: NotUnlocked = { ok: false, reason: 'not-unlocked' };

/** The audit events the admin screen lists. */
const AUDIT_LIMIT = 50;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Keys that would reach an object's prototype. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Sets (or, for `undefined`, removes) the value at a dotted path of a plain object, in place.
 * Callers pass policy key paths only; a path through a prototype key is ignored all the same.
 */
function setAtPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  if (segments.some((segment) => UNSAFE_KEYS.has(segment))) return;
  const last = segments.pop() as string;
  let here = target;
  for (const segment of segments) {
    const next = here[segment];
    if (!isPlainObject(next)) {
      if (value === undefined) return;
      here[segment] = {};
    }
    here = here[segment] as Record<string, unknown>;
  }
  if (value === undefined) delete here[last];
  else here[last] = value;
}

/** Drops objects left empty by removals. */
function pruneEmpty(value: Record<string, unknown>): Record<string, unknown> {
  for (const [key, child] of Object.entries(value)) {
    if (isPlainObject(child)) {
      pruneEmpty(child);
      if (Object.keys(child).length === 0) delete value[key];
    }
  }
  return value;
}

function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
    )
    .join('');
}

/** `path: message` lines (loadConfig's errors) as `{ path, message }`. */
function splitProblem(line: string): { path: string; message: string } {
  const at = line.indexOf(': ');
  return at > 0 ? { path: line.slice(0, at), message: line.slice(at + 2) } : { path: '', message: line };
}

/** Masks any of `values` inside `text`. */
function masked(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (value.length > 0) out = out.split(value).join('[secret]');
  return out;
}

function secretKeyPaths(): Set<string> {
  return new Set(
    policyKeys()
      .filter((key) => key.kind === 'secret')
      .map((key) => key.path),
  );
}

/** Creates the admin service over the shell's ports. */
export function createAdminService(deps: AdminServiceDeps): AdminApi {
  const { clock, logger, audit, secrets } = deps;
  const pins = createPinGate({
    clock,
    audit,
    settings: deps.adminSettings,
    ...(deps.pinGateMemory ? { memory: deps.pinGateMemory } : {}),
  });
  /** Test sign-ins are audited by a keyed hash of the name (per process key). */
  const hashUsername = createUsernameHasher(randomBytes(32));
  /**
   * The local settings as this service last saved them. Until a restart applies them, the next
   * save builds on them (a secret replaced after a setting keeps the setting), and the settings
   * list shows them.
   */
  let savedLocal: Record<string, unknown> | undefined;
  const sourcesNow = (): LoadedSources => {
    const loaded = deps.sources();
    return savedLocal === undefined ? loaded : { ...loaded, local: savedLocal, settingsProblems: [] };
  };
  /** The operational log of draft checks: each event prefixed `admin-check.`. */
  const checkLogger: Logger = {
    info: (event, fields) => logger.info(`admin-check.${event}`, fields),
    warn: (event, fields) => logger.warn(`admin-check.${event}`, fields),
    error: (event, fields) => logger.error(`admin-check.${event}`, fields),
  };
  /** Saves run one after the other: each reads the settings the one before wrote. */
  let saving: Promise<unknown> = Promise.resolve();
  let checking: Promise<unknown> = Promise.resolve();
  /** Set while a first PIN is being created, so two at once cannot both create one. */
  let creatingPin = false;

  const record = (event: {
    type: `admin-${string}`;
    [field: string]: string | number | boolean | string[] | undefined;
  }): void => {
    void audit.record(event);
  };

  const isFirstRun = (): boolean =>
    deps.station().engine.getStation().outOfService?.reason === 'setup-required';

  const gate = async (): Promise<AdminGate> => {
    const info = await secrets.describe();
    if (info.problem) return { kind: 'unavailable', reason: 'secret-store-unavailable' };
    if (!(await secrets.has(ADMIN_SECRET_NAMES.pinHash))) {
      return isFirstRun() ? { kind: 'setup' } : { kind: 'unavailable', reason: 'no-pin' };
    }
    return pins.state();
  };

  const refused = async (
    reason: Extract<AdminUnlockResult, { ok: false }>['reason'],
  ): Promise<AdminUnlockResult> => ({
    ok: false,
    reason,
    gate: await gate(),
  });

  /** Runs `work` when `token` is the open session's (extending it), else answers not-unlocked. */
  const unlocked = async <T>(token: string, work: () => Promise<T>): Promise<T | NotUnlocked> =>
    pins.touch(token) ? work() : NOT_UNLOCKED;

  /**
   * The policy and local settings with a draft's changes and inline secrets applied (memory
   * only); paths that are not policy keys (secret keys for `secrets`) are problems instead.
   */
  const applyDraft = (
    draft: AdminDraft,
  ): { policy: Record<string, unknown>; local: Record<string, unknown>; problems: string[] } => {
    const sources = sourcesNow();
    const local = structuredClone(sources.local);
    const problems: string[] = [];
    const secretPaths = secretKeyPaths();
    for (const change of draft.changes) {
      const match = matchPolicyPath(change.path.split('.'));
      if (match.kind !== 'key') {
        problems.push(`${change.path}: not a setting of Walkup`);
      } else if (match.key.kind === 'secret' && change.value !== null) {
        problems.push(`${change.path}: a secret is given through secrets (write-only), not as a setting`);
      } else {
        setAtPath(local, change.path, change.value === null ? undefined : change.value);
      }
    }
    for (const [path, value] of Object.entries(draft.secrets)) {
      if (!secretPaths.has(path)) problems.push(`${path}: not a secret setting of Walkup`);
      else setAtPath(local, path, value);
    }
    // Duo Web SDK v2 without an akey anywhere: `save` generates one, so a draft is checked with a
    // throwaway one (the akey only signs the station's own APP part; Duo never sees it).
    const { merged } = mergeConfigSources({ policy: sources.policy, local });
    if (
      (valueAtPath(merged, 'duo.sdk') ?? DEFAULT_DUO_SDK) === 'v2' &&
      valueAtPath(merged, 'duo.akey') === undefined
    ) {
      setAtPath(local, 'duo.akey', generateAkey());
    }
    return { policy: sources.policy, local: pruneEmpty(local), problems };
  };

  /** Resolves every secret reference of `config` through the shell (inline values in memory). */
  const resolveRefs = async (config: WalkupConfig): Promise<{ config: WalkupConfig; problems: string[] }> => {
    const out = structuredClone(config) as unknown as Record<string, unknown>;
    const problems: string[] = [];
    for (const path of secretKeyPaths()) {
      const ref = valueAtPath(out, path);
      if (ref === undefined || typeof ref === 'string') continue;
      const read = await deps
        .readSecret(ref as SecretRef)
        .catch((error: unknown) => ({ ok: false, error: errorText(error) }) as const);
      if (read.ok) setAtPath(out, path, read.value);
      else problems.push(`${path}: ${read.error}`);
    }
    return { config: out as unknown as WalkupConfig, problems };
  };

  const checkDraft = async (draft: AdminDraft): Promise<AdminCheckReport> => {
    const draftValues = Object.values(draft.secrets);
    const { policy, local, problems: pathProblems } = applyDraft(draft);
    const managed = sourcesNow().managed;
    const loaded = loadConfig({
      ...(Object.keys(policy).length > 0 ? { policy } : {}),
      local,
      localTrusted: !managed,
    });
    const notRun = (problems: string[]): AdminCheckReport => ({
      ok: true,
      inService: false,
      outOfService: { reason: 'configuration-invalid' },
      warnings: [],
      problems: problems.map((line) => masked(line, draftValues)),
    });
    if (pathProblems.length > 0) return notRun(pathProblems);
    if (!loaded.ok) return { ...notRun(loaded.errors), outOfService: { reason: loaded.reason } };
    const resolved = await resolveRefs(loaded.config);
    if (resolved.problems.length > 0) {
      return { ...notRun(resolved.problems), outOfService: { reason: 'secrets-unavailable' } };
    }
    // A throwaway station: no state folder (the running station's throttle counters and audit
    // key stay untouched), audit kept in memory; stopped on every outcome.
    const config: WalkupConfig = {
      ...resolved.config,
      station: { ...resolved.config.station, stateDirectory: undefined },
    };
    const station = await assembleStation(config, {
      clock,
      // The throwaway station's events are a check's, never the serving station's.
      logger: checkLogger,
      audit: 'check',
      redirectUri: deps.redirectUri,
      env: {},
    });
    try {
      const report = await checkStation(station, config, { clock });
      return { ok: true, ...report, problems: station.problems.map((line) => masked(line, draftValues)) };
    } finally {
      await station.stop();
    }
  };

  const checkRunning = async (): Promise<AdminCheckReport> => {
    const station = deps.station();
    if (!station.config) {
      const info = station.engine.getStation();
      return {
        ok: true,
        inService: false,
        outOfService: info.outOfService ? { reason: info.outOfService.reason } : null,
        warnings: [...info.warnings],
        problems: [...station.problems],
      };
    }
    const report = await checkStation(station, station.config, { clock });
    return { ok: true, ...report, problems: [...station.problems] };
  };

  const save = async (draft: AdminDraft): Promise<AdminSaveResult> => {
    const sources = sourcesNow();
    const locked = leafPaths(sources.policy);
    const secretPaths = secretKeyPaths();
    const errors = {
      invalid: [] as { path: string; message: string }[],
      locked: [] as { path: string; message: string }[],
      trust: [] as { path: string; message: string }[],
    };

    const local = structuredClone(sources.local);
    for (const change of draft.changes) {
      const match = matchPolicyPath(change.path.split('.'));
      if (match.kind !== 'key') {
        errors.invalid.push({ path: change.path, message: 'not a setting of Walkup' });
        continue;
      }
      if (isLocked(locked, change.path)) {
        errors.locked.push({ path: change.path, message: 'set by managed policy' });
        continue;
      }
      if (match.key.kind === 'secret' && change.value !== null) {
        // Neither a value nor a reference: a reference chosen here could make the station send
        // any vault entry, file or variable to a server of the admin's choosing.
        errors.invalid.push({
          path: change.path,
          message: 'a secret is replaced through secrets (write-only); a setting may only remove it',
        });
        continue;
      }
      setAtPath(local, change.path, change.value === null ? undefined : change.value);
    }

    /** Secrets to store: entry name, value, and the config path that gets the reference (if any). */
    const toStore: { path: string; name: string; value: string; putRef: boolean }[] = [];
    for (const [path, value] of Object.entries(draft.secrets)) {
      if (!secretPaths.has(path)) {
        errors.invalid.push({ path, message: 'not a secret setting of Walkup' });
        continue;
      }
      if (isLocked(locked, path)) {
        const ref = valueAtPath(sources.policy, path);
        if (isPlainObject(ref) && typeof ref.vault === 'string') {
          toStore.push({ path, name: ref.vault, value, putRef: false });
        } else {
          errors.locked.push({ path, message: 'set by managed policy' });
        }
        continue;
      }
      toStore.push({ path, name: path, value, putRef: true });
    }

    // Duo Web SDK v2 needs an akey that only this station knows: generate one when none is set.
    const { merged: draftMerged } = mergeConfigSources({ policy: sources.policy, local });
    const sdk = valueAtPath(draftMerged, 'duo.sdk') ?? DEFAULT_DUO_SDK;
    if (
      sdk === 'v2' &&
      valueAtPath(draftMerged, 'duo.akey') === undefined &&
      !toStore.some((entry) => entry.path === 'duo.akey')
    ) {
      toStore.push({ path: 'duo.akey', name: 'duo.akey', value: generateAkey(), putRef: true });
    }

    // On a managed station the one trust rule (`trust-keys.ts`) judges the local settings as they
    // would be: a CA file is policy-only, a switch may tighten and never loosen, and so on.
    if (sources.managed) {
      for (const line of localTrustProblems(local, sources.policy)) errors.trust.push(splitProblem(line));
    }
    if (errors.locked.length > 0) return { ok: false, reason: 'locked', errors: errors.locked };
    if (errors.trust.length > 0) return { ok: false, reason: 'widens-trust', errors: errors.trust };
    if (errors.invalid.length > 0) return { ok: false, reason: 'invalid', errors: errors.invalid };

    // Validate the whole configuration as it will be, secrets standing in as placeholders.
    const candidate = structuredClone(local);
    for (const entry of toStore) if (entry.putRef) setAtPath(candidate, entry.path, { vault: 'pending' });
    pruneEmpty(candidate);
    const { merged } = mergeConfigSources({ policy: sources.policy, local: candidate });
    const parsed = configSchema.safeParse(merged);
    if (!parsed.success) {
      return {
        ok: false,
        reason: 'invalid',
        errors: parsed.error.issues.map((issue) => ({ path: dotted(issue.path), message: issue.message })),
      };
    }
    const loaded = loadConfig({
      ...(Object.keys(sources.policy).length > 0 ? { policy: sources.policy } : {}),
      local: candidate,
      localTrusted: !sources.managed,
    });
    if (!loaded.ok) return { ok: false, reason: 'invalid', errors: loaded.errors.map(splitProblem) };

    // Only now: store the secrets, then the settings with their references.
    for (const entry of toStore) {
      const stored = await secrets
        .store(entry.name, entry.value)
        .catch((error: unknown) => ({ ok: false, problem: errorText(error) }) as const);
      if (!stored.ok) {
        return {
          ok: false,
          reason: 'write-failed',
          errors: [{ path: entry.path, message: masked(stored.problem, [entry.value]) }],
        };
      }
      if (entry.putRef) setAtPath(local, entry.path, stored.ref);
    }
    const written = await writeSignedSettings(deps.settingsFile, secrets, pruneEmpty(local));
    if (!written.ok)
      return { ok: false, reason: 'write-failed', errors: [{ path: '', message: written.problem }] };
    savedLocal = pruneEmpty(local);
    const paths = draft.changes.map((change) => change.path);
    if (paths.length > 0) record({ type: 'admin-settings-saved', paths });
    if (toStore.length > 0)
      record({ type: 'admin-secret-replaced', names: toStore.map((entry) => entry.name) });
    return { ok: true, restartNeeded: true };
  };

  return {
    gate,

    async unlock({ pin }) {
      const current = await gate();
      if (current.kind === 'unavailable' || current.kind === 'setup')
        return { ok: false, reason: 'unavailable', gate: current };
      const stored = await secrets.read(ADMIN_SECRET_NAMES.pinHash);
      if (!stored.ok) {
        logger.error('admin-pin-unreadable', { problem: stored.error });
        return refused('unavailable');
      }
      const result = await pins.unlock(pin, stored.value);
      if (result.ok) return result;
      return refused(result.reason);
    },

    async createPin({ pin }) {
      if (creatingPin) return refused('not-first-run');
      creatingPin = true;
      try {
        const current = await gate();
        if (current.kind !== 'setup') return { ok: false, reason: 'not-first-run', gate: current };
        if (!PIN_RULE.test(pin)) return refused('pin-format');
        const stored = await secrets.store(ADMIN_SECRET_NAMES.pinHash, await hashPin(pin));
        if (!stored.ok) {
          logger.error('admin-pin-not-stored', { problem: stored.problem });
          return refused('unavailable');
        }
        record({ type: 'admin-pin-created' });
        const token = pins.openSession();
        record({ type: 'admin-unlocked', first: true });
        return { ok: true, token, idleSeconds: deps.adminSettings.idleSeconds };
      } finally {
        creatingPin = false;
      }
    },

    changePin: ({ token, pin }) =>
      unlocked(token, async () => {
        if (!PIN_RULE.test(pin)) return { ok: false, reason: 'pin-format' } as const;
        const stored = await secrets.store(ADMIN_SECRET_NAMES.pinHash, await hashPin(pin));
        if (!stored.ok) {
          logger.error('admin-pin-not-stored', { problem: stored.problem });
          return { ok: false, reason: 'unavailable' } as const;
        }
        record({ type: 'admin-pin-changed' });
        return { ok: true } as const;
      }),

    status: ({ token }) =>
      unlocked(token, async (): Promise<AdminStatus> => {
        const station = deps.station();
        const sources = sourcesNow();
        const info = station.engine.getStation();
        const detail = station.problems.join('; ');
        return {
          ok: true,
          station: {
            name: info.name,
            inService: info.inService,
            outOfService: info.outOfService
              ? { reason: info.outOfService.reason, ...(detail ? { detail } : {}) }
              : null,
            warnings: [...info.warnings],
          },
          version: { ...deps.version },
          secretStore: await secrets.describe(),
          managed: sources.managed,
          policySources: [...sources.policySources],
          settingsProblems: [...sources.settingsProblems],
          settings: settingsView(sources),
          audit: deps
            .recentAudit(AUDIT_LIMIT)
            .slice(0, AUDIT_LIMIT)
            .map((entry) => redactSecrets(entry).value as Record<string, unknown>),
        };
      }),

    check: ({ token, draft }) =>
      unlocked(token, () => {
        // One check at a time: each may open sockets to every server it names.
        const run = checking.then(() => (draft ? checkDraft(draft) : checkRunning()));
        checking = run.catch(() => undefined);
        return run;
      }),

    testSignIn: ({ token, username, password }) =>
      unlocked(token, async () => {
        const result = await deps
          .station()
          .directory.authenticate(username, password)
          .catch((error: unknown) => {
            logger.error('admin-test-sign-in-failed', { error: errorText(error) });
            return { ok: false, reason: 'unavailable' } as const;
          });
        const code = result.ok ? 'ok' : result.reason;
        record({ type: 'admin-test-sign-in', result: code, usernameHash: hashUsername(username) });
        return result.ok
          ? { ok: true, result: 'ok', displayName: result.user.displayName }
          : { ok: true, result: code };
      }),

    save: (request) =>
      unlocked(request.token, () => {
        const run = saving.then(() => save(request));
        saving = run.catch(() => undefined);
        return run;
      }),

    lock: ({ token }) =>
      unlocked(token, async () => {
        pins.end('lock');
        return { ok: true } as const;
      }),

    restart: ({ token }) =>
      unlocked(token, async () => {
        record({ type: 'admin-restart' });
        pins.end('restart');
        void deps
          .restart()
          .catch((error: unknown) => logger.error('admin-restart-failed', { error: errorText(error) }));
        return { ok: true } as const;
      }),

    exit: ({ token }) =>
      unlocked(token, async () => {
        record({ type: 'admin-exit' });
        pins.end('exit');
        void deps
          .exit()
          .catch((error: unknown) => logger.error('admin-exit-failed', { error: errorText(error) }));
        return { ok: true } as const;
      }),
  };
}
