/**
 * Current and candidate side by side: alerts, alerts per patient-week, per rule, and the past
 * alerts with action taken that the candidate would not have raised (linked to each alert).
 */
import { Link } from '../../components/Link.js';
import { useApp } from '../../context.js';
import { comparedRules, formatRate, newlyMissed, type Backtest } from '../../lib/analytics.js';
import { formatDateTime } from '../../lib/format.js';
import { hrefOf } from '../../lib/router.js';
import { RuleName } from './rule-label.js';

export function BacktestResult({ result }: { result: Backtest }) {
  const { t, locale, patientNames } = useApp();
  const rate = (n: number | undefined) => (n === undefined ? t('common.none') : formatRate(n, locale));
  const rules = comparedRules(result);
  const missed = result.candidate.missedActioned;
  const regressions = new Set(newlyMissed(result).map((m) => m.alertId));
  const diff = (a: number, b: number) => (b - a > 0 ? `+${b - a}` : String(b - a));
  return (
    <section aria-labelledby="bt-result-title" data-testid="backtest-result">
      <h3 id="bt-result-title">{t('analytics.result')}</h3>
      <p class="sub">
        {t('analytics.resultScope', {
          count: result.patients,
          readings: result.readings,
          from: formatDateTime(result.from, locale),
          to: formatDateTime(result.to, locale),
          seconds: formatRate(result.elapsedMs / 1000, locale),
        })}
      </p>
      {result.truncatedPatients.length > 0 && <p class="notice">{t('analytics.truncated', { count: result.truncatedPatients.length })}</p>}
      <table class="compare" data-testid="backtest-compare">
        <thead>
          <tr>
            <th scope="col">{t('analytics.measure')}</th>
            <th scope="col">{t('analytics.current')}</th>
            <th scope="col">{t('analytics.candidate')}</th>
            <th scope="col">{t('analytics.change')}</th>
          </tr>
        </thead>
        <tbody>
          <tr data-row="alerts">
            <th scope="row">{t('analytics.alerts')}</th>
            <td data-testid="bt-current-alerts">{result.current.alerts}</td>
            <td data-testid="bt-candidate-alerts">{result.candidate.alerts}</td>
            <td>{diff(result.current.alerts, result.candidate.alerts)}</td>
          </tr>
          <tr data-row="per-patient-week">
            <th scope="row">{t('analytics.perPatientWeek')}</th>
            <td>{rate(result.current.alertsPerPatientWeek)}</td>
            <td>{rate(result.candidate.alertsPerPatientWeek)}</td>
            <td />
          </tr>
          <tr data-row="missed">
            <th scope="row">{t('analytics.missedActioned', { count: result.actionedAlerts })}</th>
            <td>{result.current.missedActioned.length}</td>
            <td data-testid="bt-candidate-missed">{missed.length}</td>
            <td>{diff(result.current.missedActioned.length, missed.length)}</td>
          </tr>
          {rules.map((r) => (
            <tr key={r.rule} data-rule={r.rule}>
              <th scope="row">
                <RuleName t={t} rule={r.rule} />
              </th>
              <td>{r.current}</td>
              <td>{r.candidate}</td>
              <td>{diff(r.current, r.candidate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {(result.current.listTruncated || result.candidate.listTruncated) && <p class="sub">{t('analytics.listTruncated')}</p>}
      <h4>{t('analytics.missedTitle')}</h4>
      {missed.length === 0 ? (
        <p data-testid="bt-no-missed">{t('analytics.noneMissed')}</p>
      ) : (
        <ul data-testid="bt-missed">
          {missed.map((m) => (
            <li key={m.alertId}>
              <Link href={hrefOf({ page: 'alerts', alertId: m.alertId })}>{m.alertId}</Link> · {patientNames.get(m.patientId) ?? m.patientId} · <RuleName t={t} rule={m.rule} /> · {formatDateTime(m.openedAt, locale)}
              {regressions.has(m.alertId) && <strong> ▲ {t('analytics.newlyMissed')}</strong>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
