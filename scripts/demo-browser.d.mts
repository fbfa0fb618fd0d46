import type { X509Certificate } from 'node:crypto';

/** See scripts/demo-browser.mjs. */
export function spkiSha256(certificate: string | Buffer): string;
export function fetchServerCertificate(options: {
  host: string;
  port: number;
  caPem: string;
  timeoutMs?: number;
}): Promise<X509Certificate>;
export const LINUX_BROWSERS: readonly string[];
export function browserCandidates(where: {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}): string[];
export function isExecutable(file: string, platform?: NodeJS.Platform): boolean;
export function findBrowser(where?: {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
}): string | undefined;
export function browserArgs(options: {
  url: string;
  profileDir: string;
  spkiHash: string;
  runningAsRoot?: boolean;
  extraArgs?: string[];
}): string[];
export function manualBrowserSteps(options: { url: string; spkiHash: string; searched: boolean }): string[];
export function launchBrowser(options: {
  executable: string;
  url: string;
  spkiHash: string;
  extraArgs?: string[];
  verbose?: boolean;
}): Promise<{ pid: number; profileDir: string; exited: Promise<number | null>; stop(): Promise<void> }>;
