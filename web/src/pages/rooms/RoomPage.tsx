/**
 * One community room's check-in page (/app/rooms/<gatewayId>): check a resident in, follow the
 * session, check out. `?patient=<id>` (the patient page's link) preselects the resident.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, pathWith } from '../../api/client.js';
import type { RoomSession, RoomView } from '../../api/types.js';
import { Link } from '../../components/Link.js';
import { ProblemMessage } from '../../components/ProblemMessage.js';
import { useApp } from '../../context.js';
import { hrefOf } from '../../lib/router.js';
import { CheckInForm } from './CheckInForm.js';
import { SessionPanel } from './SessionPanel.js';

export function RoomPage({ gatewayId }: { gatewayId: string }) {
  const { t } = useApp();
  const [room, setRoom] = useState<RoomView | undefined>();
  const [error, setError] = useState<unknown>();
  const [ended, setEnded] = useState(false);
  const preselect = new URLSearchParams(location.search).get('patient') ?? undefined;

  const load = () => {
    setError(undefined);
    api.get<RoomView>(pathWith('/api/v1/rooms/{gatewayId}', { gatewayId })).then(setRoom, setError);
  };
  useEffect(load, [gatewayId]);

  if (error !== undefined) return <ProblemMessage t={t} error={error} onRetry={load} />;
  if (!room) return <p>{t('app.loading')}</p>;

  const checkedIn = (session: RoomSession, displayName: string) => {
    setEnded(false);
    setRoom({ ...room, busy: true, session: { ...session, displayName } });
  };

  return (
    <article aria-labelledby="room-title">
      <p>
        <Link href={hrefOf({ page: 'rooms' })}>← {t('rooms.back')}</Link>
      </p>
      <h1 id="room-title">{room.displayName}</h1>
      {ended && <p role="status">{t('rooms.ended')}</p>}
      {room.session ? (
        <SessionPanel
          key={room.session.id}
          session={room.session}
          displayName={room.session.displayName}
          onEnded={() => {
            setEnded(true);
            setRoom({ gatewayId: room.gatewayId, displayName: room.displayName, busy: false });
            load();
          }}
        />
      ) : room.busy ? (
        <p role="status">{t('rooms.busyOther')}</p>
      ) : (
        <CheckInForm gatewayId={gatewayId} {...(preselect && { preselect })} onCheckedIn={checkedIn} />
      )}
    </article>
  );
}
