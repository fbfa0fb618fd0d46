import type { WalkupApi } from '../../main/contract';

declare global {
  interface Window {
    /** The contract API the Electron preload exposes through contextBridge; absent in a browser. */
    readonly walkup?: WalkupApi;
  }
}

export {};
