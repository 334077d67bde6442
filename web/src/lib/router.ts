/**
 * The page's routes under /app/ (the hub answers index.html for any of them, so a reload or a
 * shared link opens the same page). Pure parse/format, plus a navigate() over the History API.
 */
export type Route =
  | { readonly page: 'worklist' }
  | { readonly page: 'alerts'; readonly alertId?: string }
  | { readonly page: 'patient'; readonly patientId: string }
  | { readonly page: 'technical' }
  | { readonly page: 'analytics' }
  | { readonly page: 'rooms' }
  | { readonly page: 'room'; readonly gatewayId: string }
  | { readonly page: 'kiosk'; readonly token: string }
  | { readonly page: 'signin' }
  | { readonly page: 'not-found' };

export const BASE = '/app';

export function parseRoute(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return '\u0000';
    }
  });
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { page: 'not-found' };
  if (first === undefined) return { page: 'worklist' };
  if (first === 'alerts') return second === undefined ? { page: 'alerts' } : { page: 'alerts', alertId: second };
  if (first === 'patients' && second !== undefined) return { page: 'patient', patientId: second };
  if (first === 'technical' && second === undefined) return { page: 'technical' };
  if (first === 'analytics' && second === undefined) return { page: 'analytics' };
  if (first === 'rooms') return second === undefined ? { page: 'rooms' } : { page: 'room', gatewayId: second };
  if (first === 'kiosk' && second !== undefined) return { page: 'kiosk', token: second };
  if (first === 'signin' && second === undefined) return { page: 'signin' };
  return { page: 'not-found' };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'worklist':
      return `${BASE}/`;
    case 'alerts':
      return route.alertId ? `${BASE}/alerts/${encodeURIComponent(route.alertId)}` : `${BASE}/alerts`;
    case 'patient':
      return `${BASE}/patients/${encodeURIComponent(route.patientId)}`;
    case 'technical':
      return `${BASE}/technical`;
    case 'analytics':
      return `${BASE}/analytics`;
    case 'rooms':
      return `${BASE}/rooms`;
    case 'room':
      return `${BASE}/rooms/${encodeURIComponent(route.gatewayId)}`;
    case 'kiosk':
      return `${BASE}/kiosk/${encodeURIComponent(route.token)}`;
    case 'signin':
      return `${BASE}/signin`;
    case 'not-found':
      return `${BASE}/`;
  }
}

const listeners = new Set<() => void>();

export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  for (const l of listeners) l();
}

export function onNavigate(listener: () => void): () => void {
  listeners.add(listener);
  const pop = () => listener();
  window.addEventListener('popstate', pop);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', pop);
  };
}

/** For <a onClick>: same-tab left clicks go through the router; others (new tab, download) stay links. */
export function interceptLink(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (anchor.target || anchor.hasAttribute('download')) return;
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? `${BASE}/`);
}

/**
 * `/app/q/<token>`: a resident's answer link (a kiosk or the resident's tablet opens it). It is
 * served before and outside the signed-in application: the token is its only credential.
 */
export function answerLinkToken(pathname: string): string | undefined {
  const m = /^\/app\/q\/([A-Za-z0-9_-]{20,100})\/?$/.exec(pathname);
  return m?.[1];
}
