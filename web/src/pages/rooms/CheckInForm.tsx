/**
 * Staff check-in: search the caller's own residents (the worklist API: nobody else's), pick one,
 * choose the session length, check in. The hub refuses a busy room (shown in the user's words).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, pathWith } from '../../api/client.js';
import type { RoomSession, Worklist } from '../../api/types.js';
import { useApp } from '../../context.js';
import { collatorFor } from '../../lib/format.js';
import { roomProblemText } from './room-problems.js';

export function CheckInForm({ gatewayId, preselect, onCheckedIn }: { gatewayId: string; preselect?: string; onCheckedIn: (session: RoomSession, displayName: string) => void }) {
  const { t, locale } = useApp();
  const [patients, setPatients] = useState<Worklist['patients']>([]);
  const [search, setSearch] = useState('');
  const [patientId, setPatientId] = useState(preselect ?? '');
  const [minutes, setMinutes] = useState('15');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<Worklist>('/api/v1/patients').then((w) => setPatients(w.patients), setError);
  }, []);

  const matches = useMemo(() => {
    const q = search.trim().toLocaleLowerCase(locale);
    const collator = collatorFor(locale);
    return patients.filter((p) => q === '' || p.displayName.toLocaleLowerCase(locale).includes(q)).sort((a, b) => collator.compare(a.displayName, b.displayName));
  }, [patients, search, locale]);

  // The one match of a search is the pick; a pick that the search hides is dropped.
  useEffect(() => {
    if (matches.length === 1) setPatientId(matches[0]!.id);
    else if (patientId && !matches.some((m) => m.id === patientId)) setPatientId('');
  }, [matches]);

  const submit = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const session = await api.post<RoomSession>(pathWith('/api/v1/rooms/{gatewayId}/sessions', { gatewayId }), { patientId, minutes: Number(minutes) });
      onCheckedIn(session, patients.find((p) => p.id === patientId)?.displayName ?? patientId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="checkin-title">
      <h2 id="checkin-title">{t('rooms.checkInTitle')}</h2>
      <form
        class="filters"
        data-testid="checkin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          <span>{t('rooms.search')}</span>
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} autoComplete="off" />
        </label>
        <label>
          <span>{t('rooms.resident')}</span>
          <select value={patientId} required onChange={(e) => setPatientId(e.currentTarget.value)}>
            <option value="">{matches.length === 0 ? t('rooms.noMatch') : t('rooms.pick')}</option>
            {matches.map((p) => (
              <option value={p.id} key={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('rooms.minutes')}</span>
          <input type="number" min={1} max={60} step={1} required value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy || patientId === ''}>
          {t('rooms.checkIn')}
        </button>
      </form>
      {error !== undefined && (
        <div class="problem" role="alert">
          <p>{roomProblemText(t, error)}</p>
        </div>
      )}
    </section>
  );
}
