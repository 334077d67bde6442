/**
 * The application shell: finds or creates the session (sign-in link fragment, cookie, or the
 * sign-in page), then the signed-in layout with the live alert stream, announcements and pages.
 */
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, onSessionExpired } from './api/client.js';
import type { Alert, PatientDetail } from './api/types.js';
import { Announcer, type Announcement } from './components/Announcer.js';
import { Layout } from './components/Layout.js';
import { Ctx, type AppContext } from './context.js';
import { changeLanguage, i18next, LOCALES, storeLanguage, storedLanguage, type Language } from './i18n/index.js';
import { mergeAlerts, resync, type AlertMap } from './lib/alert-list.js';
import { alertText } from './lib/alert-text.js';
import { connectLive, type LiveAlert, type LiveStatus } from './lib/live.js';
import { prefetched } from './lib/prefetch.js';
import { navigate, onNavigate, parseRoute, type Route } from './lib/router.js';
import { currentSession, rememberReturnPath, signIn, signOut, takeReturnPath, type Session } from './lib/session.js';
import { ALERTS_KEY, alertsListedSince, loadOpenAlerts, SESSION_KEY } from './lib/start-loads.js';
import { AlertsPage } from './pages/Alerts.js';
import { AnalyticsPage } from './pages/Analytics.js';
import { PatientPage } from './pages/Patient.js';
import { RoomsPage } from './pages/Rooms.js';
import { RoomPage } from './pages/rooms/RoomPage.js';
import { SignInPage } from './pages/SignIn.js';
import { TechnicalPage } from './pages/Technical.js';
import { WorklistPage } from './pages/Worklist.js';

type SessionState = { readonly kind: 'loading' } | { readonly kind: 'signed-out'; readonly reason?: 'expired' | 'signed-out' } | { readonly kind: 'signed-in'; readonly session: Session };

/** `#signin=<token>`: the demo's and an administrator's one-click link; the fragment never reaches a server. */
function signInFragment(): string | undefined {
  const match = /^#signin=([A-Za-z0-9._~+/=-]{16,8192})$/.exec(location.hash);
  return match?.[1];
}

