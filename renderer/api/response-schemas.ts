/**
 * zod schemas for what the portal's HTTP API answers. In a browser these bytes come over the
 * network, so they are parsed at the edge like any other external input; a mismatch is a
 * transport problem, never a crash. Each schema is typed against the contract, so the two cannot
 * drift apart silently.
 */
import { z } from 'zod';
import {
  accountConditions,
  duoFailureReasons,
  inputProblems,
  outOfServiceReasons,
  resetReasons,
  signInFailureReasons,
  stationWarnings,
  type DuoLaunch,
  type DuoResult,
  type SignInResult,
  type StationInfo,
  type VisitView,
  type WalkupEvent,
} from '../../main/contract';

const seconds = z.number().nonnegative();

export const stationInfoSchema: z.ZodType<StationInfo> = z.object({
  name: z.string(),
  locale: z.string(),
  duoSdk: z.enum(['v4', 'v2']),
  inService: z.boolean(),
  outOfService: z.object({ reason: z.enum(outOfServiceReasons), since: z.string() }).optional(),
  warnings: z.array(z.enum(stationWarnings)),
  idle: z.object({
    signInSeconds: seconds,
    refusedSeconds: seconds,
    duoSeconds: seconds,
    visitCapSeconds: seconds,
    warningSeconds: seconds,
    doneSeconds: seconds,
  }),
  demo: z.object({ users: z.array(z.object({ username: z.string(), password: z.string() })) }).optional(),
});

export const duoLaunchSchema: z.ZodType<DuoLaunch> = z.union([
  z.object({ kind: z.literal('v2'), host: z.string(), tx: z.string() }),
  z.object({ kind: z.literal('v4'), presentation: z.literal('redirect'), authUrl: z.string() }),
  z.object({ kind: z.literal('v4'), presentation: z.literal('view') }),
]);

export const visitViewSchema: z.ZodType<VisitView> = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('idle') }),
  z.object({
    phase: z.literal('duo'),
    displayName: z.string(),
    duo: duoLaunchSchema,
    idleResetAt: z.string(),
    capResetAt: z.string(),
  }),
  z.object({
    phase: z.literal('done'),
    displayName: z.string(),
    outcome: z.enum(['verified', 'finished']),
    resetAt: z.string(),
  }),
  z.object({
    phase: z.literal('failed'),
    reason: z.enum(duoFailureReasons),
    reference: z.string(),
    resetAt: z.string(),
  }),
]);

export const signInResultSchema: z.ZodType<SignInResult> = z.union([
  z.object({ ok: z.literal(true), displayName: z.string(), duo: duoLaunchSchema }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(signInFailureReasons),
    detail: z.union([z.enum(accountConditions), z.enum(inputProblems)]).optional(),
    retryAfterSeconds: seconds.optional(),
    reference: z.string(),
  }),
]);

export const duoResultSchema: z.ZodType<DuoResult> = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), reason: z.enum(duoFailureReasons), reference: z.string() }),
]);

export const walkupEventSchema: z.ZodType<WalkupEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('visit-changed'), visit: visitViewSchema }),
  z.object({ type: z.literal('visit-reset'), reason: z.enum(resetReasons) }),
  z.object({
    type: z.literal('idle-warning'),
    secondsLeft: seconds,
    ending: z.enum(['idle', 'visit-cap']),
  }),
  z.object({ type: z.literal('station-changed'), station: stationInfoSchema }),
]);
