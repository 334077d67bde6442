/** NEWS2 as the engine last scored it: the total, and complete or what is missing. */
import type { PatientDetail } from '../../api/types.js';
import { useApp } from '../../context.js';
import { formatDateTime } from '../../lib/format.js';

export function News2Summary({ patient }: { patient: PatientDetail }) {
  const { t, locale } = useApp();
  const news2 = patient.news2;
  return (
    <p class="news2" data-testid="news2" data-complete={news2 ? String(news2.missing.length === 0) : undefined} aria-live="polite">
      <strong>{t('patient.news2')}:</strong>{' '}
      {news2 ? (
        <>
          {news2.total}{' '}
          {news2.missing.length > 0 ? `(${t('news2.missing', { params: news2.missing.map((m) => t(`news2.param.${m}`, { defaultValue: m })).join(', ') })})` : `(${t('news2.complete')})`}{' '}
          <span class="sub">{t('patient.news2At', { time: formatDateTime(news2.at, locale, patient.timeZone) })}</span>
        </>
      ) : (
        t('news2.none')
      )}
    </p>
  );
}
