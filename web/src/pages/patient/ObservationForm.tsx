/**
 * Quick entry of what people observe (respiration, consciousness, oxygen) for the NEWS2 parameters
 * devices at home cannot measure. Stored by the hub as readings marked as entered, with who entered
 * them; the hub checks plausibility and answers a refusal that names the field.
 */
import { useState } from 'preact/hooks';
import { api, pathWith } from '../../api/client.js';
import { ProblemMessage } from '../../components/ProblemMessage.js';
import { useApp } from '../../context.js';

const ACVPU = ['A', 'C', 'V', 'P', 'U'] as const;

export function ObservationForm({ patientId, onSaved }: { patientId: string; onSaved: () => void }) {
  const { t } = useApp();
  const [respiration, setRespiration] = useState('');
  const [consciousness, setConsciousness] = useState('');
  const [oxygen, setOxygen] = useState('');
  const [flow, setFlow] = useState('');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState('');

  const save = async () => {
    setError(undefined);
    setSaved('');
    const body = {
      observedAt: new Date().toISOString(),
      ...(respiration.trim() !== '' && { respiratoryRate: Number(respiration) }),
      ...(consciousness && { consciousness }),
      ...(oxygen && { supplementalOxygen: { onOxygen: oxygen === 'yes', ...(oxygen === 'yes' && flow.trim() !== '' && { flowLPerMin: Number(flow) }) } }),
    };
    try {
      await api.post(pathWith('/api/v1/patients/{patientId}/observations', { patientId }), body);
      setSaved(t('observation.saved'));
      setRespiration('');
      setConsciousness('');
      setOxygen('');
      setFlow('');
      onSaved();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="observation-title">
      <h2 id="observation-title">{t('observation.title')}</h2>
      <p class="intro">{t('observation.intro')}</p>
      <form
        class="filters"
        data-testid="observation-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          <span>{t('observation.respiration')}</span>
          <input type="number" inputMode="numeric" min={4} max={60} step={1} value={respiration} onInput={(e) => setRespiration(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('observation.consciousness')}</span>
          <select value={consciousness} onChange={(e) => setConsciousness(e.currentTarget.value)}>
            <option value="">{t('common.none')}</option>
            {ACVPU.map((c) => (
              <option value={c} key={c}>
                {t(`observation.acvpu.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('observation.oxygen')}</span>
          <select value={oxygen} onChange={(e) => setOxygen(e.currentTarget.value)}>
            <option value="">{t('common.none')}</option>
            <option value="no">{t('observation.roomAir')}</option>
            <option value="yes">{t('observation.onOxygen')}</option>
          </select>
        </label>
        {oxygen === 'yes' && (
          <label>
            <span>{t('observation.flow')}</span>
            <input type="number" inputMode="decimal" min={0.1} max={15} step={0.1} value={flow} onInput={(e) => setFlow(e.currentTarget.value)} />
          </label>
        )}
        <button type="submit">{t('observation.save')}</button>
      </form>
      {saved && <p role="status">{saved}</p>}
      {error !== undefined && <ProblemMessage t={t} error={error} />}
    </section>
  );
}
