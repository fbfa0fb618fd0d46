/**
 * The preload: exposes exactly the renderer contract as `window.walkup`, nothing else (security
 * checklist #20). It runs sandboxed, so it is bundled to one CommonJS file and imports only
 * `electron` and the contract's channel names (types are erased). `window.walkup.admin` is the
 * admin API (`AdminApi`): one invoke per method on `walkup:admin-<method>`, built from the
 * contract's method list so it cannot drift from main's channels.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { adminIpcChannel, adminMethods, ipcChannels } from '../contract/channels';
import type { AdminApi } from '../contract/admin';
import type {
  DuoResponseRequest,
  DuoResult,
  FinishRequest,
  SignInRequest,
  SignInResult,
  StationInfo,
  VisitView,
  WalkupApi,
  WalkupEvent,
} from '../contract';

/** One invoke per admin method; the payload is the request as given (main parses it). */
const admin = Object.fromEntries(
  adminMethods.map((method) => [
    method,
    (request?: unknown) => ipcRenderer.invoke(adminIpcChannel(method), request) as Promise<unknown>,
  ]),
) as unknown as AdminApi;

const api: WalkupApi = {
  getStation: () => ipcRenderer.invoke(ipcChannels.getStation) as Promise<StationInfo>,
  getVisit: () => ipcRenderer.invoke(ipcChannels.getVisit) as Promise<VisitView>,
  signIn: (request: SignInRequest) =>
    ipcRenderer.invoke(ipcChannels.signIn, request) as Promise<SignInResult>,
  submitDuoResponse: (request: DuoResponseRequest) =>
    ipcRenderer.invoke(ipcChannels.submitDuoResponse, request) as Promise<DuoResult>,
  finish: (request: FinishRequest) => ipcRenderer.invoke(ipcChannels.finish, request) as Promise<void>,
  activity: () => ipcRenderer.invoke(ipcChannels.activity) as Promise<void>,
  admin,
  onEvent(listener: (event: WalkupEvent) => void) {
    // The IPC event object (with `sender`) must never reach the page: pass only the value.
    const forward = (_event: IpcRendererEvent, value: WalkupEvent): void => listener(value);
    ipcRenderer.on(ipcChannels.event, forward);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('walkup', api);
