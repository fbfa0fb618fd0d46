/**
 * Validated IPC (VS Code's validatedIpcMain): each contract request has one handler that first
 * checks the sender (the station window's main frame on `app://walkup`), then parses the payload with
 * the contract's zod schema, then calls the visit session with the parsed value only (unknown
 * fields dropped, `finish`'s default reason applied by its schema): this is the one parse of an
 * IPC request. A refused message gets a generic error: the page learns nothing about why.
 * The admin methods (`AdminApi`, main/contract/admin.ts) get one channel each
 * (`walkup:admin-<method>`) behind the same check, parsed with `adminRequestSchemas[method]`.
 */
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import {
  duoResponseRequestSchema,
  finishRequestSchema,
  ipcChannels,
  signInRequestSchema,
  type WalkupEvent,
} from '../contract';
import { adminMethods, adminRequestSchemas, type AdminApi } from '../contract/admin';
import { adminIpcChannel } from '../contract/channels';
import type { EnrollmentEngine, VisitSession } from '../core/enrollment/types';
import type { Logger } from '../core/ports';
import { checkIpcSender, type IpcSenderFrame } from './ipc-policy';

export interface IpcOptions {
  engine: EnrollmentEngine;
  /** The kiosk window's current visit session. */
  session: () => VisitSession;
  /** The station window's web contents: the only one whose main frame may call. */
  stationContents: () => WebContents | undefined;
  /** The admin service (`setupAdmin`): its methods are served on the admin channels. */
  admin?: AdminApi;
  logger: Logger;
}

/** The sender frame in the shape the policy reads; null when the frame is already gone. */
function senderFrameOf(event: IpcMainInvokeEvent, station: WebContents | undefined): IpcSenderFrame | null {
  const frame = event.senderFrame;
  if (frame === null || frame.isDestroyed()) return null;
  return {
    origin: frame.origin,
    url: frame.url,
    isMainFrame: frame.parent === null,
    inStationWindow: station !== undefined && !station.isDestroyed() && event.sender === station,
  };
}

type Handler = (payload: unknown) => unknown;

/** Registers one channel behind the sender check. */
function handle(
  channel: string,
  logger: Logger,
  stationContents: () => WebContents | undefined,
  handler: Handler,
): void {
  ipcMain.handle(channel, async (event, payload: unknown) => {
    const decision = checkIpcSender(channel, senderFrameOf(event, stationContents()));
    if (!decision.ok) {
      logger.warn('ipc-refused', { channel, reason: decision.reason });
      throw new Error('refused');
    }
    return handler(payload);
  });
}

/** What `parse` needs of a contract schema. */
interface PayloadSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** Parses a payload or throws a generic error (zod's message could echo the input). */
function parse<T>(schema: PayloadSchema<T>, payload: unknown, channel: string, logger: Logger): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    logger.warn('ipc-invalid-payload', { channel });
    throw new Error('invalid request');
  }
  return result.data;
}

/** Registers every contract channel. */
export function setupIpc(options: IpcOptions): void {
  const { engine, session, logger } = options;
  const on = (channel: string, handler: Handler): void =>
    handle(channel, logger, options.stationContents, handler);
  on(ipcChannels.getStation, () => engine.getStation());
  on(ipcChannels.getVisit, () => session().getVisit());
  on(ipcChannels.signIn, (payload) =>
    session().signIn(parse(signInRequestSchema, payload, ipcChannels.signIn, logger)),
  );
  on(ipcChannels.submitDuoResponse, (payload) =>
    session().submitDuoResponse(
      parse(duoResponseRequestSchema, payload, ipcChannels.submitDuoResponse, logger),
    ),
  );
  on(ipcChannels.finish, (payload) => {
    session().finish(parse(finishRequestSchema, payload ?? {}, ipcChannels.finish, logger));
  });
  on(ipcChannels.activity, () => {
    session().activity();
  });
  const { admin } = options;
  if (admin !== undefined) {
    for (const method of adminMethods) {
      const channel = adminIpcChannel(method);
      const schema: PayloadSchema<unknown> | undefined = adminRequestSchemas[method];
      on(channel, (payload) => {
        // `gate` takes no payload; every other method gets only its schema's parsed value.
        const request = schema === undefined ? undefined : parse<unknown>(schema, payload, channel, logger);
        return (admin[method] as (request: unknown) => Promise<unknown>)(request);
      });
    }
  }
}

/** Pushes the session's events (visit and station changes) to the renderer; returns the unsubscribe. */
export function forwardEvents(
  source: { onEvent(listener: (event: WalkupEvent) => void): () => void },
  target: () => WebContents | undefined,
): () => void {
  return source.onEvent((event) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(ipcChannels.event, event);
  });
}
