/**
 * A real hub for integration tests: Aedes on a free TCP port, a fresh InfluxDB database, the
 * in-memory registry with one care team, patients, a gateway and a clinician's token, and the API
 * on a free HTTP port.
 */
import { pino } from 'pino';
import { memoryApiServices } from '../../bin/api-services/compose-services.js';
import { startApiServer, type RunningApi } from '../../dashboard-api/server.js';
import { startHub, type RunningHub } from '../../hub/hub.js';
import { MemoryRegistry, type RegistrySeed } from '../../hub/registry/memory-registry.js';
import { hashSecret, hashToken } from '../../hub/registry/secrets.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { tempDir } from './temp-dir.js';

export const FIXTURE = {
  gatewayId: 'home-0001',
  gatewaySecret: 'gw_test-secret-for-home-0001-aaaaaaaaaaaaaaaaaaaa',
  otherGatewayId: 'home-0002',
  otherGatewaySecret: 'gw_test-secret-for-home-0002-bbbbbbbbbbbbbbbbbbbb',
  patientId: 'p-1001',
  otherTeamPatientId: 'p-2001',
  careTeamId: 'team-north',
  cuffSerial: 'BPC-0001',
  cuffDeviceId: 'sn-BPC-0001',
  clinicianToken: 'tok_clinician-north-0123456789abcdef0123456789abcdef',
} as const;

export interface HubFixture {
  readonly hub: RunningHub;
  readonly api: RunningApi;
  readonly influx: InfluxV1Client;
  readonly mqttUrl: string;
  readonly registry: MemoryRegistry;
  readonly dataDir: string;
  close(): Promise<void>;
}

export async function defaultSeed(): Promise<RegistrySeed> {
  return {
    gateways: [
      { id: FIXTURE.gatewayId, secretHash: await hashSecret(FIXTURE.gatewaySecret) },
      { id: FIXTURE.otherGatewayId, secretHash: await hashSecret(FIXTURE.otherGatewaySecret) },
    ],
    patients: [
      { id: FIXTURE.patientId, careTeamId: FIXTURE.careTeamId, displayName: 'Test Resident A' },
      { id: FIXTURE.otherTeamPatientId, careTeamId: 'team-south', displayName: 'Test Resident B' },
    ],
    assignments: [{ deviceId: FIXTURE.cuffDeviceId, patientId: FIXTURE.patientId, from: '2020-01-01T00:00:00Z' }],
    tokens: [{ tokenHash: hashToken(FIXTURE.clinicianToken), userId: 'u-clinician', role: 'clinician', careTeamIds: [FIXTURE.careTeamId] }],
  };
}

export async function startHubFixture(seed?: RegistrySeed): Promise<HubFixture> {
  const dir = await tempDir('hub');
  const influx = await freshInfluxDatabase('hub');
  const registrySeed = seed ?? (await defaultSeed());
  const registry = new MemoryRegistry(registrySeed);
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const hub = await startHub({ dataDir: dir.path, mqtt: { host: '127.0.0.1', port: 0 }, influx, registry, log });
  const api = await startApiServer(
    memoryApiServices({ influx, tokens: registry, devices: registry, gateways: hub.gatewayState, patients: registrySeed.patients ?? [] }),
    { host: '127.0.0.1', port: 0, logger: false },
  );
  return {
    hub,
    api,
    influx,
    mqttUrl: `mqtt://127.0.0.1:${hub.mqttPort}`,
    registry,
    dataDir: dir.path,
    async close() {
      await api.close();
      await hub.close();
      await dir.remove();
    },
  };
}
