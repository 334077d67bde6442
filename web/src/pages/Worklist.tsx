/**
 * The start page: the care team's patients, most worrying first (the API's order), each row saying
 * why — open alerts by severity, NEWS2 with what it is missing, the latest value of each vital and
 * its age, missing readings and technical states told apart. Filters and name search run locally.
 */
import type { TFunction } from 'i18next';
import { memo } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { WorklistPatient } from '../api/types.js';
import { Link } from '../components/Link.js';
import { ProblemMessage } from '../components/ProblemMessage.js';
import { SeverityBadge } from '../components/SeverityBadge.js';
import { vitalText } from '../components/VitalValue.js';
import { useApp } from '../context.js';
import { inboxOf } from '../lib/alert-list.js';
import { alertText } from '../lib/alert-text.js';
import { cachedT } from '../lib/cached-t.js';
import { collatorFor, formatAge } from '../lib/format.js';
import { prefetched } from '../lib/prefetch.js';
import { hrefOf } from '../lib/router.js';
import { loadWorklist, WORKLIST_KEY } from '../lib/start-loads.js';
import { VITAL_VIEWS } from '../lib/vitals.js';
import { filterRows, worklistRows, type StateFilter, type WorklistRow } from '../lib/worklist-rows.js';

const STATES: readonly StateFilter[] = ['all', 'withAlerts', 'missingReadings', 'technicalIssues', 'quiet'];
/**
 * Rows drawn at first: the most worrying 200 (the list is sorted by risk). Drawing 1,000 rows of
 * vitals at once costs seconds on a ward PC; the rest follow on request, and search and filters
 * always cover every patient.
 */
const PAGE_ROWS = 200;
/**
 * Rows in the first frame: more than a screen holds at 1280×800 or on a tablet; the rest of the
 * first 200 follow in the next task, so the list is on screen before all of it is laid out.
 */
const FIRST_ROWS = 40;

