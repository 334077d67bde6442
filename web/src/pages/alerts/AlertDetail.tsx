/**
 * One alert: what, who, since when; its evidence on a small chart; the actions the user's role
 * allows (the API enforces the same rules: carers read and comment only); its history.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, pathWith } from '../../api/client.js';
import type { Alert, AlertHistory, EffectiveRules } from '../../api/types.js';
import { Link } from '../../components/Link.js';
import { ProblemMessage } from '../../components/ProblemMessage.js';
import { SeverityBadge } from '../../components/SeverityBadge.js';
import { mayActOnAlerts, useApp } from '../../context.js';
import { alertText } from '../../lib/alert-text.js';
import { formatDateTime } from '../../lib/format.js';
import { hrefOf } from '../../lib/router.js';
import { kindOfRule } from '../../lib/vitals.js';
import { VitalChart } from '../patient/VitalChart.js';

type Action = 'acknowledge' | 'resolve' | 'snooze' | 'comment';
const SNOOZE_MINUTES = [30, 60, 240, 720, 1440];
/** What an alert turned out to be (recorded with acknowledge or resolve; the team's alert quality). */
const OUTCOMES = ['', 'action_taken:call', 'action_taken:visit', 'action_taken:gp_or_hospital_contact', 'action_taken:medication_change', 'no_action_needed', 'technical_or_measurement_error', 'false_alarm'] as const;
type OutcomeChoice = (typeof OUTCOMES)[number];

function outcomeBody(choice: OutcomeChoice): Record<string, string> | undefined {
  if (!choice) return undefined;
  const [kind, action] = choice.split(':');
  return action ? { kind: kind!, action } : { kind: kind! };
}
const HOUR = 3600_000;

