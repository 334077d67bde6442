/** Community rooms: free or in use, each opening its check-in page (keeping ?patient= from the patient page's link). */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { RoomList } from '../api/types.js';
import { Link } from '../components/Link.js';
import { ProblemMessage } from '../components/ProblemMessage.js';
import { useApp } from '../context.js';
import { hrefOf } from '../lib/router.js';

export function RoomsPage() {
  const { t } = useApp();
  const [rooms, setRooms] = useState<RoomList | undefined>();
  const [error, setError] = useState<unknown>();
  const load = () => {
    setError(undefined);
    api.get<RoomList>('/api/v1/rooms').then(setRooms, setError);
  };
  useEffect(load, []);

  if (error !== undefined) return <ProblemMessage t={t} error={error} onRetry={load} />;
  if (!rooms) return <p>{t('app.loading')}</p>;
  return (
    <article aria-labelledby="rooms-title">
      <h1 id="rooms-title">{t('rooms.title')}</h1>
      <p class="intro">{t('rooms.intro')}</p>
      {rooms.rooms.length === 0 ? (
        <p>{t('rooms.none')}</p>
      ) : (
        <table data-testid="rooms">
          <thead>
            <tr>
              <th scope="col">{t('rooms.room')}</th>
              <th scope="col">{t('rooms.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rooms.rooms.map((r) => (
              <tr key={r.gatewayId} data-room={r.gatewayId}>
                <th scope="row">
                  <Link href={hrefOf({ page: 'room', gatewayId: r.gatewayId }) + location.search}>{r.displayName}</Link>
                </th>
                <td>{r.session ? t('rooms.checkedIn', { name: r.session.displayName }) : r.busy ? t('rooms.busy') : t('rooms.free')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
