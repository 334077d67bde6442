/**
 * What the first page needs, requested in parallel at start-up (see prefetch.ts): the session,
 * and for the start page the worklist and the open alerts. 401s stay quiet here: being signed out
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

/** Open and acknowledged alerts (the API's default), every page of them. */
export async function loadOpenAlerts(quiet401 = false): Promise<Alert[]> {
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
  // The worklist first: the hub answers in order, and its rows are what the nurse looks at first.
  if (parseRoute(pathname).page === 'worklist') prefetched.start(WORKLIST_KEY, () => loadWorklist(true));
  prefetched.start(SESSION_KEY, currentSession);
  prefetched.start(ALERTS_KEY, () => loadOpenAlerts(true));
}
