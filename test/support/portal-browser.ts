/**
 * A browser's side of portal mode, kept by hand for tests and benchmarks that drive the portal
 * over HTTP without Chromium: its cookies (set and cleared as `Set-Cookie` says), the CSRF token
 * from the latest answer, and the provenance headers a same-origin page sends.
 */
import {
  CSRF_HEADER,
  httpRoutes,
  type SignInResult,
  type StationInfo,
  type VisitView,
} from '../../main/contract';

export class PortalBrowser {
  private readonly cookies = new Map<string, string>();
  private token = '';

  /**
   * @param base the portal's origin, e.g. `http://127.0.0.1:8787`
   * @param extraHeaders sent with every request (e.g. `x-forwarded-for` behind a trusted proxy)
   */
  constructor(
    private readonly base: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  /** The `Cookie` header this browser sends; only the named cookies when `names` is given. */
  cookieHeader(names?: string[]): string {
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

  /** A GET (redirects are not followed); `onlyCookies` limits the cookies sent. */
  async get(path: string, options: { onlyCookies?: string[] } = {}): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, {
      headers: { cookie: this.cookieHeader(options.onlyCookies), ...this.extraHeaders },
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  async getJson<T>(path: string): Promise<T> {
    return (await this.get(path)).json() as Promise<T>;
  }

  /** A POST with a JSON body as the page sends it; the answer as it came. */
  async postRaw(route: string, body: unknown): Promise<Response> {
    const response = await fetch(`${this.base}${route}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: this.cookieHeader(),
        origin: this.base,
        'sec-fetch-site': 'same-origin',
        [CSRF_HEADER]: this.token,
        ...this.extraHeaders,
      },
      body: JSON.stringify(body),
    });
    this.remember(response);
    return response;
  }

  /** A POST that must succeed: its JSON (undefined for 204); throws with the status otherwise. */
  async post<T>(route: string, body: unknown): Promise<T> {
    const response = await this.postRaw(route, body);
    if (response.status >= 300) throw new Error(`${route}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  station(): Promise<StationInfo> {
    return this.getJson<StationInfo>(httpRoutes.getStation);
  }

  visit(): Promise<VisitView> {
    return this.getJson<VisitView>(httpRoutes.getVisit);
  }

  signIn(username: string, password: string): Promise<SignInResult> {
    return this.post<SignInResult>(httpRoutes.signIn, { username, password });
  }
}
