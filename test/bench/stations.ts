/**
 * What the portal benchmarks start: a station built the way `walkup serve` builds it (demo or
 * slapd directory, the Duo emulator for v4), served on a free loopback port, and a browser-like
 * HTTP client (cookies and CSRF token kept by hand, its own client address via X-Forwarded-For).
 */
import {
  CSRF_HEADER,
  httpRoutes,
  type SignInResult,
  type StationInfo,
  type VisitView,
} from '../../main/contract';
import type { AuditLog } from '../../main/core/audit';
import { parseConfig } from '../../main/core/config/schema';
import { silentLogger, systemClock } from '../../main/core/ports';
import { buildStation, type Station } from '../../main/core/station';
import { portalRedirectUri, reserveFreePort, startPortal } from '../../main/portal';
import type { RunningPortal } from '../../main/portal/start';
import type { DuoEmulator } from '../support/duo-emulator';

export interface RunningStation {
  station: Station;
  portal: RunningPortal;
  close(): Promise<void>;
}

/** Builds and serves a v4 station over `directory` (a config object) and the emulator. */
export async function startBenchStation(options: {
  emulator: DuoEmulator;
  directory: Record<string, unknown>;
  audit: AuditLog;
  rendererDir?: string;
  env?: Record<string, string>;
}): Promise<RunningStation> {
  const { emulator } = options;
  const parsed = parseConfig({
    directory: options.directory,
    duo: {
      sdk: 'v4',
      apiHost: emulator.apiHost,
      clientId: emulator.integrations.v4.clientId,
      clientSecret: emulator.integrations.v4.clientSecret,
      caFile: emulator.caFile,
    },
    // Behind a reverse proxy: each simulated person has its own address (X-Forwarded-For).
    portal: { trustProxy: true },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const host = '127.0.0.1';
  const port = await reserveFreePort(host);
  const station = await buildStation(parsed.config, {
    clock: systemClock,
    logger: silentLogger,
    audit: options.audit,
    redirectUri: portalRedirectUri({ host, port }),
    env: options.env ?? {},
  });
  if (station.problems.length > 0) throw new Error(station.problems.join('; '));
  const portal = await startPortal({
    engine: station.engine,
    rendererDir: options.rendererDir ?? '/nonexistent-renderer',
    logger: silentLogger,
    trustProxy: true,
    host,
    port,
  });
  return {
    station,
    portal,
    async close() {
      await portal.close();
      station.engine.close();
      await station.stateSaved();
    },
  };
}

/** A browser's side of the portal, by hand. */
export class BenchBrowser {
  private cookies = new Map<string, string>();
  private token = '';
  constructor(
    private readonly base: string,
    private readonly address: string,
  ) {}

  private cookieHeader(names?: string[]): string {
    return [...this.cookies]
      .filter(([name]) => !names || names.includes(name))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (!name) continue;
      if (value) this.cookies.set(name.trim(), value.trim());
      else this.cookies.delete(name.trim());
    }
    const token = response.headers.get(CSRF_HEADER);
    if (token) this.token = token;
  }

  async get(pathAndQuery: string, onlyCookies?: string[]): Promise<Response> {
    const response = await fetch(`${this.base}${pathAndQuery}`, {
      headers: { cookie: this.cookieHeader(onlyCookies), 'x-forwarded-for': this.address },
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  async station(): Promise<StationInfo> {
    return (await (await this.get(httpRoutes.getStation)).json()) as StationInfo;
  }

  async visit(): Promise<VisitView> {
    return (await (await this.get(httpRoutes.getVisit)).json()) as VisitView;
  }

  async post<T>(route: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.base}${route}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: this.cookieHeader(),
        origin: this.base,
        'sec-fetch-site': 'same-origin',
        'x-forwarded-for': this.address,
        [CSRF_HEADER]: this.token,
      },
      body: JSON.stringify(body),
    });
    this.remember(response);
    if (response.status >= 300) throw new Error(`${route}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  signIn(username: string, password: string): Promise<SignInResult> {
    return this.post<SignInResult>(httpRoutes.signIn, { username, password });
  }
}
