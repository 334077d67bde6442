/**
 * A running check-in as staff see it: the resident, the time left, the readings arriving from the
 * room's shared devices (polled every 3 s: a session lasts minutes, and the API answers from a few
 * bounded queries), quick entry of what people observe (the patient page's ObservationForm), the
 * resulting NEWS2, and check-out. Ends itself at the timeout.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, pathWith } from '../../api/client.js';
import type { PatientDetail, RoomSession, SessionReadings } from '../../api/types.js';
import { Link } from '../../components/Link.js';
import { useApp } from '../../context.js';
import { hrefOf } from '../../lib/router.js';
import { ObservationForm } from '../patient/ObservationForm.js';
import { Countdown } from './Countdown.js';
import { News2Summary } from './News2Summary.js';
import { roomProblemText } from './room-problems.js';
import { SessionReadingsTable } from './SessionReadingsTable.js';

const POLL_MS = 3000;

export function SessionPanel({ session, displayName, onEnded }: { session: RoomSession; displayName: string; onEnded: () => void }) {
  const { t, locale } = useApp();
  const [readings, setReadings] = useState<SessionReadings['readings']>([]);
  const [patient, setPatient] = useState<PatientDetail | undefined>();
  const [error, setError] = useState<unknown>();
  const ids = { gatewayId: session.gatewayId, sessionId: session.id };

  const loadPatient = () => void api.get<PatientDetail>(pathWith('/api/v1/patients/{patientId}', { patientId: session.patientId })).then(setPatient, () => undefined);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const r = await api.get<SessionReadings>(pathWith('/api/v1/rooms/{gatewayId}/sessions/{sessionId}/readings', ids));
        if (stopped) return;
        setReadings(r.readings);
        if (r.session.state !== 'open') onEnded();
      } catch {
        // the next poll tries again; the countdown still ends the session on time
      }
    };
    void poll();
    loadPatient();
    const timer = setInterval(() => {
      void poll();
      loadPatient();
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [session.id]);

  const checkOut = async () => {
    setError(undefined);
    try {
      await api.post(pathWith('/api/v1/rooms/{gatewayId}/sessions/{sessionId}/close', ids));
      onEnded();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="session-title" data-testid="room-session">
      <h2 id="session-title">{t('rooms.checkedIn', { name: displayName })}</h2>
      <p>
        <Link href={hrefOf({ page: 'patient', patientId: session.patientId })}>{displayName}</Link>
      </p>
      <Countdown endsAt={session.endsAt} label={t('rooms.remaining')} onExpired={onEnded} />
      {patient && <News2Summary patient={patient} />}
      <h3>{t('rooms.readings')}</h3>
      {readings.length === 0 ? <p class="sub">{t('rooms.noReadings')}</p> : <SessionReadingsTable t={t} locale={locale} readings={readings} caption={t('rooms.readings')} timeZone={patient?.timeZone} />}
      <ObservationForm patientId={session.patientId} onSaved={loadPatient} />
      <p>
        <button type="button" onClick={() => void checkOut()}>
          {t('rooms.checkOut')}
        </button>
      </p>
      {error !== undefined && (
        <div class="problem" role="alert">
          <p>{roomProblemText(t, error)}</p>
        </div>
      )}
    </section>
  );
}
