/**
 * The browser session: the hub keeps the token in an HttpOnly cookie (never readable by this page,
 * never in localStorage); the page keeps only who is signed in and the CSRF token it must send
 * with every change.
 */
import { request, setCsrfToken } from '../api/client.js';
import type { ResponseOf } from '../api/types.js';

export type Session = ResponseOf<'/api/v1/session', 'get'>;
export type SessionConfig = ResponseOf<'/api/v1/session/config', 'get'>;

export async function currentSession(): Promise<Session | undefined> {
  try {
    const session = await request<Session>('GET', '/api/v1/session', { quiet401: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if ((err as { status?: number }).status === 401) return undefined;
    throw err;
  }
}

export async function signIn(token: string): Promise<Session> {
  const session = await request<Session>('POST', '/api/v1/session', { body: { token }, quiet401: true });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await request<void>('DELETE', '/api/v1/session', { quiet401: true });
  } finally {
    setCsrfToken(undefined);
  }
}

export function sessionConfig(): Promise<SessionConfig> {
  return request<SessionConfig>('GET', '/api/v1/session/config', { quiet401: true });
}

const RETURN_KEY = 'rpm.returnTo';

/** Where to go after signing in: the page the session expired on (same-origin /app paths only). */
export function rememberReturnPath(path: string): void {
  if (path.startsWith('/app/') && !path.startsWith('/app/signin')) sessionStorage.setItem(RETURN_KEY, path);
}

export function takeReturnPath(): string {
  const path = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return path && path.startsWith('/app/') && !path.startsWith('/app/signin') ? path : '/app/';
}
