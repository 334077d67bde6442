/**
 * A patient: NEWS2 and what it misses, a chart per vital over 24 h to 90 days (or a custom period)
 * with their own alert bands and passive intervals, the readings table with exports, the alert
 * history and the rules. Times are the patient's local time.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, pathWith } from '../api/client.js';
import type { AlertList, EffectiveRules, PatientDetail, VitalKind } from '../api/types.js';
import { Link } from '../components/Link.js';
import { ProblemMessage } from '../components/ProblemMessage.js';
import { SeverityBadge } from '../components/SeverityBadge.js';
import { useApp } from '../context.js';
import { alertText } from '../lib/alert-text.js';
import { PRESET_MS, type RangePreset } from '../lib/chart-data.js';
import { formatDateTime } from '../lib/format.js';
import { hrefOf } from '../lib/router.js';
import { VITAL_VIEWS } from '../lib/vitals.js';
import { CheckinCard } from './patient/CheckinCard.js';
import { ObservationForm } from './patient/ObservationForm.js';
import { QuestionnairePanel } from './patient/QuestionnairePanel.js';
import { ReadingsTable } from './patient/ReadingsTable.js';
import { RulesPanel } from './patient/RulesPanel.js';
import { CustomPeriod } from './patient/CustomPeriod.js';
import { VitalChart } from './patient/VitalChart.js';

const PRESETS: readonly Exclude<RangePreset, 'custom'>[] = ['24h', '7d', '30d', '90d'];
const DEFAULT_ZONE = 'Europe/Copenhagen';


export function PatientPage({ patientId }: { patientId: string }) {
  const app = useApp();
  const { t, locale } = app;
  const [patient, setPatient] = useState<PatientDetail | undefined>();
  const [effective, setEffective] = useState<EffectiveRules | undefined>();
  const [history, setHistory] = useState<AlertList | undefined>();
  const [error, setError] = useState<unknown>();
  const [preset, setPreset] = useState<RangePreset>('7d');
  const [range, setRange] = useState(() => ({ to: Date.now(), from: Date.now() - PRESET_MS['7d'] }));

  const load = () => {
    setError(undefined);
    const id = { patientId };
    api.get<PatientDetail>(pathWith('/api/v1/patients/{patientId}', id)).then((p) => {
      setPatient(p);
      app.rememberPatientNames(new Map([[p.id, p.displayName]]));
    }, setError);
    api.get<EffectiveRules>(pathWith('/api/v1/patients/{patientId}/alert-rules/effective', id)).then(setEffective, () => setEffective(undefined));
    api.get<AlertList>('/api/v1/alerts', { patientId, state: 'open,acknowledged,resolved', limit: 50 }).then(setHistory, () => setHistory(undefined));
  };
  useEffect(load, [patientId]);

  const choose = (p: Exclude<RangePreset, 'custom'>) => {
    const now = Date.now();
    setPreset(p);
    setRange({ from: now - PRESET_MS[p], to: now });
  };

  const timeZone = patient?.timeZone ?? effective?.timeZone ?? DEFAULT_ZONE;
  // Every vital the patient has a recent reading of, in the clinicians' usual order.
  const kinds = useMemo<VitalKind[]>(() => VITAL_VIEWS.map((v) => v.kind).filter((k) => patient?.latest.some((l) => l.kind === k)), [patient]);

  if (error !== undefined) return <ProblemMessage t={t} error={error} onRetry={load} />;
  if (!patient) return <p>{t('app.loading')}</p>;

  return (
    <article aria-labelledby="patient-title">
      <p>
        <Link href={hrefOf({ page: 'worklist' })}>← {t('patient.back')}</Link>
      </p>
      <h1 id="patient-title">{patient.displayName}</h1>
      <p class="sub">
        {patient.careTeamId}
        {patient.conditionGroups.length > 0 && ` · ${patient.conditionGroups.map((c) => t(`condition.${c}`, { defaultValue: c })).join(', ')}`} · {t('patient.timeZone', { zone: timeZone })}
      </p>
      <section class="summary" aria-label={t('patient.news2')}>
        <SeverityBadge t={t} severity={patient.highestSeverity} />
        <span class="news2" data-testid="news2">
          <strong>{t('patient.news2')}:</strong>{' '}
          {patient.news2 ? (
            <>
              {patient.news2.total}{' '}
              {patient.news2.missing.length > 0
                ? `(${t('news2.missing', { params: patient.news2.missing.map((m) => t(`news2.param.${m}`, { defaultValue: m })).join(', ') })})`
                : `(${t('news2.complete')})`}{' '}
              <span class="sub">{t('patient.news2At', { time: formatDateTime(patient.news2.at, locale, timeZone) })}</span>
            </>
          ) : (
            t('news2.none')
          )}
        </span>
      </section>

      <ObservationForm patientId={patientId} onSaved={load} />
      <CheckinCard patientId={patientId} />

      <QuestionnairePanel patientId={patientId} />

      <section aria-labelledby="charts-title">
        <h2 id="charts-title">{t('patient.charts')}</h2>
        <fieldset class="ranges">
          <legend>{t('patient.range')}</legend>
          {PRESETS.map((p) => (
            <button type="button" key={p} class={preset === p ? 'chosen' : 'secondary'} aria-pressed={preset === p} data-range={p} onClick={() => choose(p)}>
              {t(`patient.r${p}`)}
            </button>
          ))}
          <CustomPeriod
            range={range}
            timeZone={timeZone}
            chosen={preset === 'custom'}
            onPeriod={(from, to) => {
              setPreset('custom');
              setRange({ from, to });
            }}
          />
        </fieldset>
        {kinds.length === 0 && <p class="sub">{t('patient.noData')}</p>}
        <div class="charts">
          {kinds.map((kind) => (
            <VitalChart key={kind} patientId={patientId} kind={kind} fromMs={range.from} toMs={range.to} timeZone={timeZone} rules={effective} />
          ))}
        </div>
      </section>

      {kinds.length > 0 && <ReadingsTable patientId={patientId} kinds={kinds} fromMs={range.from} toMs={range.to} timeZone={timeZone} />}

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('patient.alertHistory')}</h2>
        {history && history.alerts.length === 0 && <p class="sub">{t('patient.noAlerts')}</p>}
        {history && history.alerts.length > 0 && (
          <table data-testid="alert-history">
            <thead>
              <tr>
                <th scope="col">{t('alerts.opened')}</th>
                <th scope="col">{t('alerts.severity')}</th>
                <th scope="col">{t('alerts.summary')}</th>
                <th scope="col">{t('alerts.state')}</th>
              </tr>
            </thead>
            <tbody>
              {history.alerts.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.openedAt, locale, timeZone)}</td>
                  <td>
                    <SeverityBadge t={t} severity={a.severity} />
                  </td>
                  <td>
                    <Link href={hrefOf({ page: 'alerts', alertId: a.id })}>{alertText(a, t, locale)}</Link>
                  </td>
                  <td>{t(`state.${a.state}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <RulesPanel patientId={patientId} effective={effective} onSaved={load} />
    </article>
  );
}
