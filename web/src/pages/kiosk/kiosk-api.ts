/**
 * The kiosk page's own door to the API: the kiosk link token (and, once checked in, the session
 * token) in headers, never a cookie (a staff member's sign-in on the same browser must not leak into
 * the kiosk: credentials 'omit'), and nothing cached (the API says no-store; the page asks so too).
 */
import { ApiProblem } from '../../api/client.js';
import type { Problem } from '../../api/types.js';

export async function kioskRequest<T>(method: 'GET' | 'POST', path: string, link: string, options: { session?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-kiosk-link': link };
  if (options.session) headers['x-kiosk-session'] = options.session;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'omit', cache: 'no-store', ...(options.body !== undefined && { body: JSON.stringify(options.body) }) });
  } catch {
    throw new ApiProblem({ status: 0, title: 'network' });
  }
  if (!res.ok) {
    let problem: Problem = { status: res.status };
    try {
      problem = { ...((await res.json()) as Partial<Problem>), status: res.status };
    } catch {
      // not JSON: the status says enough
    }
    throw new ApiProblem(problem);
  }
  return (await res.json()) as T;
}
