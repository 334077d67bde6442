/**
 * The alert inbox, live: open and acknowledged alerts of the user's teams, most severe first; a new
 * one appears without reload (and is announced by the shell). Choosing one opens its detail.
 */
import { Link } from '../components/Link.js';
import { SeverityBadge } from '../components/SeverityBadge.js';
import { useApp } from '../context.js';
import { inboxOf } from '../lib/alert-list.js';
import { alertText } from '../lib/alert-text.js';
import { formatAge } from '../lib/format.js';
import { hrefOf } from '../lib/router.js';
import { AlertDetail } from './alerts/AlertDetail.js';

export function AlertsPage({ alertId }: { alertId: string | undefined }) {
  const { t, locale, alerts, patientNames, liveStatus } = useApp();
  const inbox = inboxOf(alerts);
  const now = Date.now();
  return (
    <div class={alertId ? 'split' : ''}>
      <section aria-labelledby="alerts-title">
        <h1 id="alerts-title">{t('alerts.title')}</h1>
        <p class="intro">{t('alerts.intro')}</p>
        {liveStatus !== 'live' && <p class="notice">{t('alerts.offline')}</p>}
        {inbox.length === 0 ? (
          <p data-testid="alerts-empty">{t('alerts.none')}</p>
        ) : (
          <table class="inbox" data-testid="alert-inbox">
            <thead>
              <tr>
                <th scope="col">{t('alerts.severity')}</th>
                <th scope="col">{t('alerts.patient')}</th>
                <th scope="col">{t('alerts.summary')}</th>
                <th scope="col">{t('alerts.state')}</th>
                <th scope="col">{t('alerts.opened')}</th>
              </tr>
            </thead>
            <tbody>
              {inbox.map((a) => (
                <tr key={a.id} data-alert-id={a.id} aria-current={a.id === alertId ? 'true' : undefined} class={a.id === alertId ? 'chosen' : ''}>
                  <td>
                    <SeverityBadge t={t} severity={a.severity} />
                  </td>
                  <td>{a.patientId ? (patientNames.get(a.patientId) ?? a.patientId) : (a.gatewayId ?? '')}</td>
                  <td>
                    <Link href={hrefOf({ page: 'alerts', alertId: a.id })}>{alertText(a, t, locale)}</Link>
                    {a.audience === 'technical' && <span class="sub"> ({t('alerts.technical')})</span>}
                  </td>
                  <td>{t(`state.${a.state}`)}</td>
                  <td>{formatAge(a.openedAt, now, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {alertId && <AlertDetail alertId={alertId} key={alertId} />}
    </div>
  );
}