export function Root() {
  const [language, setLanguageState] = useState<Language>(i18next.language as Language);
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  const t = useMemo<TFunction>(() => i18next.getFixedT(language), [language]);

  useEffect(() => onNavigate(() => setRoute(parseRoute(location.pathname))), []);

  useEffect(() => {
    onSessionExpired(() => {
      rememberReturnPath(location.pathname + location.search);
      setState({ kind: 'signed-out', reason: 'expired' });
    });
    let cancelled = false;
    void (async () => {
      const fragmentToken = signInFragment();
      if (fragmentToken) {
        // Out of the address bar and history at once, before anything can copy it.
        history.replaceState(null, '', location.pathname + location.search);
        try {
          const session = await signIn(fragmentToken);
          if (!cancelled) setState({ kind: 'signed-in', session });
          return;
        } catch {
          // fall through: an old or revoked link; maybe a cookie session still exists
        }
      }
      const session = await prefetched.take(SESSION_KEY, currentSession).catch(() => undefined);
      // A deep link opened signed out is where to land after signing in; the OIDC round trip comes
      // back to /app/signin (the one registered redirect URI), so the path must be kept until then.
      if (!session) rememberReturnPath(location.pathname + location.search);
      if (!cancelled) setState(session ? { kind: 'signed-in', session } : { kind: 'signed-out' });
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  const setLanguage = useCallback(
    async (next: Language) => {
      await changeLanguage(next);
      storeLanguage(next, state.kind === 'signed-in' ? state.session.userId : undefined);
      setLanguageState(next);
    },
    [state],
  );

  // The user's own stored choice wins once we know who they are.
  useEffect(() => {
    if (state.kind !== 'signed-in') return;
    const mine = storedLanguage(state.session.userId);
    if (mine && mine !== language) void setLanguage(mine);
  }, [state]);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  if (state.kind === 'loading') return <p class="loading">{t('app.loading')}</p>;
  if (state.kind === 'signed-out' || route.page === 'signin' && state.kind !== 'signed-in') {
    return (
      <SignInPage
        t={t}
        language={language}
        onLanguage={(l) => void setLanguage(l)}
        reason={state.kind === 'signed-out' ? state.reason : undefined}
        onSignedIn={(session) => {
          setState({ kind: 'signed-in', session });
          navigate(takeReturnPath(), true);
        }}
      />
    );
  }
  if (route.page === 'signin') navigate('/app/', true);
  return (
    <SignedIn
      key={state.session.userId}
      t={t}
      language={language}
      onLanguage={(l) => void setLanguage(l)}
      session={state.session}
      route={route}
      onSignOut={() =>
        void signOut()
          .catch(() => undefined)
          .then(() => {
            setState({ kind: 'signed-out', reason: 'signed-out' });
            navigate('/app/signin', true);
          })
      }
    />
  );
}

interface SignedInProps {
  readonly t: TFunction;
  readonly language: Language;
  readonly onLanguage: (language: Language) => void;
  readonly session: Session;
  readonly route: Route;
  readonly onSignOut: () => void;
}

const NEW_ALERT_SEVERITIES = new Set(['urgent', 'high']);

function SignedIn({ t, language, onLanguage, session, route, onSignOut }: SignedInProps) {
  const [alerts, setAlerts] = useState<AlertMap>(new Map());
  const [liveStatus, setLiveStatus] = useState<LiveStatus>('connecting');
  const [announcement, setAnnouncement] = useState<Announcement | undefined>();
  const [patientNames, setPatientNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [liveChanges, setLiveChanges] = useState(0);
  const known = useRef<AlertMap>(alerts);
  known.current = alerts;
  const names = useRef(patientNames);
  names.current = patientNames;
  const tRef = useRef(t);
  tRef.current = t;
  const localeRef = useRef(LOCALES[language]);
  localeRef.current = LOCALES[language];

  const refreshAlerts = useCallback(async () => {
    const all = await loadOpenAlerts();
    setAlerts((current) => resync(current, all));
  }, []);

  // At once, not only when the live stream opens: the worklist needs the alerts to say why (the
  // list was usually requested at start-up already, in parallel with the session). The stream's
  // own re-sync on connecting follows and changes nothing unless an alert changed meanwhile.
  const initialAlerts = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => {
    initialAlerts.current = prefetched
      .take(ALERTS_KEY, () => loadOpenAlerts())
      .then((all) => setAlerts((current) => resync(current, all)))
      .catch(() => undefined);
  }, []);

  const announce = useCallback((message: string, urgent: boolean) => setAnnouncement({ message, urgent, at: Date.now() }), []);

  /** Says who it is about by name; a patient not seen on this page yet is looked up (one request). */
  const announceNew = async (event: LiveAlert, full: Promise<Alert>) => {
    let patient = event.patientId ? names.current.get(event.patientId) : undefined;
    if (event.patientId && patient === undefined) {
      patient = await api.get<PatientDetail>(`/api/v1/patients/${encodeURIComponent(event.patientId)}`).then(
        (p) => p.displayName,
        () => event.patientId,
      );
      if (patient !== undefined) setPatientNames((current) => new Map(current).set(event.patientId!, patient!));
    }
    const tr = tRef.current;
    // In the reader's language from the full alert's message; the event's English text if that fails.
    const summary = await full.then((a) => alertText(a, tr, localeRef.current), () => event.summary);
    announce(tr('alerts.announce', { severity: tr(`severity.${event.severity}`), patient: patient ?? event.gatewayId ?? '', summary }), NEW_ALERT_SEVERITIES.has(event.severity));
  };

  useEffect(() => {
    return connectLive({
      onConnected: () => {
        // After the first list has arrived (never two large lists at once), and only if that list
        // was asked for before the stream opened: events since then would otherwise be missing.
        const openedAt = performance.now();
        void initialAlerts.current.then(() => (alertsListedSince(openedAt) ? undefined : refreshAlerts())).catch(() => undefined);
      },
      onStatus: setLiveStatus,
      onRefused: () => void currentSession().catch(() => undefined),
      onAlert: (event) => {
        const before = known.current.get(event.id);
        if (before && before.revision >= event.revision) return;
        // The event carries the essentials; the inbox shows the whole alert.
        const full = api.get<Alert>(`/api/v1/alerts/${encodeURIComponent(event.id)}`);
        full.then((alert) => setAlerts((current) => mergeAlerts(current, [alert]))).catch(() => undefined);
        setLiveChanges((n) => n + 1);
        if (!before && event.state === 'open') void announceNew(event, full);
      },
    });
  }, []);

  const ctx: AppContext = {
    t,
    language,
    locale: LOCALES[language],
    session,
    role: session.role,
    alerts,
    liveStatus,
    liveChanges,
    patientNames,
    rememberPatientNames: (more) =>
      setPatientNames((current) => {
        const next = new Map(current);
        for (const [id, name] of more) next.set(id, name);
        return next;
      }),
    refreshAlerts,
    updateAlert: (alert) => setAlerts((current) => mergeAlerts(current, [alert])),
    announce,
  };

  return (
    <Ctx.Provider value={ctx}>
      <Layout route={route} onLanguage={onLanguage} onSignOut={onSignOut}>
        {route.page === 'worklist' && <WorklistPage />}
        {route.page === 'alerts' && <AlertsPage alertId={route.alertId} />}
        {route.page === 'patient' && <PatientPage patientId={route.patientId} />}
        {route.page === 'technical' && <TechnicalPage />}
        {route.page === 'analytics' && <AnalyticsPage />}
        {route.page === 'rooms' && <RoomsPage />}
        {route.page === 'room' && <RoomPage gatewayId={route.gatewayId} />}
        {(route.page === 'not-found' || route.page === 'kiosk') && <p role="alert">{t('error.pageNotFound')}</p>}
      </Layout>
      <Announcer announcement={announcement} />
    </Ctx.Provider>
  );
}
