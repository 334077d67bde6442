/** Every reading of one vital, newest first, a page at a time, with its flags; exports beside it. */
import { useEffect, useState } from 'preact/hooks';
import { api, pathWith, urlWith } from '../../api/client.js';
import type { Readings, VitalKind } from '../../api/types.js';
import { ProblemMessage } from '../../components/ProblemMessage.js';
import { vitalText } from '../../components/VitalValue.js';
import { useApp } from '../../context.js';
import { formatDateTime } from '../../lib/format.js';

const PAGE = 25;

export function ReadingsTable({ patientId, kinds, fromMs, toMs, timeZone }: { patientId: string; kinds: readonly VitalKind[]; fromMs: number; toMs: number; timeZone: string }) {
  const { t, locale } = useApp();
  const [kind, setKind] = useState<VitalKind | undefined>(kinds[0]);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<Readings | undefined>();
  const [error, setError] = useState<unknown>();
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    if (!kinds.includes(kind as VitalKind)) setKind(kinds[0]);
  }, [kinds.join()]);
  useEffect(() => setCursors([undefined]), [kind, fromMs, toMs]);
  useEffect(() => {
    if (!kind) return;
    setError(undefined);
    api
      .get<Readings>(pathWith('/api/v1/patients/{patientId}/readings', { patientId }), {
        kind,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        limit: PAGE,
        order: 'desc',
        ...(cursor && { cursor }),
      })
      .then(setPage, setError);
  }, [patientId, kind, fromMs, toMs, cursor]);

  const range = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  return (
    <section aria-labelledby="readings-title">
      <h2 id="readings-title">{t('patient.readings')}</h2>
      <div class="toolbar">
        <label>
          <span>{t('patient.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as VitalKind)}>
            {kinds.map((k) => (
              <option value={k} key={k}>
                {t(`vital.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <a class="button secondary" href={urlWith(pathWith('/api/v1/patients/{patientId}/export.csv', { patientId }), range)} download>
          {t('patient.exportCsv')}
        </a>
        <a class="button secondary" href={urlWith(pathWith('/api/v1/patients/{patientId}/fhir', { patientId }), range)} download>
          {t('patient.exportFhir')}
        </a>
      </div>
      {error !== undefined && <ProblemMessage t={t} error={error} />}
      {page && page.readings.length === 0 && <p class="sub">{t('patient.noData')}</p>}
      {page && page.readings.length > 0 && (
        <table data-testid="readings-table">
          <thead>
            <tr>
              <th scope="col">{t('patient.measuredAt')}</th>
              <th scope="col">{t('patient.value')}</th>
              <th scope="col">{t('patient.flags')}</th>
              <th scope="col">{t('patient.device')}</th>
            </tr>
          </thead>
          <tbody>
            {page.readings.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.measuredAt, locale, timeZone)}</td>
                <td>{vitalText(r, locale)}</td>
                <td>
                  {(['late', 'clockSuspect', 'implausible', 'superseded'] as const)
                    .filter((f) => r.flags[f])
                    .map((f) => t(`patient.${f}`))
                    .join(', ') || t('common.none')}
                </td>
                <td>{r.source === 'manual' ? t('patient.enteredBy', { user: r.enteredBy ?? '' }) : r.deviceId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="pager">
        <button type="button" class="secondary" disabled={cursors.length <= 1} onClick={() => setCursors([undefined])}>
          {t('patient.first')}
        </button>
        <button type="button" class="secondary" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>
          {t('patient.next')}
        </button>
      </div>
    </section>
  );
}