export function AlertDetail({ alertId }: { alertId: string }) {
  const app = useApp();
  const { t, locale, role, patientNames } = app;
  const [alert, setAlert] = useState<Alert | undefined>(app.alerts.get(alertId));
  const [history, setHistory] = useState<AlertHistory | undefined>();
  const [rules, setRules] = useState<EffectiveRules | undefined>();
  const [error, setError] = useState<unknown>();
  const [actionError, setActionError] = useState<unknown>();
  const [action, setAction] = useState<Action | undefined>();
  const [text, setText] = useState('');
  const [minutes, setMinutes] = useState(60);
  const [outcome, setOutcome] = useState<OutcomeChoice>('');
  const [status, setStatus] = useState('');

  const load = () => {
    const id = { alertId };
    api.get<Alert>(pathWith('/api/v1/alerts/{alertId}', id)).then(setAlert, setError);
    api.get<AlertHistory>(pathWith('/api/v1/alerts/{alertId}/events', id)).then(setHistory, () => undefined);
  };
  useEffect(load, [alertId]);
  // A live change to this alert (someone else acknowledged it) shows at once.
  const live = app.alerts.get(alertId);
  useEffect(() => {
    if (live && alert && live.revision > alert.revision) load();
  }, [live?.revision]);
  useEffect(() => {
    if (!alert?.patientId) return;
    api.get<EffectiveRules>(pathWith('/api/v1/patients/{patientId}/alert-rules/effective', { patientId: alert.patientId })).then(setRules, () => undefined);
  }, [alert?.patientId]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!action || !alert) return;
    setActionError(undefined);
    const path = action === 'comment' ? '/api/v1/alerts/{alertId}/comments' : `/api/v1/alerts/{alertId}/${action}`;
    const recorded = outcomeBody(outcome);
    const body =
      action === 'comment'
        ? { text }
        : action === 'snooze'
          ? { reason: text, minutes }
          : { ...(text.trim() && { note: text.trim() }), ...(recorded && { outcome: recorded }) };
    try {
      await api.post(pathWith(path, { alertId }), body);
      setAction(undefined);
      setText('');
      setOutcome('');
      setStatus(t('alerts.updated'));
      const fresh = await api.get<Alert>(pathWith('/api/v1/alerts/{alertId}', { alertId }));
      setAlert(fresh);
      app.updateAlert(fresh);
      api.get<AlertHistory>(pathWith('/api/v1/alerts/{alertId}/events', { alertId })).then(setHistory, () => undefined);
    } catch (err) {
      setActionError(err);
    }
  };

  if (error !== undefined) return <ProblemMessage t={t} error={error} onRetry={load} />;
  if (!alert) return <p>{t('app.loading')}</p>;
  const kind = kindOfRule(alert.rule);
  const opened = new Date(alert.openedAt).getTime();
  const canAct = mayActOnAlerts(role);
  const actions: Action[] = canAct ? (alert.state === 'resolved' ? ['comment'] : alert.state === 'open' ? ['acknowledge', 'snooze', 'resolve', 'comment'] : ['snooze', 'resolve', 'comment']) : ['comment'];

  return (
    <section class="detail" aria-labelledby="alert-title" data-testid="alert-detail">
      <h2 id="alert-title">
        {t('alerts.detail')}: {alertText(alert, t, locale)}
      </h2>
      <p>
        <SeverityBadge t={t} severity={alert.severity} /> <span data-testid="alert-state">{t(`state.${alert.state}`)}</span> ·{' '}
        {t(alert.audience === 'technical' ? 'alerts.technical' : 'alerts.clinical')}
      </p>
      <dl class="facts">
        {alert.patientId && (
          <div>
            <dt>{t('alerts.patient')}</dt>
            <dd>
              <Link href={hrefOf({ page: 'patient', patientId: alert.patientId })}>{patientNames.get(alert.patientId) ?? alert.patientId}</Link>
            </dd>
          </div>
        )}
        <div>
          <dt>{t('alerts.opened')}</dt>
          <dd>{formatDateTime(alert.openedAt, locale, rules?.timeZone)}</dd>
        </div>
        <div>
          <dt>{t('alerts.rule')}</dt>
          <dd>
            <code>{alert.rule}</code>
            {alert.cause && ` (${t(`alerts.cause.${alert.cause}`, { defaultValue: alert.cause })})`}
          </dd>
        </div>
        {alert.acknowledgedBy && (
          <div>
            <dt>{t('state.acknowledged')}</dt>
            <dd data-testid="acknowledged-by">{t('alerts.acknowledgedBy', { user: alert.acknowledgedBy })}</dd>
          </div>
        )}
        {alert.snooze && (
          <div>
            <dt>{t('alerts.snooze')}</dt>
            <dd>{t('alerts.snoozedUntil', { time: formatDateTime(alert.snooze.until, locale, rules?.timeZone), reason: alert.snooze.reason })}</dd>
          </div>
        )}
      </dl>
      {kind && alert.patientId && (
        <div class="evidence">
          <h3>{t('alerts.evidence')}</h3>
          <VitalChart patientId={alert.patientId} kind={kind} fromMs={opened - 48 * HOUR} toMs={Math.max(Date.now(), opened + HOUR)} timeZone={rules?.timeZone ?? 'Europe/Copenhagen'} rules={rules} />
        </div>
      )}
      {!canAct && <p class="notice">{t('alerts.readOnly')}</p>}
      <div class="actions" role="group" aria-label={t('alerts.detail')}>
        {actions.map((a) => (
          <button type="button" key={a} data-action={a} class={action === a ? 'chosen' : a === 'acknowledge' ? '' : 'secondary'} aria-expanded={action === a} onClick={() => setAction(action === a ? undefined : a)}>
            {t(`alerts.${a}`)}
          </button>
        ))}
      </div>
      {action && (
        <form class="action-form" onSubmit={(e) => void submit(e)}>
          <label for="action-text">{action === 'comment' ? t('alerts.commentText') : action === 'snooze' ? t('alerts.snoozeReason') : t('alerts.note')}</label>
          <textarea id="action-text" rows={2} maxLength={action === 'snooze' ? 500 : 2000} required={action === 'comment' || action === 'snooze'} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          {(action === 'acknowledge' || action === 'resolve') && (
            <label>
              <span>{t('alerts.outcome')}</span>
              <select value={outcome} data-testid="outcome" onChange={(e) => setOutcome(e.currentTarget.value as OutcomeChoice)}>
                {OUTCOMES.map((o) => (
                  <option value={o} key={o}>
                    {t(`alerts.outcomes.${o ? o.replace(':', '_') : 'none'}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {action === 'snooze' && (
            <label>
              <span>{t('alerts.snoozeFor')}</span>
              <select value={minutes} onChange={(e) => setMinutes(Number(e.currentTarget.value))}>
                {SNOOZE_MINUTES.map((m) => (
                  <option value={m} key={m}>
                    {m < 60 ? t('alerts.minutes', { count: m }) : t('alerts.hours', { count: m / 60 })}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="submit" data-testid="action-submit">
            {t('alerts.send')}
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setAction(undefined)}>
            {t('alerts.cancel')}
          </button>
        </form>
      )}
      {status && <p role="status">{status}</p>}
      {actionError !== undefined && <ProblemMessage t={t} error={actionError} />}
      <h3>{t('alerts.history')}</h3>
      <ol class="history">
        {history?.events.map((e) => (
          <li key={e.revision}>
            <span>{formatDateTime(e.at, locale, rules?.timeZone)}</span> {t(`alerts.event.${e.type}`, { defaultValue: e.type })} · {e.actor}
            {typeof e.detail.text === 'string' && `: ${e.detail.text}`}
            {typeof e.detail.note === 'string' && `: ${e.detail.note}`}
            {typeof e.detail.reason === 'string' && `: ${e.detail.reason}`}
          </li>
        ))}
      </ol>
    </section>
  );
}
