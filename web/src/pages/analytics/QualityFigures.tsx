/**
 * A team's alert quality over the period: the headline figures, time to acknowledge by severity
 * and by hour of day, outcomes, and missing-reading alerts by cause. Durations, shares and rates
 * in the user's locale; every chart has its table.
 */
import { BarChart } from '../../components/BarChart.js';
import { useApp } from '../../context.js';
import { formatDuration, formatPercent, formatRate, type Figures } from '../../lib/analytics.js';

const SEVERITY_ORDER = ['urgent', 'high', 'medium', 'low', 'info'];
const OUTCOMES = ['action_taken', 'no_action_needed', 'technical_or_measurement_error', 'false_alarm', 'none'] as const;

export function QualityFigures({ figures: f, timeZone }: { figures: Figures; timeZone: string }) {
  const { t, locale } = useApp();
  const none = t('common.none');
  const dur = (s: number | undefined) => (s === undefined ? none : formatDuration(s, locale));
  const ack = f.timeToAcknowledge;
  const missing = Object.entries(f.missingByCause).sort((a, b) => b[1] - a[1]);
  const bySeverity = [...ack.bySeverity].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  const hours = new Map(ack.byHour.map((h) => [h.hour, h]));
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return (
    <>
      <dl class="kpis" data-testid="kpis">
        <div>
          <dt>{t('analytics.alerts')}</dt>
          <dd data-testid="kpi-alerts">{f.alerts}</dd>
        </div>
        <div>
          <dt>{t('analytics.perPatientWeek')}</dt>
          <dd data-testid="kpi-per-patient-week">{f.alertsPerPatientWeek === undefined ? none : formatRate(f.alertsPerPatientWeek, locale)}</dd>
          <dd class="sub">{t('analytics.patientWeeks', { count: f.patients, weeks: formatRate(f.patientWeeks, locale) })}</dd>
        </div>
        <div>
          <dt>{t('analytics.ppv')}</dt>
          <dd data-testid="kpi-ppv">{f.ppv === undefined ? none : formatPercent(f.ppv, locale)}</dd>
          <dd class="sub">{t('analytics.ppvOf', { recorded: f.outcomes.recorded, none: f.outcomes.none })}</dd>
        </div>
        <div>
          <dt>{t('analytics.ackMedian')}</dt>
          <dd data-testid="kpi-ack-median" data-seconds={ack.seconds.median === undefined ? undefined : Math.round(ack.seconds.median)}>
            {dur(ack.seconds.median)}
          </dd>
          <dd class="sub">{t('analytics.ackOf', { n: ack.seconds.n, unacknowledged: ack.unacknowledged })}</dd>
        </div>
        <div>
          <dt>{t('analytics.ackP90')}</dt>
          <dd data-testid="kpi-ack-p90" data-seconds={ack.seconds.p90 === undefined ? undefined : Math.round(ack.seconds.p90)}>
            {dur(ack.seconds.p90)}
          </dd>
        </div>
        <div>
          <dt>{t('analytics.escalated')}</dt>
          <dd data-testid="kpi-escalated">{f.escalated}</dd>
        </div>
        <div>
          <dt>{t('analytics.snoozes')}</dt>
          <dd data-testid="kpi-snoozes">{f.snoozes}</dd>
          <dd class="sub">{t('analytics.snoozedAlerts', { count: f.snoozedAlerts })}</dd>
        </div>
        <div>
          <dt>{t('analytics.quietHours')}</dt>
          <dd data-testid="kpi-quiet">{f.inQuietHours}</dd>
        </div>
      </dl>

      <div class="split">
        <section aria-labelledby="ack-severity-title">
          <h2 id="ack-severity-title">{t('analytics.ackBySeverity')}</h2>
          {bySeverity.length === 0 ? (
            <p>{t('analytics.noAcknowledged')}</p>
          ) : (
            <table data-testid="ack-by-severity">
              <thead>
                <tr>
                  <th scope="col">{t('alerts.severity')}</th>
                  <th scope="col">{t('analytics.median')}</th>
                  <th scope="col">{t('analytics.p90')}</th>
                  <th scope="col">{t('analytics.acknowledged')}</th>
                </tr>
              </thead>
              <tbody>
                {bySeverity.map((s) => (
                  <tr key={s.severity} data-severity={s.severity}>
                    <th scope="row">{t(`severity.${s.severity}`)}</th>
                    <td data-seconds={s.median === undefined ? undefined : Math.round(s.median)}>{dur(s.median)}</td>
                    <td data-seconds={s.p90 === undefined ? undefined : Math.round(s.p90)}>{dur(s.p90)}</td>
                    <td>{s.n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2 id="missing-title">{t('analytics.missingByCause')}</h2>
          {missing.length === 0 ? (
            <p>{t('analytics.noMissing')}</p>
          ) : (
            <table aria-labelledby="missing-title" data-testid="missing-by-cause">
              <thead>
                <tr>
                  <th scope="col">{t('analytics.cause')}</th>
                  <th scope="col">{t('analytics.alerts')}</th>
                </tr>
              </thead>
              <tbody>
                {missing.map(([cause, n]) => (
                  <tr key={cause}>
                    <th scope="row">{t(`alerts.cause.${cause}`, { defaultValue: cause })}</th>
                    <td>{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="outcomes-title">
          <h2 id="outcomes-title">{t('analytics.outcomes')}</h2>
          <BarChart
            id="outcomes-chart"
            title={t('analytics.outcomesChart', { count: f.alerts })}
            tableLabel={t('analytics.showTable')}
            columns={[t('analytics.outcome'), t('analytics.alerts')]}
            bars={OUTCOMES.map((o) => ({ label: t(`analytics.outcome_${o}`), value: f.outcomes[o], text: String(f.outcomes[o]) }))}
          />
        </section>
      </div>

      <section aria-labelledby="ack-hour-title">
        <h2 id="ack-hour-title">{t('analytics.ackByHour')}</h2>
        <p class="sub">{t('analytics.hoursIn', { zone: timeZone })}</p>
        {ack.byHour.length === 0 ? (
          <p>{t('analytics.noAcknowledged')}</p>
        ) : (
          <BarChart
            id="ack-by-hour"
            title={t('analytics.ackByHourChart')}
            tableLabel={t('analytics.showTable')}
            columns={[t('analytics.hour'), t('analytics.median'), t('analytics.p90'), t('analytics.acknowledged')]}
            bars={Array.from({ length: 24 }, (_, h) => {
              const x = hours.get(h);
              return { label: hh(h), value: x?.median ?? 0, text: dur(x?.median), extra: [dur(x?.p90), String(x?.n ?? 0)] };
            })}
          />
        )}
      </section>
    </>
  );
}
