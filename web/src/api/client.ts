/**
 * The one door to the API: same-origin fetch with the session cookie, the CSRF header on changes,
 * problem+json turned into ApiProblem, and a 401 handed to whoever shows the sign-in page (so an
 * expired session returns to sign-in from anywhere, and the page the user was on is kept).
 */
import type { Problem } from './types.js';

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiProblem';
  }
  get status(): number {
    return this.problem.status;
  }
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

let csrfToken: string | undefined;
let onUnauthenticated: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function onSessionExpired(handler: () => void): void {
  onUnauthenticated = handler;
}

/** `/api/v1/patients/{patientId}` with `{ patientId: 'p 1' }` → `/api/v1/patients/p%201`. */
export function pathWith(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}}`);
    return encodeURIComponent(value);
  });
}

export function urlWith(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, String(v));
  const s = search.toString();
  return s ? `${path}?${s}` : path;
}

async function problemOf(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem>;
      return { ...body, status: res.status };
    } catch {
      // fall through: a proxy's page or a truncated body
    }
  }
  return { status: res.status, title: res.statusText };
}

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Do not treat a 401 as an expired session (the sign-in page's own calls). */
  readonly quiet401?: boolean;
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(urlWith(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      ...(options.signal && { signal: options.signal }),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    // The hub is unreachable: status 0 is how the page tells "offline" from an answer.
    throw new ApiProblem({ status: 0, title: 'network' });
  }
  if (res.status === 401 && !options.quiet401) onUnauthenticated?.();
  if (!res.ok) throw new ApiProblem(await problemOf(res));
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { ...(query && { query }), ...(signal && { signal }) }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
};