export function WorklistPage() {
  const app = useApp();
  const { t, locale, alerts } = app;
  const [patients, setPatients] = useState<readonly WorklistPatient[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [search, setSearch] = useState('');
  const [careTeamId, setCareTeamId] = useState('');
  const [condition, setCondition] = useState('');
  const [state, setState] = useState<StateFilter>('all');
  const [now, setNow] = useState(Date.now());
  const [limit, setLimit] = useState(FIRST_ROWS);
  // One translator with a memory for all rows (see cached-t.ts); a new one per language.
  const tc = useMemo(() => cachedT(t), [t]);

  const load = (first = false) => {
    setError(undefined);
    (first ? prefetched.take(WORKLIST_KEY, () => loadWorklist()) : loadWorklist()).then(
      (w) => {
        setPatients(w.patients);
        setNow(Date.now());
        app.rememberPatientNames(new Map(w.patients.map((p) => [p.id, p.displayName])));
      },
      (err: unknown) => setError(err),
    );
  };
  useEffect(() => load(true), []);
  // A live alert can move a patient up: reload the order, at most every few seconds (a storm of
  // alerts must not become a storm of worklist requests). Re-syncs of the list do not count.
  useEffect(() => {
    if (app.liveChanges === 0) return;
    const timer = setTimeout(() => load(), 1500);
    return () => clearTimeout(timer);
  }, [app.liveChanges]);

  const previousRows = useRef<readonly WorklistRow[]>([]);
  const rows = useMemo(() => (previousRows.current = worklistRows(patients ?? [], inboxOf(alerts), previousRows.current)), [patients, alerts]);
  const shown = useMemo(() => filterRows(rows, { search, careTeamId, condition, state }), [rows, search, careTeamId, condition, state]);
  const teams = useMemo(() => [...new Set((patients ?? []).map((p) => p.careTeamId))].sort(collatorFor(locale).compare), [patients, locale]);
  // After the first rows are painted, the rest of the first page.
  useEffect(() => {
    if (patients === undefined || limit >= PAGE_ROWS) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setLimit((l) => Math.max(l, PAGE_ROWS)), 0)));
    return () => {
      cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
    };
  }, [patients, limit]);
  const conditions = useMemo(() => [...new Set((patients ?? []).flatMap((p) => p.conditionGroups))].sort(), [patients]);

  return (
    <section aria-labelledby="worklist-title">
      <h1 id="worklist-title">{t('worklist.title')}</h1>
      <p class="intro">{t('worklist.intro')}</p>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>{t('worklist.search')}</span>
          <input type="search" value={search} data-testid="worklist-search" onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        {teams.length > 1 && (
          <label>
            <span>{t('worklist.team')}</span>
            <select value={careTeamId} onChange={(e) => setCareTeamId(e.currentTarget.value)}>
              <option value="">{t('worklist.allTeams')}</option>
              {teams.map((id) => (
                <option value={id} key={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <span>{t('worklist.condition')}</span>
          <select value={condition} onChange={(e) => setCondition(e.currentTarget.value)}>
            <option value="">{t('worklist.allConditions')}</option>
            {conditions.map((c) => (
              <option value={c} key={c}>
                {t(`condition.${c}`, { defaultValue: c })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('worklist.stateFilter')}</span>
          <select value={state} onChange={(e) => setState(e.currentTarget.value as StateFilter)}>
            {STATES.map((s) => (
              <option value={s} key={s}>
                {t(`worklist.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error !== undefined && <ProblemMessage t={t} error={error} onRetry={() => load()} />}
      {patients === undefined && error === undefined && <p>{t('app.loading')}</p>}
      {patients !== undefined && (
        <>
          <p class="count" role="status" data-testid="worklist-count">
            {t('worklist.count', { shown: shown.length, total: patients.length })}
          </p>
          {shown.length === 0 ? (
            <p>{t('worklist.noPatients')}</p>
          ) : (
            <table class="worklist" data-testid="worklist">
              <thead>
                <tr>
                  <th scope="col">{t('worklist.patient')}</th>
                  <th scope="col">{t('worklist.risk')}</th>
                  <th scope="col">{t('worklist.why')}</th>
                  <th scope="col">{t('worklist.latest')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.slice(0, limit).map((row) => (
                  <Row row={row} now={now} t={tc} locale={locale} key={row.patient.id} />
                ))}
              </tbody>
            </table>
          )}
          {shown.length > limit && limit >= PAGE_ROWS && (
            <p>
              <button type="button" class="secondary" data-testid="worklist-more" onClick={() => setLimit(limit + PAGE_ROWS * 4)}>
                {t('worklist.more', { count: Math.min(shown.length - limit, PAGE_ROWS * 4), remaining: shown.length - limit })}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

/**
 * One patient's row. Memoised with its inputs as props (not the app context): a context change
 * elsewhere (a name learnt, the live status) must not re-render 1,000 rows.
 */
const Row = memo(function Row({ row, now, t, locale }: { row: WorklistRow; now: number; t: TFunction; locale: string }) {
  const p = row.patient;
  const latestByKind = new Map(p.latest.map((v) => [v.kind, v]));
  return (
    <tr data-patient-id={p.id} class={p.highestSeverity ? `risk-${p.highestSeverity}` : ''}>
      <th scope="row">
        <Link href={hrefOf({ page: 'patient', patientId: p.id })}>{p.displayName}</Link>
        <div class="sub">{p.conditionGroups.map((c) => t(`condition.${c}`, { defaultValue: c })).join(', ')}</div>
      </th>
      <td>
        <SeverityBadge t={t} severity={p.highestSeverity} />
        {p.openAlerts > 0 && <div class="sub">{t('worklist.openAlerts', { count: p.openAlerts })}</div>}
      </td>
      <td class="why">
        <ul>
          {row.clinical.slice(0, 3).map((a) => (
            <li key={a.id}>{alertText(a, t, locale)}</li>
          ))}
          {row.missing.map((a) => (
            <li key={a.id} class="missing">
              {t('alerts.missing')}: {t(`vital.${a.rule.slice('missing:'.length)}`, { defaultValue: a.rule })}
              {a.cause && ` (${t(`alerts.cause.${a.cause}`, { defaultValue: a.cause })})`}
            </li>
          ))}
          {row.technical.map((a) => (
            <li key={a.id} class="technical">
              {alertText(a, t, locale)}
            </li>
          ))}
          <li class="news2">
            {t('news2.label')}:{' '}
            {p.news2
              ? `${p.news2.total}${p.news2.missing.length > 0 ? ` (${t('news2.missing', { params: p.news2.missing.map((m) => t(`news2.param.${m}`, { defaultValue: m })).join(', ') })})` : ` (${t('news2.complete')})`}`
              : t('news2.none')}
          </li>
        </ul>
      </td>
      <td class="latest">
        {p.latest.length === 0 ? (
          <span class="sub">{t('worklist.noReadings')}</span>
        ) : (
          <dl>
            {VITAL_VIEWS.filter((v) => latestByKind.has(v.kind)).map((v) => {
              const vital = latestByKind.get(v.kind)!;
              return (
                <div key={v.kind}>
                  <dt>{t(`vital.${v.kind}`)}</dt>
                  <dd>
                    {vitalText(vital, locale)} <span class="age">{formatAge(vital.measuredAt, now, locale)}</span>
                    {vital.implausible && <span class="flag"> {t('worklist.implausible')}</span>}
                  </dd>
                </div>
              );
            })}
          </dl>
        )}
      </td>
    </tr>
  );
});
