/**
 * What the first page needs, requested at start-up before the shell exists (see prefetch.ts): the
 * session and, for the start page, the worklist, then the open alerts. 401s stay quiet here: being signed out
 * is found out by the session request, which shows the sign-in page.
 */
import { request } from '../api/client.js';
import type { Alert, AlertList, Worklist } from '../api/types.js';
import { prefetched } from './prefetch.js';
import { parseRoute } from './router.js';
import { currentSession } from './session.js';

export const WORKLIST_KEY = 'worklist';
export const ALERTS_KEY = 'alerts';
export const SESSION_KEY = 'session';

export function loadWorklist(quiet401 = false): Promise<Worklist> {
  return request<Worklist>('GET', '/api/v1/patients', { quiet401 });
}

let listRequestedAt = Number.NEGATIVE_INFINITY;

/**
 * Whether the alert list was last asked for at or after `at` (performance.now()): a list asked for
 * after the live stream opened misses no event, so the stream's re-sync on opening can be skipped.
 */
export function alertsListedSince(at: number): boolean {
  return listRequestedAt >= at;
}

/** Open and acknowledged alerts (the API's default), every page of them. */
export async function loadOpenAlerts(quiet401 = false): Promise<Alert[]> {
  listRequestedAt = performance.now();
  const all: Alert[] = [];
  let cursor: string | undefined;
  do {
    const page = await request<AlertList>('GET', '/api/v1/alerts', { query: { limit: 500, ...(cursor && { cursor }) }, quiet401 });
    all.push(...page.alerts);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Called once before the first render. A sign-in link in the fragment needs its POST first. */
export function startLoads(pathname: string, hasSignInFragment: boolean): void {
  if (hasSignInFragment) return;
  void prefetched.start(SESSION_KEY, currentSession);
  if (parseRoute(pathname).page !== 'worklist') {
    void prefetched.start(ALERTS_KEY, () => loadOpenAlerts(true));
    return;
  }
  // The alert list (often the larger answer) only after the worklist: asked together, the hub's
  // one thread serialises both at once and the rows the nurse looks at first come later. The
  // rows are drawn from the worklist alone; the alerts then add each row's reasons.
  const worklist = prefetched.start(WORKLIST_KEY, () => loadWorklist(true));
  const alerts = () => loadOpenAlerts(true);
  void prefetched.start(ALERTS_KEY, () => worklist.then(alerts, alerts));
}
