/**
 * Alert quality of a care team (issue #14): over a period (last 30 or 90 days, or custom) and
 * optionally one condition group, how many alerts per patient-week, how many led to action (PPV),
 * how fast they were acknowledged, and which rule pages most for least action; a CSV export with
 * the same filters; and a back-test of a threshold change for the same population.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, urlWith } from '../api/client.js';
import type { Worklist, WorklistPatient } from '../api/types.js';
import { ProblemMessage } from '../components/ProblemMessage.js';
import { mayActOnAlerts, useApp } from '../context.js';
import { periodOf, type Analytics, type PeriodChoice } from '../lib/analytics.js';
import { collatorFor, formatDateTime } from '../lib/format.js';
import { BacktestPanel } from './analytics/BacktestPanel.js';
import { QualityFigures } from './analytics/QualityFigures.js';
import { RuleRanking } from './analytics/RuleRanking.js';

interface Filters {
  readonly careTeamId: string;
  readonly conditionGroup: string;
  readonly from: string;
  readonly to: string;
}

export function AnalyticsPage() {
  const app = useApp();
  const { t, locale, session, role } = app;
  const [patients, setPatients] = useState<readonly WorklistPatient[] | undefined>();
  const [careTeamId, setCareTeamId] = useState(session.careTeamIds[0] ?? '');
  const [conditionGroup, setConditionGroup] = useState('');
  const [period, setPeriod] = useState<PeriodChoice>('30');
  const [customFrom, setCustomFrom] = useState('');
  const [customTo, setCustomTo] = useState('');
  const [applied, setApplied] = useState<Filters | undefined>();
  const [report, setReport] = useState<Analytics | undefined>();
  const [error, setError] = useState<unknown>();
  const [periodError, setPeriodError] = useState(false);

  useEffect(() => {
    api.get<Worklist>('/api/v1/patients').then(
      (w) => {
        setPatients(w.patients);
        app.rememberPatientNames(new Map(w.patients.map((p) => [p.id, p.displayName])));
      },
      (err: unknown) => setError(err),
    );
  }, []);

  // An administrator may belong to no team (sees all): offer the teams of the patients they see.
  const teams = useMemo(() => [...new Set([...session.careTeamIds, ...(patients ?? []).map((p) => p.careTeamId)])].sort(collatorFor(locale).compare), [patients, session, locale]);
  useEffect(() => {
    if (!careTeamId && teams[0]) setCareTeamId(teams[0]);
  }, [teams]);
  const teamPatients = useMemo(() => (patients ?? []).filter((p) => p.careTeamId === careTeamId), [patients, careTeamId]);
  const conditions = useMemo(() => [...new Set(teamPatients.flatMap((p) => p.conditionGroups))].sort(), [teamPatients]);
  const population = useMemo(
    () => teamPatients.filter((p) => !applied?.conditionGroup || p.conditionGroups.includes(applied.conditionGroup)).map((p) => ({ id: p.id, name: p.displayName })).sort((a, b) => collatorFor(locale).compare(a.name, b.name)),
    [teamPatients, applied, locale],
  );

  const apply = () => {
    const range = periodOf(period, Date.now(), customFrom, customTo);
    setPeriodError(!range);
    if (!range || !careTeamId) return;
    setApplied({ careTeamId, conditionGroup, ...range });
  };
  // Team, group and the fixed periods apply at once; a custom period when asked ("Show").
  useEffect(() => {
    if (period !== 'custom') apply();
  }, [careTeamId, conditionGroup, period]);

  const query = applied && { careTeamId: applied.careTeamId, from: applied.from, to: applied.to, groupBy: 'rule' as const, ...(applied.conditionGroup && { conditionGroup: applied.conditionGroup }) };
  useEffect(() => {
    if (!query) return;
    setError(undefined);
    const c = new AbortController();
    api.get<Analytics>('/api/v1/analytics/alerts', query, c.signal).then(setReport, (err: unknown) => {
      if ((err as Error).name !== 'AbortError') setError(err);
    });
    return () => c.abort();
  }, [applied]);

  if (!mayActOnAlerts(role)) return <p role="alert">{t('error.forbidden')}</p>;
  const shown = report && applied && report.careTeamId === applied.careTeamId ? report : undefined;
  return (
    <section aria-labelledby="analytics-title" data-testid="analytics">
      <h1 id="analytics-title">{t('analytics.title')}</h1>
      <p class="intro">{t('analytics.intro')}</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label>
          <span>{t('worklist.team')}</span>
          <select value={careTeamId} data-testid="an-team" onChange={(e) => setCareTeamId(e.currentTarget.value)}>
            {teams.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('analytics.period')}</span>
          <select value={period} data-testid="an-period" onChange={(e) => setPeriod(e.currentTarget.value as PeriodChoice)}>
            <option value="30">{t('analytics.last30')}</option>
            <option value="90">{t('analytics.last90')}</option>
            <option value="custom">{t('analytics.custom')}</option>
          </select>
        </label>
        {period === 'custom' && (
          <>
            <label>
              <span>{t('patient.from')}</span>
              <input type="date" value={customFrom} onInput={(e) => setCustomFrom(e.currentTarget.value)} />
            </label>
            <label>
              <span>{t('patient.to')}</span>
              <input type="date" value={customTo} onInput={(e) => setCustomTo(e.currentTarget.value)} />
            </label>
            <button type="submit">{t('patient.apply')}</button>
          </>
        )}
        <label>
          <span>{t('worklist.condition')}</span>
          <select value={conditionGroup} data-testid="an-condition" onChange={(e) => setConditionGroup(e.currentTarget.value)}>
            <option value="">{t('worklist.allConditions')}</option>
            {conditions.map((c) => (
              <option key={c} value={c}>
                {t(`condition.${c}`, { defaultValue: c })}
              </option>
            ))}
          </select>
        </label>
        {query && (
          <a class="button secondary" href={urlWith('/api/v1/analytics/alerts.csv', query)} download data-testid="an-csv">
            {t('analytics.csv')}
          </a>
        )}
      </form>
      {periodError && <p role="alert">{t('analytics.errors.customPeriod')}</p>}
      {error !== undefined && <ProblemMessage t={t} error={error} onRetry={apply} />}
      {shown && (
        <>
          <p class="sub" data-testid="an-scope">
            {t('analytics.scope', {
              team: shown.careTeamId,
              group: shown.conditionGroup ? t(`condition.${shown.conditionGroup}`, { defaultValue: shown.conditionGroup }) : t('worklist.allConditions'),
              from: formatDateTime(shown.from, locale),
              to: formatDateTime(shown.to, locale),
            })}
          </p>
          <QualityFigures figures={shown.overall} timeZone={shown.timeZone} />
          <RuleRanking groups={shown.groups} />
        </>
      )}
      {applied && (
        <BacktestPanel
          key={`${applied.careTeamId}|${applied.conditionGroup}`}
          population={{ careTeamId: applied.careTeamId, ...(applied.conditionGroup && { conditionGroup: applied.conditionGroup }) }}
          initialConfig={{}}
          saveTargets={population}
        />
      )}
    </section>
  );
}
