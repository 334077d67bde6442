/**
 * The SQL registry wired into a real hub the way `rpm-hub serve` does it (bin/compose-hub.ts):
 * gateways authenticate with the secret the admin was given, API users with their token, readings
 * of assigned devices reach the patient, readings of an unassigned device wait in quarantine until
 * the admin assigns it, and then join the patient's series.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../contract/index.js';
import { startHubServer, type RunningHubServer } from '../../bin/compose-hub.js';
import { parseHubEnv } from '../../hub/config.js';
import { assignAndMoveReadings } from '../../hub/registry/device-assigner.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { listUnassignedDevices } from '../../hub/storage/unassigned-inbox.js';
import { freshInfluxDatabase, influxUrl } from '../setup/influx.js';
import { bpReading, connectAsGateway, readingBatch } from '../support/mqtt-gateway-client.js';
import { freshPglite } from '../support/sql-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

describe('a hub on the SQL registry', () => {
  let registry: SqlRegistry;
  let influx: InfluxV1Client;
  let server: RunningHubServer;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let gatewaySecret: string;
  let revokedSecret: string;
  let token: string;

  beforeAll(async () => {
    dir = await tempDir('sql-hub');
    influx = await freshInfluxDatabase('sql_hub');
    registry = new SqlRegistry(await freshPglite());
    await registry.createCareTeam({ id: 'team-north', displayName: 'North' });
    await registry.createPatient({ id: 'p-1001', careTeamId: 'team-north', displayName: 'Resident A' });
    gatewaySecret = (await registry.createGateway({ id: 'home-0001' })).secret;
    revokedSecret = (await registry.createGateway({ id: 'home-0009' })).secret;
    await registry.revokeGateway('home-0009');
    await registry.assignDevice({ deviceId: 'sn-BPC-0001', patientId: 'p-1001', from: '2026-01-01T00:00:00Z' });
    await registry.createUser({ id: 'u-anna', displayName: 'Anna', role: 'clinician', careTeamIds: ['team-north'] });
    token = (await registry.createToken({ userId: 'u-anna', expiresInSeconds: 3600 })).token;

    const env = parseHubEnv({
      INFLUX_URL: influxUrl(),
      INFLUX_DATABASE: influx.database,
      RPM_DATA_DIR: dir.path,
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: '0',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'silent',
    });
    if (!env.ok) throw new Error(env.message);
    server = await startHubServer(env.config, registry, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  });

  afterAll(async () => {
    await server?.close();
    await registry?.db.close();
    await dir?.remove();
  });

  const mqttUrl = () => `mqtt://127.0.0.1:${server.hub.mqttPort}`;

  async function apiReadings(patientId: string, bearer = token): Promise<{ status: number; ids: string[] }> {
    const res = await fetch(`${server.api.url}/api/v1/patients/${patientId}/readings?kind=blood_pressure&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    if (res.status !== 200) return { status: res.status, ids: [] };
    const body = (await res.json()) as { readings?: { id: string }[] } | { id: string }[];
    const list = Array.isArray(body) ? body : (body.readings ?? []);
    return { status: 200, ids: list.map((r) => r.id) };
  }

  it('refuses a wrong secret and a revoked gateway with CONNACK 4', async () => {
    await expect(connectAsGateway(mqttUrl(), 'home-0001', `${gatewaySecret}x`)).rejects.toMatchObject({ code: 4 });
    await expect(connectAsGateway(mqttUrl(), 'home-0009', revokedSecret)).rejects.toMatchObject({ code: 4 });
    await expect(connectAsGateway(mqttUrl(), 'home-0404', gatewaySecret)).rejects.toMatchObject({ code: 4 });
  });

  it('API tokens: a valid one reads, an unknown one is refused', async () => {
    expect((await apiReadings('p-1001')).status).toBe(200);
    expect((await apiReadings('p-1001', 'tok_not-a-real-token-not-a-real-token')).status).toBe(401);
  });

  it('assigned readings reach the patient; unassigned ones wait in quarantine and join the patient after assignment', async () => {
    const client = await connectAsGateway(mqttUrl(), 'home-0001', gatewaySecret);
    const assigned = bpReading('sn-BPC-0001', new Date('2026-03-01T08:00:00Z'));
    const stray1 = bpReading('sn-NEW-0002', new Date('2026-03-01T09:00:00Z'));
    const stray2 = bpReading('sn-NEW-0002', new Date('2026-03-01T10:00:00Z'));
    await client.publishAsync(topics.readings('home-0001'), readingBatch([assigned, stray1, stray2]), { qos: 1 });

    await waitFor('the assigned reading in the API', async () => ((await apiReadings('p-1001')).ids.length === 1 ? true : undefined));
    expect((await apiReadings('p-1001')).ids).toEqual([assigned.id]);
    const waiting = await waitFor('the quarantined readings', async () => {
      const devices = await listUnassignedDevices(influx);
      return devices[0]?.count === 2 ? devices : undefined;
    });
    expect(waiting).toEqual([expect.objectContaining({ deviceId: 'sn-NEW-0002', gatewayId: 'home-0001', count: 2 })]);

    const result = await assignAndMoveReadings(registry, influx, { deviceId: 'sn-NEW-0002', patientId: 'p-1001' });
    expect(result).toMatchObject({ moved: 2, stillUnassigned: 0 });
    expect((await apiReadings('p-1001')).ids).toEqual([assigned.id, stray1.id, stray2.id]);

    // The hub's cache learnt the assignment at once: the device's next reading goes straight to the patient.
    const next = bpReading('sn-NEW-0002', new Date('2026-03-02T08:00:00Z'));
    await client.publishAsync(topics.readings('home-0001'), readingBatch([next]), { qos: 1 });
    await client.endAsync();
    await waitFor('the next reading in the API', async () => ((await apiReadings('p-1001')).ids.includes(String(next.id)) ? true : undefined));
    expect(await listUnassignedDevices(influx)).toEqual([]);
  });
});
