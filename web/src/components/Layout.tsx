/** Header with navigation, language and sign-out; the page in <main>; a skip link for keyboards. */
import type { ComponentChildren } from 'preact';
import { mayActOnAlerts, useApp } from '../context.js';
import type { Language } from '../i18n/index.js';
import { LanguageSelect } from './LanguageSelect.js';
import { inboxOf } from '../lib/alert-list.js';
import { hrefOf, type Route } from '../lib/router.js';
import { Link } from './Link.js';

export function Layout({ route, children, onLanguage, onSignOut }: { route: Route; children: ComponentChildren; onLanguage: (l: Language) => void; onSignOut: () => void }) {
  const { t, language, session, alerts, liveStatus } = useApp();
  const open = inboxOf(alerts).filter((a) => a.state === 'open').length;
  return (
    <>
      <a class="skip" href="#content">
        {t('app.skip')}
      </a>
      <header class="top">
        <span class="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.main')}>
          <Link href={hrefOf({ page: 'worklist' })} current={route.page === 'worklist'}>
            {t('nav.worklist')}
          </Link>
          <Link href={hrefOf({ page: 'alerts' })} current={route.page === 'alerts'}>
            {t('nav.alerts')} <span class="count" data-testid="open-alert-count">{open}</span>
          </Link>
          <Link href={hrefOf({ page: 'rooms' })} current={route.page === 'rooms' || route.page === 'room'}>
            {t('rooms.nav')}
          </Link>
          <Link href={hrefOf({ page: 'technical' })} current={route.page === 'technical'}>
            {t('nav.technical')}
          </Link>
          {/* GET /analytics/alerts and POST /backtest admit admins and clinicians (routes/quality). */}
          {mayActOnAlerts(session.role) && (
            <Link href={hrefOf({ page: 'analytics' })} current={route.page === 'analytics'}>
              {t('analytics.nav')}
            </Link>
          )}
        </nav>
        <span class={`live live-${liveStatus}`} role="status">
          {liveStatus === 'live' ? t('alerts.live') : t('alerts.reconnecting')}
        </span>
        <LanguageSelect t={t} language={language} onLanguage={onLanguage} />
        <span class="who">{t('nav.signedInAs', { user: session.userId, role: t(`role.${session.role}`) })}</span>
        <button type="button" class="secondary" onClick={onSignOut}>
          {t('nav.signOut')}
        </button>
      </header>
      <main id="content" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
