/**
 * Quick entry to a community room from the patient page: the check-in flow with this resident
 * preselected, and a new personal code for their kiosk card (shown once; the hub keeps only a hash).
 */
import { useState } from 'preact/hooks';
import { api, pathWith } from '../../api/client.js';
import type { CheckinCode } from '../../api/types.js';
import { Link } from '../../components/Link.js';
import { ProblemMessage } from '../../components/ProblemMessage.js';
import { useApp } from '../../context.js';
import { hrefOf } from '../../lib/router.js';

export function CheckinCard({ patientId }: { patientId: string }) {
  const { t } = useApp();
  const [code, setCode] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const make = async () => {
    setError(undefined);
    try {
      setCode((await api.post<CheckinCode>(pathWith('/api/v1/patients/{patientId}/checkin-code', { patientId }))).code);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="room-entry-title">
      <h2 id="room-entry-title">{t('rooms.card.title')}</h2>
      <p>
        <Link href={`${hrefOf({ page: 'rooms' })}?patient=${encodeURIComponent(patientId)}`}>{t('rooms.patientLink')}</Link>
      </p>
      <p class="intro">{t('rooms.card.intro')}</p>
      <button type="button" class="secondary" onClick={() => void make()}>
        {t('rooms.card.make')}
      </button>
      {code && (
        <p role="status">
          {t('rooms.card.code')}: <strong class="checkin-code" data-testid="checkin-code">{code}</strong> <span class="sub">{t('rooms.card.shown')}</span>
        </p>
      )}
      {error !== undefined && <ProblemMessage t={t} error={error} />}
    </section>
  );
}
