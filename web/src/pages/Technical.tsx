/**
 * For support staff: each home box (online, last seen, outbox backlog, software) and its devices
 * (present, battery, clock drift, firmware); and readings from devices that belong to no patient,
 * which admins assign here.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Gateways, Unassigned, UnassignedDevice, Worklist } from '../api/types.js';
import { ProblemMessage } from '../components/ProblemMessage.js';
import { useApp } from '../context.js';
import { collatorFor, formatAge, formatDateTime, formatNumber } from '../lib/format.js';

const LOW_BATTERY = 20;

export function TechnicalPage() {
  const { t, locale, role } = useApp();
  const [gateways, setGateways] = useState<Gateways | undefined>();
  const [unassigned, setUnassigned] = useState<Unassigned | undefined>();
  const [error, setError] = useState<unknown>();
  const [inboxError, setInboxError] = useState<unknown>();
  // Kept here, not in the form: the assigned device's row (and its form) leaves the table.
  const [assigned, setAssigned] = useState('');
  const now = Date.now();

  const load = () => {
    setError(undefined);
    api.get<Gateways>('/api/v1/gateways').then(setGateways, setError);
    api.get<Unassigned>('/api/v1/unassigned').then(setUnassigned, setInboxError);
  };
  useEffect(load, []);

  return (
    <>
      <h1>{t('technical.title')}</h1>
      <p class="intro">{t('technical.intro')}</p>
      <section aria-labelledby="gateways-title">
        <h2 id="gateways-title">{t('technical.gateways')}</h2>
        {error !== undefined && <ProblemMessage t={t} error={error} onRetry={load} />}
        {gateways && gateways.gateways.length === 0 && <p>{t('technical.noGateways')}</p>}
        {gateways && gateways.gateways.length > 0 && (
          <table data-testid="gateways">
            <thead>
              <tr>
                <th scope="col">{t('technical.gateway')}</th>
                <th scope="col">{t('technical.state')}</th>
                <th scope="col">{t('technical.lastSeen')}</th>
                <th scope="col">{t('technical.outbox')}</th>
                <th scope="col">{t('technical.software')}</th>
                <th scope="col">{t('technical.devices')}</th>
              </tr>
            </thead>
            <tbody>
              {gateways.gateways.map((g) => (
                <tr key={g.id} class={g.state === 'offline' ? 'offline' : ''}>
                  <th scope="row">{g.id}</th>
                  <td>
                    <span class={`state state-${g.state}`}>{g.state === 'online' ? `● ${t('technical.online')}` : `✕ ${t('technical.offline')}`}</span>
                    {g.reason && <div class="sub">{t(`technical.reason.${g.reason}`, { defaultValue: g.reason })}</div>}
                  </td>
                  <td>{formatAge(g.lastSeenAt, now, locale)}</td>
                  <td>
                    {g.outboxDepth ?? '—'}
                    {g.outboxOldestAt && <div class="sub">{formatDateTime(g.outboxOldestAt, locale)}</div>}
                  </td>
                  <td>{g.software ?? '—'}</td>
                  <td>
                    <ul class="devices">
                      {g.devices.map((d) => (
                        <li key={d.deviceId}>
                          <strong>{d.deviceId}</strong> {d.present ? t('technical.present') : t('technical.absent')}
                          {d.batteryPercent !== undefined && (
                            <span class={d.batteryPercent <= LOW_BATTERY ? 'flag' : ''}>
                              {' '}
                              · {t('technical.battery')} {d.batteryPercent} %{d.batteryPercent <= LOW_BATTERY && ` (${t('technical.batteryLow')})`}
                            </span>
                          )}
                          {d.clockOffsetS !== undefined && ` · ${t('technical.clockDrift')} ${formatNumber(d.clockOffsetS, locale, 0)} s`}
                          {d.firmware && ` · ${t('technical.firmware')} ${d.firmware}`}
                          {d.lastSeenAt && ` · ${formatAge(d.lastSeenAt, now, locale)}`}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="unassigned-title">
        <h2 id="unassigned-title">{t('technical.unassigned')}</h2>
        <p class="intro">{t('technical.unassignedIntro')}</p>
        {inboxError !== undefined && <ProblemMessage t={t} error={inboxError} />}
        <p role="status">{assigned}</p>
        {unassigned && unassigned.devices.length === 0 && <p>{t('technical.noUnassigned')}</p>}
        {unassigned && unassigned.devices.length > 0 && (
          <table data-testid="unassigned">
            <thead>
              <tr>
                <th scope="col">{t('technical.device')}</th>
                <th scope="col">{t('technical.gateway')}</th>
                <th scope="col">{t('technical.kinds')}</th>
                <th scope="col">{t('technical.count')}</th>
                <th scope="col">{t('technical.period')}</th>
                {role === 'admin' && <th scope="col">{t('technical.assignTo')}</th>}
              </tr>
            </thead>
            <tbody>
              {unassigned.devices.map((d) => (
                <tr key={`${d.deviceId}|${d.gatewayId}`}>
                  <th scope="row">{d.deviceId}</th>
                  <td>{d.gatewayId}</td>
                  <td>{d.kinds.map((k) => t(`vital.${k}`)).join(', ')}</td>
                  <td>{d.count}</td>
                  <td>
                    {formatDateTime(d.firstMeasuredAt, locale)} – {formatDateTime(d.lastMeasuredAt, locale)}
                  </td>
                  {role === 'admin' && (
                    <td>
                      <AssignForm
                        device={d}
                        onDone={(count) => {
                          setAssigned(t('technical.assigned', { count }));
                          load();
                        }}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function AssignForm({ device, onDone }: { device: UnassignedDevice; onDone: (readingsMoved: number) => void }) {
  const { t, locale } = useApp();
  const [patients, setPatients] = useState<Worklist['patients'] | undefined>();
  const [patientId, setPatientId] = useState('');
  const [userIndex, setUserIndex] = useState('');
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api.get<Worklist>('/api/v1/patients').then((w) => setPatients([...w.patients].sort((a, b) => collatorFor(locale).compare(a.displayName, b.displayName))), setError);
  }, []);
  const id = `assign-${device.deviceId}`;
  const assign = async () => {
    setError(undefined);
    try {
      const res = await api.post<{ readingsMoved: number }>('/api/v1/unassigned/assignments', {
        deviceId: device.deviceId,
        patientId,
        ...(userIndex.trim() !== '' && { userIndex: Number(userIndex) }),
      });
      onDone(res.readingsMoved);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form
      class="assign"
      onSubmit={(e) => {
        e.preventDefault();
        void assign();
      }}
    >
      <label for={`${id}-patient`} class="sr-only">
        {t('technical.assignTo')}
      </label>
      <select id={`${id}-patient`} required value={patientId} onChange={(e) => setPatientId(e.currentTarget.value)}>
        <option value="">{t('technical.choosePatient')}</option>
        {patients?.map((p) => (
          <option value={p.id} key={p.id}>
            {p.displayName}
          </option>
        ))}
      </select>
      <label for={`${id}-user`}>{t('technical.userIndex')}</label>
      <input id={`${id}-user`} type="number" min={0} max={255} inputMode="numeric" value={userIndex} onInput={(e) => setUserIndex(e.currentTarget.value)} />
      <button type="submit">{t('technical.assign')}</button>
      {error !== undefined && <ProblemMessage t={t} error={error} />}
    </form>
  );
}
