/** One vital over the chosen period: raw readings or server-side buckets, with the patient's bands. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, pathWith } from '../../api/client.js';
import type { EffectiveRules, Readings, Trends, VitalKind } from '../../api/types.js';
import { ProblemMessage } from '../../components/ProblemMessage.js';
import { TimeChart } from '../../components/TimeChart.js';
import { useApp } from '../../context.js';
import { bandsFor, labelBands, passiveFor, resolutionFor, seriesFromReadings, seriesFromTrends, type SeriesData } from '../../lib/chart-data.js';
import { formatDateTime, formatNumber } from '../../lib/format.js';
import { viewOf } from '../../lib/vitals.js';

const MAX_RAW_PAGES = 5;

export async function loadSeries(patientId: string, kind: VitalKind, fromMs: number, toMs: number, timeZone: string, label: (c: string) => string, signal?: AbortSignal): Promise<SeriesData & { resolution: string }> {
  const view = viewOf(kind);
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  const resolution = resolutionFor(fromMs, toMs);
  if (resolution === 'raw') {
    const readings = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api.get<Readings>(pathWith('/api/v1/patients/{patientId}/readings', { patientId }), { kind, from, to, limit: 10000, ...(cursor && { cursor }) }, signal);
      readings.push(...page.readings);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < MAX_RAW_PAGES);
    return { ...seriesFromReadings(readings, view, label), resolution };
  }
  const trends = await api.get<Trends>(pathWith('/api/v1/patients/{patientId}/trends', { patientId }), { kind, from, to, every: resolution, tz: timeZone, agg: 'mean' }, signal);
  return { ...seriesFromTrends(trends, view, label), resolution };
}

export function VitalChart({ patientId, kind, fromMs, toMs, timeZone, rules }: { patientId: string; kind: VitalKind; fromMs: number; toMs: number; timeZone: string; rules: EffectiveRules | undefined }) {
  const { t, locale } = useApp();
  const view = viewOf(kind);
  const [data, setData] = useState<(SeriesData & { resolution: string }) | undefined>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const abort = new AbortController();
    setData(undefined);
    setError(undefined);
    loadSeries(patientId, kind, fromMs, toMs, timeZone, (c) => t(`component.${c}`, { defaultValue: c }), abort.signal).then(setData, (err: unknown) => {
      if ((err as Error).name !== 'AbortError') setError(err);
    });
    return () => abort.abort();
  }, [patientId, kind, fromMs, toMs, timeZone, t]);

  const { bands, caption } = useMemo(
    () => labelBands(bandsFor(rules, kind, view.components), view.components.length, (c) => t(`component.${c}`, { defaultValue: c }), (v) => `${formatNumber(v, locale, view.decimals)} ${view.unit}`),
    [rules, kind, t, locale],
  );
  const passive = useMemo(() => passiveFor(rules, toMs), [rules, toMs]);
  const title = t(`vital.${kind}`);

  return (
    <section class="vital" aria-labelledby={`vital-${kind}`} data-testid={`vital-${kind}`}>
      <h3 id={`vital-${kind}`}>
        {title} <span class="unit">({view.unit})</span>
      </h3>
      {error !== undefined && <ProblemMessage t={t} error={error} />}
      {data === undefined && error === undefined && <p>{t('app.loading')}</p>}
      {data && data.xs.length === 0 && <p class="sub">{t('patient.noData')}</p>}
      {data && data.xs.length > 0 && (
        <>
          <p class="sub">
            {data.resolution === 'raw' ? t('patient.raw') : data.resolution === '1h' ? t('patient.hourlyMeans') : t('patient.dailyMeans')} · {t('patient.points', { count: data.xs.length })}
          </p>
          <TimeChart
            testId={`chart-${kind}`}
            xs={data.xs}
            series={data.series}
            bands={bands}
            passive={passive}
            timeZone={timeZone}
            locale={locale}
            range={{ from: fromMs / 1000, to: toMs / 1000 }}
            label={t('patient.chartOf', { vital: title, count: data.xs.length })}
            {...(caption.length > 0 && { limitsText: t('summaries.chartLimits', { limits: caption.join(' · ') }) })}
            describe={(i) => {
              const values = data.series.map((s) => s.values[i]).filter((v): v is number => v !== null && v !== undefined);
              const value = `${values.map((v) => formatNumber(v, locale, view.decimals)).join('/')} ${view.unit}`;
              const time = formatDateTime((data.xs[i] ?? 0) * 1000, locale, timeZone);
              const r = data.readings[i];
              const flags = r ? (['late', 'clockSuspect', 'implausible', 'superseded'] as const).filter((f) => r.flags[f]).map((f) => t(`patient.${f}`)) : [];
              return `${t('patient.hover', { value, time })}${flags.length > 0 ? ` — ${flags.join(', ')}` : ''}`;
            }}
          />
        </>
      )}
    </section>
  );
}
